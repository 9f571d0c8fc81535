import Foundation
import Testing
@testable import SequenceModels

/// Reference values written by `Fixtures/make_transformer_fixtures.py` from PyTorch, in float64.
struct TransformerFixture: Decodable {
    let inputs: [String: [Double]], inputGradients: [String: [Double]]
    let parameters: [String: [Double]], parameterNames: [String], gradients: [String: [Double]]
    let readOut: [Double], output: [Double]

    static func load(_ name: String) throws -> TransformerFixture {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        return try JSONDecoder().decode(Self.self, from: Data(contentsOf: folder.appendingPathComponent("\(name).json")))
    }

    func matrix(_ values: [Double], columns: Int) -> Matrix<Double> {
        Matrix(rows: values.count / columns, columns: columns, scalars: values)
    }

    /// PyTorch's parameters, shaped as `like` shapes them (1-D biases become rows).
    func parameterMatrices(like: Parameters<Double>) -> Parameters<Double> {
        #expect(like.names == parameterNames)
        return Parameters(names: like.names, matrices: zip(like.names, like).map { matrix(parameters[$0]!, columns: $1.columns) })
    }

    /// The largest difference between `gradients` and PyTorch's, over every parameter.
    func largestGradientDifference(_ gradients: Parameters<Double>) -> Double {
        #expect(gradients.names == parameterNames)
        return zip(gradients.names, gradients).map { largestDifference($1.scalars, self.gradients[$0]!) }.max()!
    }
}

@Suite struct SelfAttentionParityTests {
    static let (d, heads, ff) = (8, 2, 16)

    @Test func multiheadSelfAttentionWithCausalAndPaddingMasks() throws {
        let f = try TransformerFixture.load("mha_self_masked")
        var generator = SeededGenerator(seed: 1)
        var attention = MultiheadAttention<Double>(dimension: Self.d, headCount: Self.heads, generator: &generator)
        attention.parameters = f.parameterMatrices(like: attention.parameters)
        let x = f.matrix(f.inputs["x"]!, columns: Self.d)
        let mask = AttentionMask(isCausal: true, keyLengths: [5, 3])
        let (y, cache) = attention(query: x, keyValue: x, batch: 2, mask: mask)
        #expect(largestDifference(y.scalars, f.output) < 1e-10)
        let back = attention.backward(f.matrix(f.readOut, columns: Self.d), cache: cache)
        #expect(largestDifference((back.queryGradient + back.keyValueGradient).scalars, f.inputGradients["x"]!) < 1e-10)
        #expect(f.largestGradientDifference(back.parameterGradients) < 1e-10)
    }

    @Test func multiheadCrossAttention() throws {
        let f = try TransformerFixture.load("mha_cross")
        var generator = SeededGenerator(seed: 1)
        var attention = MultiheadAttention<Double>(dimension: Self.d, headCount: Self.heads, generator: &generator)
        attention.parameters = f.parameterMatrices(like: attention.parameters)
        let (y, cache) = attention(query: f.matrix(f.inputs["query"]!, columns: Self.d),
                                   keyValue: f.matrix(f.inputs["keyValue"]!, columns: Self.d), batch: 2)
        #expect(largestDifference(y.scalars, f.output) < 1e-10)
        let back = attention.backward(f.matrix(f.readOut, columns: Self.d), cache: cache)
        #expect(largestDifference(back.queryGradient.scalars, f.inputGradients["query"]!) < 1e-10)
        #expect(largestDifference(back.keyValueGradient.scalars, f.inputGradients["keyValue"]!) < 1e-10)
        #expect(f.largestGradientDifference(back.parameterGradients) < 1e-10)
    }

    @Test func layerNorm() throws {
        let f = try TransformerFixture.load("layernorm")
        var norm = LayerNorm<Double>(dimension: 6)
        norm.parameters = f.parameterMatrices(like: norm.parameters)
        let (y, cache) = norm(f.matrix(f.inputs["x"]!, columns: 6))
        #expect(largestDifference(y.scalars, f.output) < 1e-10)
        let back = norm.backward(f.matrix(f.readOut, columns: 6), cache: cache)
        #expect(largestDifference(back.inputGradient.scalars, f.inputGradients["x"]!) < 1e-10)
        #expect(f.largestGradientDifference(back.parameterGradients) < 1e-10)
    }

    @Test func encoderLayerWithPaddingMask() throws {
        let f = try TransformerFixture.load("encoder_layer")
        var generator = SeededGenerator(seed: 1)
        var layer = TransformerEncoderLayer<Double>(dimension: Self.d, headCount: Self.heads, feedForwardSize: Self.ff, generator: &generator)
        layer.parameters = f.parameterMatrices(like: layer.parameters)
        let (y, cache) = layer(f.matrix(f.inputs["x"]!, columns: Self.d), batch: 2, mask: AttentionMask(keyLengths: [5, 3]))
        #expect(largestDifference(y.scalars, f.output) < 1e-10)
        let back = layer.backward(f.matrix(f.readOut, columns: Self.d), cache: cache)
        #expect(largestDifference(back.inputGradient.scalars, f.inputGradients["x"]!) < 1e-10)
        #expect(f.largestGradientDifference(back.parameterGradients) < 1e-10)
    }

