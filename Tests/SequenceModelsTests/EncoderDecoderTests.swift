import Testing
@testable import SequenceModels

@Suite struct EncoderDecoderTests {
    /// Two sources of different lengths (so one is padded) and two targets of length 3.
    let sources = [[3, 1, 4, 1], [5, 2]], targets = [[2, 0, 3], [1, 3, 3]]

    func model(attention: Bool) -> EncoderDecoder<Double> {
        var g = SeededGenerator(seed: 61)
        return EncoderDecoder(sourceVocabularySize: 6, targetVocabularySize: 4, embeddingSize: 3, hiddenSize: 3,
                              usesAttention: attention, startToken: 0, paddingToken: 0, generator: &g)
    }

    @Test(arguments: [false, true])
    func everyGradientMatchesFiniteDifferences(attention: Bool) {
        let m = model(attention: attention)
        let (_, gradients) = m.lossAndGradients(sources: sources, targets: targets)
        #expect(gradients.mismatch(with: m.parameters) == nil, "the gradients have the parameters' names and shapes")
        let result = checkGradients(of: { p in
            var probe = m
            probe.parameters = p
            return probe.lossAndGradients(sources: sources, targets: targets).loss
        }, at: m.parameters, analytic: gradients)
        #expect(result.relativeError < 1e-7, "\(result)")
    }

    @Test func attentionGivesOneDistributionPerOutputStep() {
        let weights = model(attention: true).attentionWeights(source: [5, 2, 4], target: [1, 3])
        #expect(weights.shape == [2, 3])
        #expect(weights.rowSums().scalars.allSatisfy { abs($0 - 1) < 1e-12 })
    }

    @Test func greedyTranslationIsBeamWidthOne() {
        let m = model(attention: true)
        let greedy = m.translate([3, 1, 4], beamWidth: 1, maxLength: 6, endToken: 3)
        let wide = m.translate([3, 1, 4], beamWidth: 4, maxLength: 6, endToken: 3)
        #expect(greedy.count <= 6 && wide.count <= 6)
        #expect(!greedy.contains(3) && !wide.contains(3))
    }
}

@Suite struct BeamSearchTests {
    /// Next-token probabilities over {0: end, 1, 2}, depending on the last token only. Row 0 is the start.
    static let table: [[Double]] = [[0.1, 0.5, 0.4],      // start
                                    [1, 1, 1],            // after the end token: never used
                                    [0.3, 0.35, 0.35],    // after 1
                                    [0.9, 0.05, 0.05]]    // after 2
    static func expand(_ h: BeamHypothesis<Int>) -> (logProbabilities: [Double], state: Int) {
        (table[(h.tokens.last ?? -1) + 1].map { Double.log($0) }, h.tokens.last ?? -1)
    }

    @Test func widthOneIsGreedyAndGreedyIsShortSighted() {
        // Greedy takes 1 (0.5) and then keeps choosing 1 (0.35 beats ending at 0.3) until the length cap.
        #expect(beamSearch(initialState: 0, beamWidth: 1, maxLength: 4, endToken: 0, expand: Self.expand) == [1, 1, 1, 1])
    }

    @Test func aWideBeamFindsTheMostProbableSequence() {
        func score(_ tokens: [Int]) -> Double {
            var last = -1, total = 0.0
            for token in tokens { total += Double.log(Self.table[last + 1][token]); last = token }
            return total
        }
        var best: ([Int], Double) = ([], -.infinity)
        func visit(_ prefix: [Int]) {      // every sequence of at most 4 tokens that ends with the end token
            guard prefix.count < 4 else { return }
            for token in 0..<3 {
                let sequence = prefix + [token]
                if token == 0 { if score(sequence) > best.1 { best = (sequence, score(sequence)) } } else { visit(sequence) }
            }
        }
        visit([])
        let found = beamSearch(initialState: 0, beamWidth: 3, maxLength: 4, endToken: 0, expand: Self.expand)
        #expect(found + [0] == best.0)
        #expect(found == [2])               // 0.4 · 0.9 = 0.36, which greedy never considers
    }

    @Test func stepKeepsTheBestAndCarriesFinishedHypotheses() {
        let start = [BeamHypothesis(tokens: [], logProbability: 0, state: 0)]
        let first = beamSearchStep(start, beamWidth: 2, endToken: 0, expand: Self.expand)
        #expect(first.map(\.tokens) == [[1], [2]])
        let second = beamSearchStep(first, beamWidth: 2, endToken: 0, expand: Self.expand)
        #expect(second.map(\.tokens) == [[2, 0], [1, 1]])     // 0.36, then 0.175 (tied with [1, 2]; the smaller wins)
        #expect(second[0].finished && !second[1].finished)
        let third = beamSearchStep(second, beamWidth: 2, endToken: 0, expand: Self.expand)
        #expect(third.map(\.tokens) == [[2, 0], [1, 1, 1]])
    }
}

@Suite struct LengthNormalizationTests {
    /// Over {0: end, 1, 2}: at the start end 0.5, 1 0.45, 2 0.05; after any token the end is certain.
    static func expand(_ h: BeamHypothesis<Int>) -> (logProbabilities: [Double], state: Int) {
        ((h.tokens.isEmpty ? [0.5, 0.45, 0.05] : [1, 0, 0]).map { Double.log($0) }, 0)
    }

    @Test func normalisingByLengthPrefersALongerOutputWithLikelierTokens() {
        // [0]: log 0.5 = −0.693 over 1 token. [1, 0]: log 0.45 = −0.799 in total, −0.399 per token.
        let plain = beamSearch(initialState: 0, beamWidth: 3, maxLength: 4, endToken: 0, expand: Self.expand)
        let normalised = beamSearch(initialState: 0, beamWidth: 3, maxLength: 4, endToken: 0, lengthNormalization: 1,
                                    expand: Self.expand)
        #expect(plain == [])
        #expect(normalised == [1])
        let h = BeamHypothesis(tokens: [1, 0], logProbability: Double.log(0.45), state: 0)
        #expect(abs(h.score(lengthNormalization: 1) - Double.log(0.45) / 2) < 1e-15)
        #expect(h.score(lengthNormalization: 0) == h.logProbability)
    }

    @Test func aTranslationsLogProbabilityIsTheSumOfItsStepsAndBeamSearchRanksByIt() {
        var g = SeededGenerator(seed: 62)
        let m = EncoderDecoder<Double>(sourceVocabularySize: 6, targetVocabularySize: 4, embeddingSize: 3, hiddenSize: 3,
                                       usesAttention: true, startToken: 0, paddingToken: 0, generator: &g)
        let target = [2, 1, 3]
        // −log P of a single example is its summed cross-entropy, which training computes independently.
        let loss = m.lossAndGradients(sources: [[3, 1, 4]], targets: [target]).loss
        #expect(abs(m.logProbability(of: target, given: [3, 1, 4]) + loss) < 1e-12)
        let greedy = m.translate([3, 1, 4], beamWidth: 1, maxLength: 6, endToken: 3)
        let wide = m.translate([3, 1, 4], beamWidth: 4, maxLength: 6, endToken: 3)
        func logP(_ tokens: [Int]) -> Double { m.logProbability(of: tokens + (tokens.count < 6 ? [3] : []), given: [3, 1, 4]) }
        #expect(logP(wide) >= logP(greedy) - 1e-12)
    }
}
