/// One Transformer encoder layer, PyTorch's `nn.TransformerEncoderLayer(d, h, d_ff, dropout=0, batch_first=True, norm_first=False)`.
///
///     Z = LayerNorm₁(X + MultiheadAttention(X, X, X))       self-attention, then a residual and post-norm
///     Y = LayerNorm₂(Z + FeedForward(Z))                    FeedForward(Z) = ReLU(Z W₁ᵀ + b₁) W₂ᵀ + b₂
///
/// Input and output `[B·T, d]`, batch-major. Every position reads every other in one step: no recurrence,
/// so the T positions are computed together. The residual paths carry the gradient straight down:
/// ∂L/∂X = ∂L/∂(X + A) (1 + ∂A/∂X). Parameters under PyTorch's names, in its order: `self_attn.*`,
/// `linear1.*`, `linear2.*`, `norm1.*`, `norm2.*`.
public struct TransformerEncoderLayer<Scalar: MatrixScalar>: Sendable {
    public var selfAttention: MultiheadAttention<Scalar>
    public var feedForward: PositionWiseFeedForward<Scalar>
    public var norm1: LayerNorm<Scalar>
    public var norm2: LayerNorm<Scalar>

    public init(dimension: Int, headCount: Int, feedForwardSize: Int, generator: inout SeededGenerator) {
        selfAttention = MultiheadAttention(dimension: dimension, headCount: headCount, generator: &generator)
        feedForward = PositionWiseFeedForward(dimension: dimension, hiddenSize: feedForwardSize, generator: &generator)
        norm1 = LayerNorm(dimension: dimension)
        norm2 = LayerNorm(dimension: dimension)
    }

    public var parameters: Parameters<Scalar> {
        get {
            Parameters(layers: ["self_attn": selfAttention.parameters]).appending(feedForward.parameters)
                .appending(Parameters(layers: ["norm1": norm1.parameters, "norm2": norm2.parameters]))
        }
        set {
            newValue.requireMatching(parameters, "TransformerEncoderLayer parameters")
            selfAttention.parameters = newValue.layer("self_attn")
            feedForward.parameters = Parameters(layers: ["linear1": newValue.layer("linear1"), "linear2": newValue.layer("linear2")])
            norm1.parameters = newValue.layer("norm1")
            norm2.parameters = newValue.layer("norm2")
        }
    }

    public struct Cache: Sendable {
        public let attention: MultiheadAttention<Scalar>.Cache
        let norm1: LayerNorm<Scalar>.Cache
        let feedForward: PositionWiseFeedForward<Scalar>.Cache
        let norm2: LayerNorm<Scalar>.Cache
    }

    /// Y `[B·T, d]` from X `[B·T, d]`; `mask` may leave padded keys out.
    public func callAsFunction(_ x: Matrix<Scalar>, batch: Int, mask: AttentionMask? = nil) -> (output: Matrix<Scalar>, cache: Cache) {
        let (a, attentionCache) = selfAttention(query: x, keyValue: x, batch: batch, mask: mask)
        let (z, norm1Cache) = norm1(x + a)
        let (f, feedForwardCache) = feedForward(z)
        let (y, norm2Cache) = norm2(z + f)
        return (y, Cache(attention: attentionCache, norm1: norm1Cache, feedForward: feedForwardCache, norm2: norm2Cache))
    }

    /// ∂L/∂X and the parameter gradients, from ∂L/∂Y.
    public func backward(_ outputGradient: Matrix<Scalar>, cache: Cache)
        -> (inputGradient: Matrix<Scalar>, parameterGradients: Parameters<Scalar>)
    {
        let (dSum2, norm2Gradients) = norm2.backward(outputGradient, cache: cache.norm2)      // ∂L/∂(Z + F)
        let (dzThroughF, feedForwardGradients) = feedForward.backward(dSum2, cache: cache.feedForward)
        let (dSum1, norm1Gradients) = norm1.backward(dSum2 + dzThroughF, cache: cache.norm1)  // ∂L/∂(X + A)
        let (dq, dkv, attentionGradients) = selfAttention.backward(dSum1, cache: cache.attention)
        let gradients = Parameters(layers: ["self_attn": attentionGradients]).appending(feedForwardGradients)
            .appending(Parameters(layers: ["norm1": norm1Gradients, "norm2": norm2Gradients]))
        return (dSum1 + dq + dkv, gradients)
    }
}