    @Test func decoderLayerWithCausalMask() throws {
        let f = try TransformerFixture.load("decoder_layer")
        var generator = SeededGenerator(seed: 1)
        var layer = TransformerDecoderLayer<Double>(dimension: Self.d, headCount: Self.heads, feedForwardSize: Self.ff, generator: &generator)
        layer.parameters = f.parameterMatrices(like: layer.parameters)
        let (y, cache) = layer(f.matrix(f.inputs["x"]!, columns: Self.d), memory: f.matrix(f.inputs["memory"]!, columns: Self.d), batch: 2)
        #expect(largestDifference(y.scalars, f.output) < 1e-10)
        let back = layer.backward(f.matrix(f.readOut, columns: Self.d), cache: cache)
        #expect(largestDifference(back.inputGradient.scalars, f.inputGradients["x"]!) < 1e-10)
        #expect(largestDifference(back.memoryGradient.scalars, f.inputGradients["memory"]!) < 1e-10)
        #expect(f.largestGradientDifference(back.parameterGradients) < 1e-10)
    }
}

/// Finite-difference checks, in Double, of every self-attention part's backward pass: L = Σ R ⊙ output.
@Suite struct SelfAttentionGradientTests {
    static func readOut(_ shape: [Int], seed: UInt64) -> Matrix<Double> {
        var generator = SeededGenerator(seed: seed)
        return .normal(shape[0], shape[1], using: &generator)
    }
    static func loss(_ y: Matrix<Double>, _ r: Matrix<Double>) -> Double { (y * r).sum() }

    /// Random parameters (no zero bias, no unit scale) shaped as `like`.
    static func randomised(_ like: Parameters<Double>, seed: UInt64) -> Parameters<Double> {
        var generator = SeededGenerator(seed: seed)
        return like.mapValues { .normal($0.rows, $0.columns, standardDeviation: 0.5, using: &generator) }
    }

    @Test func scaledDotProductAttentionWithMask() {
        var generator = SeededGenerator(seed: 3)
        let q = Matrix<Double>.normal(4, 3, using: &generator), k = Matrix<Double>.normal(4, 3, using: &generator)
        let v = Matrix<Double>.normal(4, 5, using: &generator), r = Self.readOut([4, 5], seed: 4)
        let mask = AttentionMask(isCausal: true, keyLengths: [3])
        let (_, a) = ScaledDotProductAttention.forward(queries: q, keys: k, values: v, mask: mask)
        #expect(a[0, 1] == 0 && a[3, 3] == 0)
        let g = ScaledDotProductAttention.backward(r, queries: q, keys: k, values: v, weights: a)
        let result = checkGradients(of: { p in
            Self.loss(ScaledDotProductAttention.forward(queries: p["q"], keys: p["k"], values: p["v"], mask: mask).output, r)
        }, at: ["q": q, "k": k, "v": v], analytic: ["q": g.queries, "k": g.keys, "v": g.values])
        #expect(result.relativeError < 1e-7, "\(result)")
    }

    @Test func multiheadAttention() {
        var generator = SeededGenerator(seed: 5)
        var attention = MultiheadAttention<Double>(dimension: 6, headCount: 3, generator: &generator)
        attention.parameters = Self.randomised(attention.parameters, seed: 6)
        let x = Matrix<Double>.normal(2 * 4, 6, using: &generator), m = Matrix<Double>.normal(2 * 3, 6, using: &generator)
        let r = Self.readOut([8, 6], seed: 7), mask = AttentionMask(keyLengths: [3, 2])
        let (_, cache) = attention(query: x, keyValue: m, batch: 2, mask: mask)
        let back = attention.backward(r, cache: cache)
        let result = checkGradients(of: { p in
            var probe = attention
            probe.parameters = Parameters(names: Array(p.names.dropLast(2)), matrices: p.dropLast(2))
            return Self.loss(probe(query: p["x"], keyValue: p["m"], batch: 2, mask: mask).output, r)
        }, at: attention.parameters.appending(["x": x, "m": m]),
           analytic: back.parameterGradients.appending(["x": back.queryGradient, "m": back.keyValueGradient]))
        #expect(result.relativeError < 1e-7, "\(result)")
    }

