/// The softmax of `logits / temperature`: below 1 it sharpens the distribution, above 1 it flattens it.
///
/// As the temperature approaches 0 the result approaches a one-hot vector at the argmax.
/// Input and output `[B, V]`.
public func softmax<Scalar>(_ logits: Matrix<Scalar>, temperature: Scalar) -> Matrix<Scalar> {
    require(temperature > 0, "softmax: the temperature must be positive, got \(temperature)")
    return softmax(logits * (1 / temperature))
}

extension SeededGenerator {
    /// Draws an index with the given probabilities (which must sum to about 1).
    ///
    /// Inverse-CDF sampling: one uniform draw u, then the first index whose cumulative
    /// probability exceeds u. The same generator state always gives the same index.
    public mutating func sampleIndex<Scalar: MatrixScalar>(probabilities: [Scalar]) -> Int {
        require(!probabilities.isEmpty, "sampleIndex: no probabilities")
        let total = probabilities.reduce(0.0) { $0 + Double($1) }
        let u = nextUniform() * total
        var cumulative = 0.0
        for (index, p) in probabilities.enumerated() {
            cumulative += Double(p)
            if u < cumulative { return index }
        }
        return probabilities.lastIndex { $0 > 0 } ?? probabilities.count - 1
    }
}

/// Perplexity, exp(mean negative log-likelihood per token): the effective number of choices the model hesitates between.
public func perplexity(meanCrossEntropy: Double) -> Double {
    Double.exp(meanCrossEntropy)
}
