/// A small Transformer for sequence to sequence (Vaswani et al., 2017): self-attention instead of recurrence.
///
///     X⁰ = embed(x) + PE                 Xˡ = EncoderLayer(Xˡ⁻¹)               M = X^L          [B·Tx, d]
///     Y⁰ = embed(<START>, y⟨1⟩ … y⟨Ty−1⟩) + PE    Yˡ = DecoderLayer(Yˡ⁻¹, M)                      [B·Ty, d]
///     P(y⟨t⟩ | y⟨<t⟩, x) = softmax(Y^L W_oᵀ + b_o) at row t
///
/// Teacher forcing computes every output position in one pass (the decoder's causal mask keeps position
/// t from reading y⟨t⟩ and later). The loss is the cross-entropy summed over the output positions and
/// averaged over the batch, as ``EncoderDecoder`` reports it. Sources of one batch have one length, as in
/// ``SequenceToSequenceModel/fit(_:steps:batchSize:optimizer:clipNorm:generator:)``, so no padding is needed.
public struct TransformerEncoderDecoder<Scalar: MatrixScalar>: SequenceToSequenceModel, Sendable {
    public var sourceEmbedding: Embedding<Scalar>
    public var targetEmbedding: Embedding<Scalar>
    public var encoderLayers: [TransformerEncoderLayer<Scalar>]
    public var decoderLayers: [TransformerDecoderLayer<Scalar>]
    public var output: Linear<Scalar>
    /// The decoder's first input.
    public var startToken: Int
    /// The sinusoidal table, `[maxLength, d]`.
    public let positions: Matrix<Scalar>

    public init(sourceVocabularySize: Int, targetVocabularySize: Int, dimension: Int, headCount: Int, feedForwardSize: Int,
                encoderLayerCount: Int, decoderLayerCount: Int, maxLength: Int = 64, startToken: Int,
                generator: inout SeededGenerator) {
        sourceEmbedding = Embedding(vocabularySize: sourceVocabularySize, dimension: dimension, generator: &generator)
        targetEmbedding = Embedding(vocabularySize: targetVocabularySize, dimension: dimension, generator: &generator)
        encoderLayers = (0..<encoderLayerCount).map { _ in
            TransformerEncoderLayer(dimension: dimension, headCount: headCount, feedForwardSize: feedForwardSize, generator: &generator)
        }
        decoderLayers = (0..<decoderLayerCount).map { _ in
            TransformerDecoderLayer(dimension: dimension, headCount: headCount, feedForwardSize: feedForwardSize, generator: &generator)
        }
        output = Linear(inputSize: dimension, outputSize: targetVocabularySize, generator: &generator)
        self.startToken = startToken
        positions = PositionalEncoding.sinusoidal(positions: maxLength, dimension: dimension)
    }

    /// Every weight under its layer's name: `sourceEmbedding.weight`, `targetEmbedding.weight`,
    /// `encoder.0.self_attn.in_proj_weight`, …, `decoder.0.multihead_attn.…`, `output.weight`, `output.bias`.
    public var parameters: Parameters<Scalar> {
        get {
            var layers: [(name: String, parameters: Parameters<Scalar>)] = [("sourceEmbedding", sourceEmbedding.parameters),
                                                                          ("targetEmbedding", targetEmbedding.parameters)]
            for (l, layer) in encoderLayers.enumerated() { layers.append(("encoder.\(l)", layer.parameters)) }
            for (l, layer) in decoderLayers.enumerated() { layers.append(("decoder.\(l)", layer.parameters)) }
            layers.append(("output", output.parameters))
            return Parameters(layers: layers)
        }
        set {
            newValue.requireMatching(parameters, "TransformerEncoderDecoder parameters")
            sourceEmbedding.parameters = newValue.layer("sourceEmbedding")
            targetEmbedding.parameters = newValue.layer("targetEmbedding")
            for l in encoderLayers.indices { encoderLayers[l].parameters = newValue.layer("encoder.\(l)") }
            for l in decoderLayers.indices { decoderLayers[l].parameters = newValue.layer("decoder.\(l)") }
            output.parameters = newValue.layer("output")
        }
    }

    /// Tokens of equally long sequences, batch-major, embedded and position-encoded: `[B·T, d]`.
    func embed(_ sequences: [[Int]], with embedding: Embedding<Scalar>) -> (tokens: [Int], x: Matrix<Scalar>) {
        let tokens = sequences.flatMap { $0 }
        return (tokens, PositionalEncoding.adding(positions, to: embedding(tokens), batch: sequences.count))
    }

    /// The encoder's output M `[B·Tx, d]` and each layer's cache.
    func encode(_ sources: [[Int]]) -> (memory: Matrix<Scalar>, caches: [TransformerEncoderLayer<Scalar>.Cache], tokens: [Int]) {
        let length = sources.first?.count ?? 0
        require(!sources.isEmpty && length > 0 && sources.allSatisfy { $0.count == length },
                "TransformerEncoderDecoder: sources must be non-empty sequences of one length")
        let embedded = embed(sources, with: sourceEmbedding)
        let tokens = embedded.tokens
        var x = embedded.x
        var caches: [TransformerEncoderLayer<Scalar>.Cache] = []
        for layer in encoderLayers {
            let (y, cache) = layer(x, batch: sources.count)
            caches.append(cache)
            x = y
        }
        return (x, caches, tokens)
    }

