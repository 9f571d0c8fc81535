/// One partial output sequence kept by beam search, with its total log-probability and decoder state.
public struct BeamHypothesis<State>: Sendable where State: Sendable {
    public var tokens: [Int]
    /// log P(tokens | input) = Σ_t log P(token⟨t⟩ | token⟨<t⟩, input).
    public var logProbability: Double
    public var state: State
    /// Whether the hypothesis has produced the end token.
    public var finished: Bool

    public init(tokens: [Int], logProbability: Double, state: State, finished: Bool = false) {
        self.tokens = tokens
        self.logProbability = logProbability
        self.state = state
        self.finished = finished
    }

    /// The score beam search ranks by: log P / |tokens|^α.
    ///
    /// With α = 0 it is the log-probability itself. Every extra token multiplies P by a number below 1,
    /// so plain log-probability favours short outputs; α = 1 ranks by the mean log-probability per token
    /// instead, and values in between (Wu et al. 2016 use about 0.6) trade the two off.
    public func score(lengthNormalization alpha: Double) -> Double {
        alpha == 0 || tokens.isEmpty ? logProbability : logProbability / Double.pow(Double(tokens.count), alpha)
    }
}

/// One step of beam search: extend every unfinished hypothesis by each token, keep the `beamWidth` best.
///
/// `expand(h)` gives the log-probabilities of the next token after hypothesis `h`, `[V]`, and the
/// state after it. Finished hypotheses are carried over unchanged and compete with the new ones,
/// ranked by ``BeamHypothesis/score(lengthNormalization:)``.
/// Ties are broken by the smaller token sequence, so the result is deterministic.
/// Complexity: O(beamWidth · V · log(beamWidth · V)).
public func beamSearchStep<State: Sendable>(
    _ beams: [BeamHypothesis<State>], beamWidth: Int, endToken: Int, lengthNormalization alpha: Double = 0,
    expand: (BeamHypothesis<State>) -> (logProbabilities: [Double], state: State)
) -> [BeamHypothesis<State>] {
    require(beamWidth > 0, "beamSearchStep: the beam width must be positive, got \(beamWidth)")
    var candidates: [BeamHypothesis<State>] = []
    for beam in beams {
        if beam.finished { candidates.append(beam); continue }
        let (logProbabilities, state) = expand(beam)
        for (token, logP) in logProbabilities.enumerated() where logP > -Double.infinity {
            candidates.append(BeamHypothesis(tokens: beam.tokens + [token], logProbability: beam.logProbability + logP,
                                             state: state, finished: token == endToken))
        }
    }
    require(!candidates.isEmpty, "beamSearchStep: every next token has probability 0, so no hypothesis can be extended")
    return Array(candidates.sorted {
        let (a, b) = ($0.score(lengthNormalization: alpha), $1.score(lengthNormalization: alpha))
        return a != b ? a > b : $0.tokens.lexicographicallyPrecedes($1.tokens)
    }.prefix(beamWidth))
}

/// Beam search from `initialState` until every kept hypothesis has ended or `maxLength` tokens are out.
///
/// Returns the best hypothesis's tokens, without the end token. A beam width of 1 is
/// greedy decoding: the single most probable token at every step. `lengthNormalization` is the α of
/// ``BeamHypothesis/score(lengthNormalization:)``; 0 ranks by log-probability alone.
public func beamSearch<State: Sendable>(
    initialState: State, beamWidth: Int, maxLength: Int, endToken: Int, lengthNormalization alpha: Double = 0,
    expand: (BeamHypothesis<State>) -> (logProbabilities: [Double], state: State)
) -> [Int] {
    var beams = [BeamHypothesis(tokens: [], logProbability: 0, state: initialState)]
    for _ in 0..<maxLength where !beams.allSatisfy(\.finished) {
        beams = beamSearchStep(beams, beamWidth: beamWidth, endToken: endToken, lengthNormalization: alpha, expand: expand)
    }
    let best = beams[0].tokens
    return best.last == endToken ? Array(best.dropLast()) : best
}
