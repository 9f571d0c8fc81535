/// A sequence-to-sequence model: a GRU encoder reads the input, a GRU decoder writes the output.
///
/// Without attention (Sutskever, Vinyals and Le, 2014) the decoder sees the input only through
/// its initial state, the encoder's last state: one fixed-size vector, however long the input.
/// With attention (Bahdanau et al., 2014) every decoder step also reads a context vector c⟨t⟩,
/// a weighted mean of all the encoder's outputs:
///
///     s⟨0⟩ = h⟨Tx⟩ (the encoder's final state)
///     c⟨t⟩ = attention(s⟨t−1⟩, h⟨1…Tx⟩)                                    (with attention)
///     s⟨t⟩ = GRU([embed(y⟨t−1⟩) ; c⟨t⟩], s⟨t−1⟩)
///     P(y⟨t⟩ | y⟨<t⟩, x) = softmax(W_o [s⟨t⟩ ; c⟨t⟩] + b_o)
///
/// Training uses teacher forcing: the decoder reads the true previous token, starting from
/// `startToken`. Sources in a batch may differ in length: they are padded on the left with
/// `paddingToken`, which attention ignores. Targets in a batch must have equal lengths.
public struct EncoderDecoder<Scalar: MatrixScalar>: SequenceToSequenceModel, Sendable {
    public var sourceEmbedding: Embedding<Scalar>
    public var encoder: GRU<Scalar>
    public var targetEmbedding: Embedding<Scalar>
    public var decoder: GRU<Scalar>
    public var attention: AdditiveAttention<Scalar>?
    public var output: Linear<Scalar>
    /// The decoder's first input.
    public var startToken: Int
    /// The source token used for left padding.
    public var paddingToken: Int

    public init(sourceVocabularySize: Int, targetVocabularySize: Int, embeddingSize: Int, hiddenSize: Int,
                usesAttention: Bool, startToken: Int, paddingToken: Int, generator: inout SeededGenerator) {
        sourceEmbedding = Embedding(vocabularySize: sourceVocabularySize, dimension: embeddingSize, generator: &generator)
        encoder = GRU(inputSize: embeddingSize, hiddenSize: hiddenSize, generator: &generator)
        targetEmbedding = Embedding(vocabularySize: targetVocabularySize, dimension: embeddingSize, generator: &generator)
        let contextSize = usesAttention ? hiddenSize : 0
        decoder = GRU(inputSize: embeddingSize + contextSize, hiddenSize: hiddenSize, generator: &generator)
        attention = usesAttention
            ? AdditiveAttention(querySize: hiddenSize, keySize: hiddenSize, attentionSize: hiddenSize, generator: &generator)
            : nil
        output = Linear(inputSize: hiddenSize + contextSize, outputSize: targetVocabularySize, generator: &generator)
        self.startToken = startToken
        self.paddingToken = paddingToken
    }

    /// Every weight, under its layer's name: source embedding (`sourceEmbedding.weight`), encoder
    /// (`encoder.weight_ih`, …), target embedding, decoder, attention (if any), output layer (`output.bias`).
    /// Setting requires the same names, in the same order, with the same shapes.
    public var parameters: Parameters<Scalar> {
        get {
            Parameters(layers: ["sourceEmbedding": sourceEmbedding.parameters, "encoder": encoder.parameters,
                                "targetEmbedding": targetEmbedding.parameters, "decoder": decoder.parameters,
                                "attention": attention?.parameters ?? [:], "output": output.parameters])
        }
        set {
            newValue.requireMatching(parameters, "EncoderDecoder parameters")
            sourceEmbedding.parameters = newValue.layer("sourceEmbedding")
            encoder.parameters = newValue.layer("encoder")
            targetEmbedding.parameters = newValue.layer("targetEmbedding")
            decoder.parameters = newValue.layer("decoder")
            attention?.parameters = newValue.layer("attention")
            output.parameters = newValue.layer("output")
        }
    }

    /// The encoder's view of a batch: annotations `[Tx·B, H]`, their keys, the padding mask, the final state.
    struct Encoding {
        let tokens: [Int]                          // time-major, left-padded, [Tx·B]
        let annotations: Matrix<Scalar>
        let keys: Matrix<Scalar>?
        let mask: [Bool]
        let finalState: Matrix<Scalar>
        let cache: GRU<Scalar>.Cache
        let batch: Int
    }