    /// The logits `[B·Ty, V]` for decoder inputs `inputs` (each starting with the start token) and memory M.
    func decode(_ inputs: [[Int]], memory: Matrix<Scalar>) -> (logits: Matrix<Scalar>, top: Matrix<Scalar>,
                                                                 caches: [TransformerDecoderLayer<Scalar>.Cache], tokens: [Int]) {
        let embedded = embed(inputs, with: targetEmbedding)
        let tokens = embedded.tokens
        var y = embedded.x
        var caches: [TransformerDecoderLayer<Scalar>.Cache] = []
        for layer in decoderLayers {
            let (next, cache) = layer(y, memory: memory, batch: inputs.count)
            caches.append(cache)
            y = next
        }
        return (output(y), y, caches, tokens)
    }

    /// The loss (summed over output positions, averaged over the batch) and the gradients of every parameter.
    public func lossAndGradients(sources: [[Int]], targets: [[Int]]) -> (loss: Scalar, gradients: Parameters<Scalar>) {
        let batch = sources.count, length = targets.first?.count ?? 0
        require(targets.count == batch && targets.allSatisfy { $0.count == length },
                "TransformerEncoderDecoder: targets must be \(batch) sequences of one length")
        let (memory, encoderCaches, sourceTokens) = encode(sources)
        let inputs = targets.map { [startToken] + $0.dropLast() }                       // teacher forcing, shifted right
        let (logits, top, decoderCaches, targetTokens) = decode(inputs, memory: memory)
        let (loss, dLogits) = SoftmaxCrossEntropy(reduction: .sum)(logits, targets: targets.flatMap { $0 })
        let scale = 1 / Scalar(batch)
        let (dTop, outputGradients) = output.backward(dLogits * scale, input: top)
        var dy = dTop, dMemory = Matrix<Scalar>.zeros(memory.rows, memory.columns)
        var decoderGradients: [Parameters<Scalar>] = []
        for l in decoderLayers.indices.reversed() {
            let back = decoderLayers[l].backward(dy, cache: decoderCaches[l])
            dy = back.inputGradient
            dMemory += back.memoryGradient                                             // every decoder layer reads M
            decoderGradients.insert(back.parameterGradients, at: 0)
        }
        var dx = dMemory
        var encoderGradients: [Parameters<Scalar>] = []
        for l in encoderLayers.indices.reversed() {
            let back = encoderLayers[l].backward(dx, cache: encoderCaches[l])
            dx = back.inputGradient
            encoderGradients.insert(back.parameterGradients, at: 0)
        }
        var layers: [(name: String, parameters: Parameters<Scalar>)] = [
            ("sourceEmbedding", ["weight": sourceEmbedding.backward(dx, tokens: sourceTokens)]),
            ("targetEmbedding", ["weight": targetEmbedding.backward(dy, tokens: targetTokens)])]
        for (l, g) in encoderGradients.enumerated() { layers.append(("encoder.\(l)", g)) }
        for (l, g) in decoderGradients.enumerated() { layers.append(("decoder.\(l)", g)) }
        layers.append(("output", outputGradients))
        return (loss * scale, Parameters(layers: layers))
    }

    /// Greedy decoding of many sources at once (grouped by length), each output without its end token.
    public func translate(_ sources: [[Int]], maxLength: Int, endToken: Int) -> [[Int]] {
        var results = [[Int]](repeating: [], count: sources.count)
        for group in Dictionary(grouping: sources.indices, by: { sources[$0].count }).values {
            let memory = encode(group.map { sources[$0] }).memory
            var inputs = group.map { _ in [startToken] }
            var finished = [Bool](repeating: false, count: group.count)
            for _ in 0..<maxLength where !finished.allSatisfy({ $0 }) {
                let logits = decode(inputs, memory: memory).logits
                let t = inputs[0].count, v = logits.columns
                for (k, index) in group.enumerated() {
                    let row = (k * t + t - 1) * v
                    var best = 0
                    for c in 1..<v where logits.scalars[row + c] > logits.scalars[row + best] { best = c }
                    inputs[k].append(best)
                    if finished[k] { continue }
                    if best == endToken { finished[k] = true } else { results[index].append(best) }
                }
            }
        }
        return results
    }

    /// The cross-attention weights of decoder layer `layer` while reading `target` with teacher forcing:
    /// one `[Ty, Tx]` matrix per head, row t for output step t.
    public func crossAttentionWeights(source: [Int], target: [Int], layer: Int = 0) -> [Matrix<Scalar>] {
        let memory = encode([source]).memory
        let inputs = [[startToken] + target.dropLast()]
        return decode(inputs, memory: memory).caches[layer].crossAttention.weights[0]
    }
}
