/// One Transformer decoder layer, PyTorch's `nn.TransformerDecoderLayer(d, h, d_ff, dropout=0, batch_first=True, norm_first=False)`.
///
///     Z₁ = LayerNorm₁(X + MultiheadAttention(X, X, X, causal))      masked self-attention: position t reads 0…t
///     Z₂ = LayerNorm₂(Z₁ + MultiheadAttention(Z₁, M, M))            cross-attention: queries from the decoder,
///                                                                    keys and values from the encoder's output M
///     Y  = LayerNorm₃(Z₂ + FeedForward(Z₂))
///
/// X and Y are `[B·Ty, d]`, M is `[B·Tx, d]`, batch-major. The causal mask lets teacher forcing compute every
/// output position at once while each still sees only the tokens before it. Parameters under PyTorch's
/// names, in its order: `self_attn.*`, `multihead_attn.*`, `linear1.*`, `linear2.*`, `norm1.*`, `norm2.*`, `norm3.*`.
public struct TransformerDecoderLayer<Scalar: MatrixScalar>: Sendable {
    public var selfAttention: MultiheadAttention<Scalar>
    public var crossAttention: MultiheadAttention<Scalar>
    public var feedForward: PositionWiseFeedForward<Scalar>
    public var norm1: LayerNorm<Scalar>
    public var norm2: LayerNorm<Scalar>
    public var norm3: LayerNorm<Scalar>

    public init(dimension: Int, headCount: Int, feedForwardSize: Int, generator: inout SeededGenerator) {
        selfAttention = MultiheadAttention(dimension: dimension, headCount: headCount, generator: &generator)
        crossAttention = MultiheadAttention(dimension: dimension, headCount: headCount, generator: &generator)
        feedForward = PositionWiseFeedForward(dimension: dimension, hiddenSize: feedForwardSize, generator: &generator)
        norm1 = LayerNorm(dimension: dimension)
        norm2 = LayerNorm(dimension: dimension)
        norm3 = LayerNorm(dimension: dimension)
    }

    public var parameters: Parameters<Scalar> {
        get {
            Parameters(layers: ["self_attn": selfAttention.parameters, "multihead_attn": crossAttention.parameters])
                .appending(feedForward.parameters)
                .appending(Parameters(layers: ["norm1": norm1.parameters, "norm2": norm2.parameters, "norm3": norm3.parameters]))
        }
        set {
            newValue.requireMatching(parameters, "TransformerDecoderLayer parameters")
            selfAttention.parameters = newValue.layer("self_attn")
            crossAttention.parameters = newValue.layer("multihead_attn")
            feedForward.parameters = Parameters(layers: ["linear1": newValue.layer("linear1"), "linear2": newValue.layer("linear2")])
            norm1.parameters = newValue.layer("norm1")
            norm2.parameters = newValue.layer("norm2")
            norm3.parameters = newValue.layer("norm3")
        }
    }

    public struct Cache: Sendable {
        public let selfAttention: MultiheadAttention<Scalar>.Cache
        public let crossAttention: MultiheadAttention<Scalar>.Cache
        let norm1: LayerNorm<Scalar>.Cache, norm2: LayerNorm<Scalar>.Cache, norm3: LayerNorm<Scalar>.Cache
        let feedForward: PositionWiseFeedForward<Scalar>.Cache
    }

    /// Y `[B·Ty, d]` from X `[B·Ty, d]` and the encoder's output M `[B·Tx, d]`; `memoryMask` may leave padded
    /// source positions out.
    public func callAsFunction(_ x: Matrix<Scalar>, memory: Matrix<Scalar>, batch: Int, memoryMask: AttentionMask? = nil)
        -> (output: Matrix<Scalar>, cache: Cache)
    {
        let (s, selfCache) = selfAttention(query: x, keyValue: x, batch: batch, mask: .causal)
        let (z1, norm1Cache) = norm1(x + s)
        let (c, crossCache) = crossAttention(query: z1, keyValue: memory, batch: batch, mask: memoryMask)
        let (z2, norm2Cache) = norm2(z1 + c)
        let (f, feedForwardCache) = feedForward(z2)
        let (y, norm3Cache) = norm3(z2 + f)
        return (y, Cache(selfAttention: selfCache, crossAttention: crossCache, norm1: norm1Cache, norm2: norm2Cache,
                         norm3: norm3Cache, feedForward: feedForwardCache))
    }

    /// ∂L/∂X, ∂L/∂M and the parameter gradients, from ∂L/∂Y.
    public func backward(_ outputGradient: Matrix<Scalar>, cache: Cache)
        -> (inputGradient: Matrix<Scalar>, memoryGradient: Matrix<Scalar>, parameterGradients: Parameters<Scalar>)
    {
        let (dSum3, norm3Gradients) = norm3.backward(outputGradient, cache: cache.norm3)
        let (dz2ThroughF, feedForwardGradients) = feedForward.backward(dSum3, cache: cache.feedForward)
        let (dSum2, norm2Gradients) = norm2.backward(dSum3 + dz2ThroughF, cache: cache.norm2)
        let (dz1ThroughC, dMemory, crossGradients) = crossAttention.backward(dSum2, cache: cache.crossAttention)
        let (dSum1, norm1Gradients) = norm1.backward(dSum2 + dz1ThroughC, cache: cache.norm1)
        let (dq, dkv, selfGradients) = selfAttention.backward(dSum1, cache: cache.selfAttention)
        let gradients = Parameters(layers: ["self_attn": selfGradients, "multihead_attn": crossGradients])
            .appending(feedForwardGradients)
            .appending(Parameters(layers: ["norm1": norm1Gradients, "norm2": norm2Gradients, "norm3": norm3Gradients]))
        return (dSum1 + dq + dkv, dMemory, gradients)
    }
}
