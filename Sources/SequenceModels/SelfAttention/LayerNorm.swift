/// Layer normalisation (Ba, Kiros and Hinton, 2016), PyTorch's `nn.LayerNorm(d)`: each row normalised over its d features.
///
///     μ = (1/d) Σ_k x_k          σ² = (1/d) Σ_k (x_k − μ)²        (the biased variance, divided by d)
///     x̂ = (x − μ) / √(σ² + ε)    y = γ ⊙ x̂ + β                     ε = 1e-5
///
/// `weight` γ and `bias` β are `[1, d]`, starting at 1 and 0; input and output `[N, d]`, any N rows (B·T).
/// Unlike batch normalisation nothing is shared across rows, so a token is normalised the same way
/// whatever else is in its batch. Backward, with r = 1/√(σ² + ε) and g = ∂L/∂y ⊙ γ:
///
///     ∂L/∂x = r (g − mean(g) − x̂ mean(g ⊙ x̂))      ∂L/∂γ = Σ_rows ∂L/∂y ⊙ x̂      ∂L/∂β = Σ_rows ∂L/∂y
public struct LayerNorm<Scalar: MatrixScalar>: Sendable {
    public var weight: Matrix<Scalar>
    public var bias: Matrix<Scalar>
    public var epsilon: Scalar

    /// γ = 1, β = 0, as PyTorch initialises them.
    public init(dimension: Int, epsilon: Scalar = 1e-5) {
        weight = Matrix(rows: 1, columns: dimension, repeating: 1)
        bias = .zeros(1, dimension)
        self.epsilon = epsilon
    }

    /// γ and β under PyTorch's names, `weight` and `bias`. Setting requires the same names and shapes.
    public var parameters: Parameters<Scalar> {
        get { ["weight": weight, "bias": bias] }
        set {
            newValue.requireMatching(parameters, "LayerNorm parameters")
            (weight, bias) = (newValue["weight"], newValue["bias"])
        }
    }

    /// What the backward pass needs: x̂ `[N, d]` and r = 1/√(σ² + ε) per row.
    public struct Cache: Sendable {
        public let normalized: Matrix<Scalar>
        public let inverseDeviations: [Scalar]
    }

    /// y `[N, d]` from x `[N, d]`. Complexity: O(N·d).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func callAsFunction(_ x: Matrix<Scalar>) -> (output: Matrix<Scalar>, cache: Cache) {
        let d = weight.columns
        require(x.columns == d, "LayerNorm: input \(x.shape) needs \(d) columns")
        var normalized = x, output = x
        var inverse = [Scalar](repeating: 0, count: x.rows)
        for n in 0..<x.rows {
            var mean: Scalar = 0
            for k in 0..<d { mean += x.scalars[n * d + k] }
            mean /= Scalar(d)
            var variance: Scalar = 0
            for k in 0..<d { let c = x.scalars[n * d + k] - mean; variance += c * c }
            variance /= Scalar(d)                                             // biased: divided by d, not d − 1
            let r = 1 / (variance + epsilon).squareRoot()                     // ε inside the square root
            inverse[n] = r
            for k in 0..<d {
                let xhat = (x.scalars[n * d + k] - mean) * r
                normalized.scalars[n * d + k] = xhat
                output.scalars[n * d + k] = weight.scalars[k] * xhat + bias.scalars[k]
            }
        }
        return (output, Cache(normalized: normalized, inverseDeviations: inverse))
    }

    /// ∂L/∂x `[N, d]`, and ∂L/∂γ, ∂L/∂β under the names of ``parameters``, from ∂L/∂y `[N, d]`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ outputGradient: Matrix<Scalar>, cache: Cache)
        -> (inputGradient: Matrix<Scalar>, parameterGradients: Parameters<Scalar>)
    {
        let d = weight.columns, xhat = cache.normalized
        require(outputGradient.shape == xhat.shape, "LayerNorm backward: gradient \(outputGradient.shape) must be \(xhat.shape)")
        var dx = outputGradient
        var dWeight = Matrix<Scalar>.zeros(1, d), dBias = Matrix<Scalar>.zeros(1, d)
        for n in 0..<xhat.rows {
            var meanG: Scalar = 0, meanGX: Scalar = 0
            for k in 0..<d {
                let dy = outputGradient.scalars[n * d + k], xh = xhat.scalars[n * d + k]
                dWeight.scalars[k] += dy * xh
                dBias.scalars[k] += dy
                let g = dy * weight.scalars[k]
                meanG += g
                meanGX += g * xh
            }
            meanG /= Scalar(d)
            meanGX /= Scalar(d)
            let r = cache.inverseDeviations[n]
            for k in 0..<d {
                let g = outputGradient.scalars[n * d + k] * weight.scalars[k]
                dx.scalars[n * d + k] = r * (g - meanG - xhat.scalars[n * d + k] * meanGX)
            }
        }
        return (dx, ["weight": dWeight, "bias": dBias])
    }
}
