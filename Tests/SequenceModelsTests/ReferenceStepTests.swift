import Testing
@testable import SequenceModels

/// Each cell's fast kernel against the plain step at the top of its file, written with matrix operations
/// as the lessons write it: in Double to 1e-12, and in Float (fast gates, packed products) to 1e-5.
@Suite struct ReferenceStepTests {
    static func close<S: MatrixScalar>(_ a: Matrix<S>, _ b: Matrix<S>, _ tolerance: Double) -> Bool {
        a.shape == b.shape && zip(a.scalars, b.scalars).allSatisfy { abs(Double($0) - Double($1)) <= tolerance }
    }

    /// A batch of 5 and 3 (more than the cores, so the parts split examples) and a batch of 1 with 256 units (split by units).
    static let sizes: [(batch: Int, input: Int, hidden: Int)] = [(5, 7, 6), (1, 9, 256)]

    func check<S: MatrixScalar>(_: S.Type, tolerance: Double) {
        for size in Self.sizes {
            var generator = SeededGenerator(seed: 42)
            let x = Matrix<S>.normal(size.batch, size.input, using: &generator)
            let h = Matrix<S>.normal(size.batch, size.hidden, using: &generator)
            let c = Matrix<S>.normal(size.batch, size.hidden, using: &generator)

            let lstm = LSTM<S>(inputSize: size.input, hiddenSize: size.hidden, generator: &generator)
            let next = lstm(x, RecurrentState(hidden: h, cell: c))
            let expected = LSTMKernel<S>.referenceStep(x, h: h, c: c, weights: lstm.weights)
            #expect(Self.close(next.hidden, expected.h, tolerance) && Self.close(next.cell!, expected.c, tolerance), "LSTM \(size)")

            let gru = GRU<S>(inputSize: size.input, hiddenSize: size.hidden, generator: &generator)
            #expect(Self.close(gru(x, h), GRUKernel<S>.referenceStep(x, h: h, weights: gru.weights), tolerance), "GRU \(size)")

            for nonlinearity in [RNNNonlinearity.tanh, .relu] {
                let rnn = RNN<S>(inputSize: size.input, hiddenSize: size.hidden, nonlinearity: nonlinearity, generator: &generator)
                #expect(Self.close(rnn(x, h), ElmanKernel<S>.referenceStep(x, a: h, weights: rnn.weights, nonlinearity: nonlinearity), tolerance),
                        "RNN \(nonlinearity) \(size)")
            }
        }
    }

    @Test func theKernelsComputeTheReferenceStepsInDouble() { check(Double.self, tolerance: 1e-12) }

    @Test func theKernelsComputeTheReferenceStepsInFloat() { check(Float.self, tolerance: 1e-5) }
}
