/// A fully connected layer, y = x Wᵀ + b, in PyTorch's layout (`torch.nn.Linear`).
///
/// `weight` is `[out, in]` and `bias` is `[1, out]`; input `[N, in]`, output `[N, out]`.
public struct Linear<Scalar: MatrixScalar>: Sendable {
    public var weight: Matrix<Scalar>
    public var bias: Matrix<Scalar>

    /// Weights from U(−1/√in, 1/√in), as PyTorch initialises them.
    public init(inputSize: Int, outputSize: Int, generator: inout SeededGenerator) {
        let bound = 1 / Double(inputSize).squareRoot()
        weight = .uniform(outputSize, inputSize, bound: bound, using: &generator)
        bias = .uniform(1, outputSize, bound: bound, using: &generator)
    }

    public init(weight: Matrix<Scalar>, bias: Matrix<Scalar>) {
        require(bias.shape == [1, weight.rows], "Linear: bias \(bias.shape) must be [1, \(weight.rows)] for weight \(weight.shape)")
        self.weight = weight
        self.bias = bias
    }

    /// y = x Wᵀ + b, `[N, in] → [N, out]`. Complexity: O(N·in·out).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func callAsFunction(_ x: Matrix<Scalar>) -> Matrix<Scalar> {
        require(x.columns == weight.columns, "Linear: input \(x.shape) needs \(weight.columns) columns for weight \(weight.shape)")
        return matmul(x, weight, transposeB: true).addingRow(bias)
    }

    /// ∂L/∂x, and the gradients of W and b under the names of ``parameters``, from ∂L/∂y `[N, out]` and the
    /// input x `[N, in]`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ outputGradient: Matrix<Scalar>, input x: Matrix<Scalar>)
        -> (inputGradient: Matrix<Scalar>, parameterGradients: Parameters<Scalar>)
    {
        require(outputGradient.shape == [x.rows, weight.rows],
                "Linear backward: gradient \(outputGradient.shape) must be [\(x.rows), \(weight.rows)]")
        return (matmul(outputGradient, weight),                                  // ∂L/∂x = ∂L/∂y W
                ["weight": matmul(outputGradient, x, transposeA: true),           // ∂L/∂W = (∂L/∂y)ᵀ x
                 "bias": outputGradient.columnSums()])                            // ∂L/∂b = Σ_n ∂L/∂y
    }

    /// W and b under PyTorch's names, `weight` and `bias`, in its `parameters()` order. Setting requires the
    /// same names, in the same order, with the same shapes.
    public var parameters: Parameters<Scalar> {
        get { ["weight": weight, "bias": bias] }
        set {
            newValue.requireMatching(parameters, "Linear parameters")
            (weight, bias) = (newValue["weight"], newValue["bias"])
        }
    }
}
