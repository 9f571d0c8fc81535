/// A table of learned vectors, one row per token: looking up token k returns row k.
///
/// `weight` is `[V, E]`. A lookup equals the product of a one-hot row vector with the table,
/// onehot(k) · W = W[k], without building the one-hot vector. Input N token ids, output `[N, E]`.
public struct Embedding<Scalar: MatrixScalar>: Sendable {
    public var weight: Matrix<Scalar>

    /// Rows drawn from N(0, 1), as `torch.nn.Embedding` initialises them.
    public init(vocabularySize: Int, dimension: Int, generator: inout SeededGenerator) {
        weight = .normal(vocabularySize, dimension, using: &generator)
    }

    public init(weight: Matrix<Scalar>) { self.weight = weight }

    /// The table under PyTorch's name, `weight`. Setting requires that name and the same shape.
    public var parameters: Parameters<Scalar> {
        get { ["weight": weight] }
        set {
            newValue.requireMatching(parameters, "Embedding parameters")
            weight = newValue["weight"]
        }
    }

    /// The rows of `tokens`, `[N, E]`. Complexity: O(N·E).
    public func callAsFunction(_ tokens: [Int]) -> Matrix<Scalar> {
        var result = Matrix<Scalar>(rows: tokens.count, columns: weight.columns)
        for (n, token) in tokens.enumerated() {
            require(token >= 0 && token < weight.rows, "Embedding: token \(token) is outside 0..<\(weight.rows)")
            result.scalars.replaceSubrange(n * weight.columns ..< (n + 1) * weight.columns,
                                           with: weight.scalars[token * weight.columns ..< (token + 1) * weight.columns])
        }
        return result
    }

    /// ∂L/∂W from ∂L/∂output `[N, E]`: each token's row receives the sum of its gradients.
    public func backward(_ outputGradient: Matrix<Scalar>, tokens: [Int]) -> Matrix<Scalar> {
        require(outputGradient.shape == [tokens.count, weight.columns],
                "Embedding backward: gradient \(outputGradient.shape) must be [\(tokens.count), \(weight.columns)]")
        var gradient = Matrix<Scalar>(rows: weight.rows, columns: weight.columns)
        let e = weight.columns
        for (n, token) in tokens.enumerated() {
            for j in 0..<e { gradient.scalars[token * e + j] += outputGradient.scalars[n * e + j] }
        }
        return gradient
    }
}