    func encode(_ sources: [[Int]]) -> Encoding {
        let batch = sources.count, length = sources.map(\.count).max() ?? 0
        require(batch > 0 && length > 0, "EncoderDecoder: a batch needs at least one non-empty source")
        var tokens = [Int](), mask = [Bool]()
        for j in 0..<length {
            for source in sources {
                let padding = length - source.count
                tokens.append(j < padding ? paddingToken : source[j - padding])
                mask.append(j >= padding)
            }
        }
        let (annotations, final, cache) = encoder.forward(sourceEmbedding(tokens), batch: batch, initialState: nil)
        return Encoding(tokens: tokens, annotations: annotations, keys: attention?.projectedKeys(annotations),
                        mask: mask, finalState: final.hidden, cache: cache, batch: batch)
    }

    /// One decoder step: the next state, the logits `[B, V]`, and what the backward pass needs.
    struct DecoderStep {
        let previousTokens: [Int]                           // the tokens read at this step, [B]
        let input: Matrix<Scalar>                           // [B, E (+ H)]
        let context: Matrix<Scalar>?
        let attentionCache: AdditiveAttention<Scalar>.StepCache?
        let decoderCache: GRU<Scalar>.Cache
        let readOut: Matrix<Scalar>                         // [s ; c], the output layer's input
        let state: Matrix<Scalar>
        let logits: Matrix<Scalar>
    }

    func decodeStep(previousTokens: [Int], state: Matrix<Scalar>, encoding: Encoding) -> DecoderStep {
        let embedded = targetEmbedding(previousTokens)
        var context: Matrix<Scalar>?, attentionCache: AdditiveAttention<Scalar>.StepCache?
        if let attention {
            (context, attentionCache) = attention(query: state, annotations: encoding.annotations,
                                                  keys: encoding.keys!, mask: encoding.mask)
        }
        let input = context.map { Matrix.concatenatingColumns([embedded, $0]) } ?? embedded
        let (next, _, cache) = decoder.forward(input, batch: state.rows, initialState: RecurrentState(hidden: state))
        let readOut = context.map { Matrix.concatenatingColumns([next, $0]) } ?? next
        return DecoderStep(previousTokens: previousTokens, input: input, context: context, attentionCache: attentionCache, decoderCache: cache,
                           readOut: readOut, state: next, logits: output(readOut))
    }

    /// The loss, Σ_t cross-entropy summed over steps and averaged over the batch, and every gradient, under the
    /// names of ``parameters``.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func lossAndGradients(sources: [[Int]], targets: [[Int]]) -> (loss: Scalar, gradients: Parameters<Scalar>) {
        let batch = sources.count, length = targets.first?.count ?? 0
        require(targets.count == batch && targets.allSatisfy { $0.count == length },
                "EncoderDecoder: targets must be \(batch) sequences of one length")
        let encoding = encode(sources)
        var state = encoding.finalState
        var steps: [DecoderStep] = []
        var loss: Scalar = 0
        var logitGradients: [Matrix<Scalar>] = []
        let crossEntropy = SoftmaxCrossEntropy(reduction: .sum)
        for t in 0..<length {
            let previous = t == 0 ? Array(repeating: startToken, count: batch) : targets.map { $0[t - 1] }   // teacher forcing
            let step = decodeStep(previousTokens: previous, state: state, encoding: encoding)
            let (stepLoss, gradient) = crossEntropy(step.logits, targets: targets.map { $0[t] })
            loss += stepLoss / Scalar(batch)
            logitGradients.append(gradient * (1 / Scalar(batch)))
            steps.append(step)
            state = step.state
        }

