import Testing
@testable import SequenceModels

@Suite struct AttentionTests {
    let positions = 5, batch = 2, keySize = 3, querySize = 4, attentionSize = 3

    func setUp(mask: [Bool]?) -> GradientCheckResult {
        var g = SeededGenerator(seed: 51)
        let attention = AdditiveAttention<Double>(querySize: querySize, keySize: keySize, attentionSize: attentionSize, generator: &g)
        let annotations = Matrix<Double>.normal(positions * batch, keySize, using: &g)
        let query = Matrix<Double>.normal(batch, querySize, using: &g)
        let (context, cache) = attention(query: query, annotations: annotations,
                                         keys: attention.projectedKeys(annotations), mask: mask)
        let readOut = Probe(like: context, generator: &g)
        func loss(_ p: Parameters<Double>) -> Double {
            var probe = attention
            probe.parameters = p.layer("attention")
            return readOut(probe(query: p["query"], annotations: p["annotations"], keys: probe.projectedKeys(p["annotations"]),
                                 mask: mask).context)
        }
        let step = attention.backward(readOut.weights, cache: cache, annotations: annotations)
        let throughKeys = attention.keyBackward(step.keys, annotations: annotations)
        let weightGradients: Parameters<Double> = ["query_weight": step.queryWeight, "key_weight": throughKeys.keyWeight,
                                                   "score_vector": step.scoreVector]
        return checkGradients(of: loss, at: Parameters(layers: ["attention": attention.parameters])
                                            .appending(["query": query, "annotations": annotations]),
                              analytic: Parameters(layers: ["attention": weightGradients])
                                            .appending(["query": step.query, "annotations": step.annotations + throughKeys.annotations]))
    }

    @Test func backwardMatchesFiniteDifferences() {
        let result = setUp(mask: nil)
        #expect(result.relativeError < 1e-7, "\(result)")
    }

    @Test func maskedBackwardMatchesFiniteDifferences() {
        // Example 1's last two positions are padding.
        let mask = (0..<positions).flatMap { j in [true, j < 3] }
        let result = setUp(mask: mask)
        #expect(result.relativeError < 1e-7, "\(result)")
    }

    @Test func weightsAreADistributionAndPaddingGetsNone() {
        var g = SeededGenerator(seed: 52)
        let attention = AdditiveAttention<Double>(querySize: 2, keySize: 2, attentionSize: 4, generator: &g)
        let annotations = Matrix<Double>.normal(4 * 2, 2, using: &g)
        let mask = (0..<4).flatMap { j in [true, j < 2] }
        let (context, cache) = attention(query: .normal(2, 2, using: &g), annotations: annotations,
                                         keys: attention.projectedKeys(annotations), mask: mask)
        #expect(cache.weights.rowSums().scalars.allSatisfy { abs($0 - 1) < 1e-12 })
        #expect(cache.weights[1, 2] == 0 && cache.weights[1, 3] == 0)
        // The context is the α-weighted mean of the annotations, written out for example 0.
        let expected = (0..<4).map { j in annotations.row(j * 2).map { cache.weights[0, j] * $0 } }
            .reduce([0.0, 0.0]) { zip($0, $1).map(+) }
        #expect(zip(context.row(0), expected).allSatisfy { abs($0 - $1) < 1e-12 })
    }
}
