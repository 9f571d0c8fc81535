import Testing
@testable import SequenceModels

@Suite struct PaddedBatchTests {
    @Test func padsAtTheEndTimeMajor() {
        let batch = PaddedBatch([[5, 6, 7], [8, 9]], padding: 0)
        #expect(batch.tokens == [5, 8, 6, 9, 7, 0])
        #expect(batch.lengths == [3, 2] && batch.batch == 2 && batch.steps == 3)
        #expect(batch.lastStepRows == [4, 3])                 // (L_b − 1)·B + b
        #expect(PaddedBatch([[1], [2, 3]], padding: 9, steps: 4).tokens == [1, 2, 9, 3, 9, 9, 9, 9])
    }

    @Test func lastStepRowsPickTheFinalStateOfAMaskedLayer() {
        var g = SeededGenerator(seed: 14)
        let batch = PaddedBatch([[1, 2, 3, 4], [2], [4, 3, 1]], padding: 0, steps: 5)
        let table = Embedding<Double>(vocabularySize: 5, dimension: 3, generator: &g)
        let lstm = LSTM<Double>(inputSize: 3, hiddenSize: 4, generator: &g)
        let run = lstm.forward(table(batch.tokens), batch: batch.batch, lengths: batch.lengths, initialState: nil)
        #expect((run.outputs.rows(at: batch.lastStepRows) - run.finalState.hidden).norm() < 1e-14)
    }

    @Test func averagingMatrixTakesTheMeanOverTrueSteps() {
        let batch = PaddedBatch([[1, 2, 3], [4]], padding: 0)
        let x = Matrix<Double>((0..<6).map { [Double($0), 10 * Double($0)] })   // rows t·B + b
        let means = matmul(batch.averagingMatrix(as: Double.self), x)
        // example 0: rows 0, 2, 4 → (0 + 2 + 4) / 3 = 2; example 1: row 1 alone.
        #expect(means == Matrix([[2, 20], [1, 10]]))
    }

    @Test func scatterIsTheGradientOfGather() {
        let x = Matrix<Double>([[1, 2], [3, 4], [5, 6]])
        #expect(x.rows(at: [2, 0, 2]) == Matrix([[5, 6], [1, 2], [5, 6]]))
        #expect(Matrix<Double>([[1, 1], [2, 2], [3, 3]]).scattered(toRows: [2, 0, 2], of: 4) == Matrix([[2, 2], [0, 0], [4, 4], [0, 0]]))
    }
}