        let h = decoder.hiddenSize, e = targetEmbedding.weight.columns
        var dOutput = output.parameters.mapValues { .zeros($0.rows, $0.columns) }
        var dDecoder = decoder.parameters.mapValues { .zeros($0.rows, $0.columns) }
        var dAttention = attention.map(AdditiveAttention.init(zerosLike:))    // ∂L/∂W_q, ∂L/∂W_k, ∂L/∂v
        var dTargetEmbedding = Matrix<Scalar>.zeros(targetEmbedding.weight.rows, e)
        var dAnnotations = Matrix<Scalar>.zeros(encoding.annotations.rows, h)
        var dKeys = encoding.keys.map { Matrix<Scalar>.zeros($0.rows, $0.columns) }
        var dState = Matrix<Scalar>.zeros(batch, h)                   // ∂L/∂s⟨t⟩ from later steps
        for t in (0..<length).reversed() {
            let step = steps[t]
            let throughOutput = output.backward(logitGradients[t], input: step.readOut)
            dOutput += throughOutput.parameterGradients
            dState += throughOutput.inputGradient.columns(0..<h)
            let stepGradients = decoder.backward(dState, finalStateGradient: nil, cache: step.decoderCache)
            dDecoder += stepGradients.parameterGradients
            dState = stepGradients.initialStateGradient.hidden          // ∂L/∂s⟨t−1⟩ through the GRU
            dTargetEmbedding += targetEmbedding.backward(stepGradients.inputGradient.columns(0..<e), tokens: step.previousTokens)
            if let attention, let cache = step.attentionCache {
                let dContext = throughOutput.inputGradient.columns(h..<2 * h) + stepGradients.inputGradient.columns(e..<e + h)
                let back = attention.backward(dContext, cache: cache, annotations: encoding.annotations)
                dState += back.query                                     // s⟨t−1⟩ was also the attention's query
                dAnnotations += back.annotations
                dKeys! += back.keys
                dAttention!.queryWeight += back.queryWeight
                dAttention!.scoreVector += back.scoreVector
            }
        }
        if let attention, let dKeys {
            let throughKeys = attention.keyBackward(dKeys, annotations: encoding.annotations)
            dAttention!.keyWeight = throughKeys.keyWeight
            dAnnotations += throughKeys.annotations
        }
        let encoderGradients = encoder.backward(dAnnotations, finalStateGradient: RecurrentState(hidden: dState),
                                                cache: encoding.cache)
        let dSourceEmbedding = sourceEmbedding.backward(encoderGradients.inputGradient, tokens: encoding.tokens)
        return (loss, Parameters(layers: ["sourceEmbedding": ["weight": dSourceEmbedding], "encoder": encoderGradients.parameterGradients,
                                          "targetEmbedding": ["weight": dTargetEmbedding], "decoder": dDecoder,
                                          "attention": dAttention?.parameters ?? [:], "output": dOutput]))
    }

    /// Decodes one source with beam search; a beam width of 1 is greedy decoding. Stops at `endToken`.
    ///
    /// `lengthNormalization` is α in the ranking score log P / length^α (0: log P alone).
    @_specialize(where Scalar == Float)
    public func translate(_ source: [Int], beamWidth: Int = 1, maxLength: Int, endToken: Int,
                          lengthNormalization: Double = 0) -> [Int] {
        let encoding = encode([source])
        return beamSearch(initialState: encoding.finalState, beamWidth: beamWidth, maxLength: maxLength,
                          endToken: endToken, lengthNormalization: lengthNormalization) { hypothesis in
            let step = decodeStep(previousTokens: [hypothesis.tokens.last ?? startToken], state: hypothesis.state,
                                  encoding: encoding)
            return (Self.logSoftmax(step.logits), step.state)
        }
    }

    /// log P(target | source) = Σ_t log P(target⟨t⟩ | target⟨<t⟩, source), reading `target` with teacher forcing.
    ///
    /// A finished translation ends with the end token; include it, as beam search's scores do.
    public func logProbability(of target: [Int], given source: [Int]) -> Double {
        let encoding = encode([source])
        var state = encoding.finalState, previous = startToken, total = 0.0
        for token in target {
            let step = decodeStep(previousTokens: [previous], state: state, encoding: encoding)
            total += Self.logSoftmax(step.logits)[token]
            (state, previous) = (step.state, token)
        }
        return total
    }

    /// The log-probabilities of a `[1, V]` row of logits, in Double: z − log Σ exp z, computed stably.
    static func logSoftmax(_ logits: Matrix<Scalar>) -> [Double] {
        let row = logits.row(0).map(Double.init)
        let largest = row.max()!
        let logTotal = largest + Double.log(row.reduce(0) { $0 + Double.exp($1 - largest) })
        return row.map { $0 - logTotal }
    }

    /// The attention weights while reading `target` with teacher forcing, `[Ty, Tx]`: row t is output step t.
    public func attentionWeights(source: [Int], target: [Int]) -> Matrix<Scalar> {
        require(attention != nil, "attentionWeights: this model has no attention")
        let encoding = encode([source])
        var state = encoding.finalState
        var rows: [Matrix<Scalar>] = []
        for t in target.indices {
            let step = decodeStep(previousTokens: [t == 0 ? startToken : target[t - 1]], state: state, encoding: encoding)
            rows.append(step.attentionCache!.weights)
            state = step.state
        }
        return Matrix.concatenatingRows(rows)
    }
}
