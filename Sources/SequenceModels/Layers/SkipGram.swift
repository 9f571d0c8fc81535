/// Word embeddings learned by skip-gram with negative sampling (Mikolov et al., 2013).
///
/// Each word w has an input vector v_w (a row of ``inputVectors``, the embeddings kept afterwards)
/// and an output vector u_w. For a word c seen within a window of w, and k words n₁…n_k drawn
/// from the unigram distribution raised to the power 3/4, the loss is
///
///     L = −log σ(u_c · v_w) − Σᵢ log σ(−u_nᵢ · v_w)
///
/// so that words that occur together get vectors with large dot products. Both tables are `[V, d]`.
public struct SkipGram<Scalar: MatrixScalar>: Sendable {
    public var inputVectors: Matrix<Scalar>
    public var outputVectors: Matrix<Scalar>

    /// Input vectors from U(−0.5/d, 0.5/d) and output vectors at zero, as word2vec starts.
    public init(vocabularySize: Int, dimension: Int, generator: inout SeededGenerator) {
        inputVectors = .uniform(vocabularySize, dimension, bound: 0.5 / Double(dimension), using: &generator)
        outputVectors = .zeros(vocabularySize, dimension)
    }

    public init(inputVectors: Matrix<Scalar>, outputVectors: Matrix<Scalar>) {
        require(inputVectors.shape == outputVectors.shape,
                "SkipGram: input vectors \(inputVectors.shape) and output vectors \(outputVectors.shape) differ")
        self.inputVectors = inputVectors
        self.outputVectors = outputVectors
    }

    /// The loss of one word `center` with one true `context` word and the sampled `negatives`.
    public func loss(center: Int, context: Int, negatives: [Int]) -> Scalar {
        let d = inputVectors.columns
        func score(_ word: Int) -> Scalar {
            (0..<d).reduce(0) { $0 + outputVectors.scalars[word * d + $1] * inputVectors.scalars[center * d + $1] }
        }
        func logSigmoid(_ x: Scalar) -> Scalar { -Scalar.log(1 + Scalar.exp(-x)) }
        return -logSigmoid(score(context)) - negatives.reduce(0) { $0 + logSigmoid(-score($1)) }
    }

    /// One stochastic gradient step on one (center, context, negatives) example; returns its loss.
    ///
    /// With s = u·v and label y (1 for the context word, 0 for a negative), ∂L/∂s = σ(s) − y;
    /// then ∂L/∂u = (σ(s) − y) v and ∂L/∂v = Σ (σ(s) − y) u. Complexity: O((k + 1)·d).
    @discardableResult
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func step(center: Int, context: Int, negatives: [Int], learningRate: Scalar) -> Scalar {
        let d = inputVectors.columns
        var loss: Scalar = 0
        var centerGradient = [Scalar](repeating: 0, count: d)
        inputVectors.scalars.withUnsafeMutableBufferPointer { input in
        outputVectors.scalars.withUnsafeMutableBufferPointer { output in
            let v = input.baseAddress! + center * d
            for (index, word) in ([context] + negatives).enumerated() {
                let u = output.baseAddress! + word * d
                var s: Scalar = 0
                for j in 0..<d { s += u[j] * v[j] }
                let label: Scalar = index == 0 ? 1 : 0
                let p = sigmoid(s)
                loss -= Scalar.log(label == 1 ? max(p, 1e-30) : max(1 - p, 1e-30))
                let g = p - label                                   // ∂L/∂s
                for j in 0..<d {
                    centerGradient[j] += g * u[j]
                    u[j] -= learningRate * g * v[j]
                }
            }
            for j in 0..<d { v[j] -= learningRate * centerGradient[j] }
        }}
        return loss
    }

    /// Trains on a token stream for `epochs` passes; returns the mean loss of each pass.
    ///
    /// Each word is paired with the words within a window whose width is drawn from 1…`window`
    /// (nearer words are used more often), a word of frequency f is randomly skipped with probability
    /// about 1 − √(t / f), t = `subsampling` (word2vec's 10⁻⁴), and the learning rate falls linearly to zero.
    public mutating func train(tokens: [Int], window: Int = 4, negatives: Int = 5, epochs: Int,
                               learningRate: Scalar, subsampling: Double = 1e-4,
                               generator: inout SeededGenerator) -> [Scalar] {
        let vocabularySize = inputVectors.rows
        var counts = [Double](repeating: 0, count: vocabularySize)
        for token in tokens { counts[token] += 1 }
        var cumulative: [Double] = []
        var total = 0.0
        for count in counts { total += Double.pow(count, 0.75); cumulative.append(total) }
        let keep = counts.map { count -> Double in
            let frequency = count / Double(max(tokens.count, 1))
            return frequency > 0 ? min(1, (subsampling / frequency).squareRoot() + subsampling / frequency) : 0
        }
        var means: [Scalar] = []
        let totalPositions = Double(epochs * tokens.count)
        for epoch in 0..<epochs {
            var sum: Scalar = 0
            var pairs = 0
            for position in tokens.indices {
                let center = tokens[position]
                guard generator.nextUniform() < keep[center] else { continue }
                let progress = Double(epoch * tokens.count + position) / totalPositions
                let rate = learningRate * Scalar(max(1e-4, 1 - progress))
                let width = 1 + generator.nextIndex(below: window)
                for offset in -width...width where offset != 0 {
                    let other = position + offset
                    guard other >= 0, other < tokens.count else { continue }
                    let sampled = (0..<negatives).map { _ in
                        let u = generator.nextUniform() * total          // a draw from the unigram^¾ distribution
                        var low = 0, high = cumulative.count - 1
                        while low < high {
                            let middle = (low + high) / 2
                            if cumulative[middle] < u { low = middle + 1 } else { high = middle }
                        }
                        return low
                    }
                    sum += step(center: center, context: tokens[other], negatives: sampled, learningRate: rate)
                    pairs += 1
                }
            }
            means.append(sum / Scalar(max(pairs, 1)))
        }
        return means
    }
}
