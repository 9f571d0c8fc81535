/// The Transformer's position-wise feed-forward layer: the same two-layer network applied to every position alone.
///
///     H = ReLU(X W₁ᵀ + b₁)       [N, d_ff]
///     Y = H W₂ᵀ + b₂             [N, d]
///
/// `linear1` is `[d_ff, d]`, `linear2` `[d, d_ff]`, named as in PyTorch's `nn.TransformerEncoderLayer`
/// (`linear1.weight`, `linear1.bias`, `linear2.weight`, `linear2.bias`). Rows do not interact: N is B·T.
public struct PositionWiseFeedForward<Scalar: MatrixScalar>: Sendable {
    public var linear1: Linear<Scalar>
    public var linear2: Linear<Scalar>

    public init(dimension: Int, hiddenSize: Int, generator: inout SeededGenerator) {
        linear1 = Linear(inputSize: dimension, outputSize: hiddenSize, generator: &generator)
        linear2 = Linear(inputSize: hiddenSize, outputSize: dimension, generator: &generator)
    }

    public var parameters: Parameters<Scalar> {
        get { Parameters(layers: ["linear1": linear1.parameters, "linear2": linear2.parameters]) }
        set {
            newValue.requireMatching(parameters, "PositionWiseFeedForward parameters")
            linear1.parameters = newValue.layer("linear1")
            linear2.parameters = newValue.layer("linear2")
        }
    }

    public struct Cache: Sendable {
        let input: Matrix<Scalar>
        let hidden: Matrix<Scalar>         // H = ReLU(X W₁ᵀ + b₁)
    }

    /// Y `[N, d]` from X `[N, d]`. Complexity: O(N·d·d_ff).
    public func callAsFunction(_ x: Matrix<Scalar>) -> (output: Matrix<Scalar>, cache: Cache) {
        let hidden = relu(linear1(x))
        return (linear2(hidden), Cache(input: x, hidden: hidden))
    }

    /// ∂L/∂X and the four parameter gradients, from ∂L/∂Y. ReLU passes the gradient where H > 0.
    public func backward(_ outputGradient: Matrix<Scalar>, cache: Cache)
        -> (inputGradient: Matrix<Scalar>, parameterGradients: Parameters<Scalar>)
    {
        let (dHidden, second) = linear2.backward(outputGradient, input: cache.hidden)
        let dPre = dHidden.zipMap(cache.hidden) { g, h in h > 0 ? g : 0 }
        let (dx, first) = linear1.backward(dPre, input: cache.input)
        return (dx, Parameters(layers: ["linear1": first, "linear2": second]))
    }
}