    @Test func layerNorm() {
        var norm = LayerNorm<Double>(dimension: 5)
        norm.parameters = Self.randomised(norm.parameters, seed: 8)
        let x = Self.readOut([4, 5], seed: 9) * 2, r = Self.readOut([4, 5], seed: 10)
        let back = norm.backward(r, cache: norm(x).cache)
        let result = checkGradients(of: { p in
            var probe = norm
            probe.parameters = ["weight": p["weight"], "bias": p["bias"]]
            return Self.loss(probe(p["x"]).output, r)
        }, at: norm.parameters.appending(["x": x]), analytic: back.parameterGradients.appending(["x": back.inputGradient]))
        #expect(result.relativeError < 1e-7, "\(result)")
    }

    @Test func positionWiseFeedForward() {
        var generator = SeededGenerator(seed: 11)
        let layer = PositionWiseFeedForward<Double>(dimension: 4, hiddenSize: 7, generator: &generator)
        let x = Matrix<Double>.normal(5, 4, using: &generator), r = Self.readOut([5, 4], seed: 12)
        let back = layer.backward(r, cache: layer(x).cache)
        let result = checkGradients(of: { p in
            var probe = layer
            probe.parameters = Parameters(names: Array(p.names.dropLast()), matrices: p.dropLast())
            return Self.loss(probe(p["x"]).output, r)
        }, at: layer.parameters.appending(["x": x]), analytic: back.parameterGradients.appending(["x": back.inputGradient]))
        #expect(result.relativeError < 1e-7, "\(result)")
    }

    @Test func encoderLayer() {
        var generator = SeededGenerator(seed: 13)
        var layer = TransformerEncoderLayer<Double>(dimension: 4, headCount: 2, feedForwardSize: 6, generator: &generator)
        layer.parameters = Self.randomised(layer.parameters, seed: 14)
        let x = Matrix<Double>.normal(2 * 3, 4, using: &generator), r = Self.readOut([6, 4], seed: 15)
        let back = layer.backward(r, cache: layer(x, batch: 2).cache)
        let result = checkGradients(of: { p in
            var probe = layer
            probe.parameters = Parameters(names: Array(p.names.dropLast()), matrices: p.dropLast())
            return Self.loss(probe(p["x"], batch: 2).output, r)
        }, at: layer.parameters.appending(["x": x]), analytic: back.parameterGradients.appending(["x": back.inputGradient]))
        #expect(result.relativeError < 1e-7, "\(result)")
    }

    @Test func decoderLayer() {
        var generator = SeededGenerator(seed: 16)
        var layer = TransformerDecoderLayer<Double>(dimension: 4, headCount: 2, feedForwardSize: 6, generator: &generator)
        layer.parameters = Self.randomised(layer.parameters, seed: 17)
        let x = Matrix<Double>.normal(2 * 3, 4, using: &generator), m = Matrix<Double>.normal(2 * 4, 4, using: &generator)
        let r = Self.readOut([6, 4], seed: 18)
        let back = layer.backward(r, cache: layer(x, memory: m, batch: 2).cache)
        let result = checkGradients(of: { p in
            var probe = layer
            probe.parameters = Parameters(names: Array(p.names.dropLast(2)), matrices: p.dropLast(2))
            return Self.loss(probe(p["x"], memory: p["m"], batch: 2).output, r)
        }, at: layer.parameters.appending(["x": x, "m": m]),
           analytic: back.parameterGradients.appending(["x": back.inputGradient, "m": back.memoryGradient]))
        #expect(result.relativeError < 1e-7, "\(result)")
    }

    @Test func wholeModel() {
        var generator = SeededGenerator(seed: 19)
        var model = TransformerEncoderDecoder<Double>(sourceVocabularySize: 5, targetVocabularySize: 4, dimension: 4, headCount: 2,
                                                      feedForwardSize: 6, encoderLayerCount: 2, decoderLayerCount: 1,
                                                      maxLength: 8, startToken: 0, generator: &generator)
        model.parameters = Self.randomised(model.parameters, seed: 20)
        let sources = [[1, 2, 3], [4, 4, 1]], targets = [[1, 2, 3, 2], [3, 3, 1, 2]]
        let (_, gradients) = model.lossAndGradients(sources: sources, targets: targets)
        let result = checkGradients(of: { p in
            var probe = model
            probe.parameters = p
            return Double(probe.lossAndGradients(sources: sources, targets: targets).loss)
        }, at: model.parameters, analytic: gradients)
        #expect(result.relativeError < 1e-7, "\(result)")
    }

    @Test func positionalEncodingValues() {
        let table = PositionalEncoding.sinusoidal(positions: 3, dimension: 4, as: Double.self)
        #expect(table[0, 0] == 0 && table[0, 1] == 1)
        #expect(abs(table[2, 0] - sin(2.0)) < 1e-15 && abs(table[2, 3] - cos(2.0 / 100)) < 1e-15)
    }
}
