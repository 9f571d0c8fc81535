import Testing
@testable import SequenceModels

/// Sequences of different lengths in one padded batch, run with `lengths`, give every example what it gets
/// run alone over its own steps: the same outputs, final state and gradients, to 1e-10 in Double.
/// (PyTorchParityTests compares the same thing with `pack_padded_sequence`, on its `_packed` fixtures.)
@Suite struct MaskingTests {
    /// Six examples run on one part, or split by units; sixteen are split by examples between two cores.
    static let six = [7, 2, 5, 1, 7, 4], sixteen = six + six + [3, 6, 7, 1]

    /// The rows of example `b`'s first `length` steps in a time-major `[T·B, n]` sequence.
    func rows<Scalar>(of b: Int, length: Int, in m: Matrix<Scalar>, batch: Int) -> Matrix<Scalar> {
        Matrix.timeMajor((0..<length).map { t in m.rows(t * batch + b ..< t * batch + b + 1) })
    }

    /// Runs `layer` on a padded batch with `lengths` and on each example alone, under the loss
    /// L = Σ R ⊙ outputs + Σ R_h ⊙ h_final (+ Σ R_c ⊙ c_final), and compares everything.
    func checkAgainstAlone<Kernel: GateKernel>(_ kernel: Kernel, hiddenSize: Int, lengths: [Int] = six) where Kernel.Scalar == Double {
        let (batch, steps, inputSize) = (lengths.count, lengths.max()!, 3)
        var g = SeededGenerator(seed: 29)
        let layer = Recurrence(inputSize: inputSize, hiddenSize: hiddenSize, kernel: kernel, generator: &g)
        var inputs = Matrix<Double>.normal(steps * batch, inputSize, using: &g)
        let initial = RecurrentState<Double>(hidden: .normal(batch, hiddenSize, using: &g),
                                             cell: Kernel.usesCellState ? Matrix<Double>.normal(batch, hiddenSize, using: &g) : nil)
        let readOut = Matrix<Double>.normal(steps * batch, hiddenSize, using: &g)
        let readFinal = RecurrentState<Double>(hidden: .normal(batch, hiddenSize, using: &g),
                                               cell: Kernel.usesCellState ? Matrix<Double>.normal(batch, hiddenSize, using: &g) : nil)
        for t in 0..<steps { for b in 0..<batch where t >= lengths[b] {         // padding that must not matter
            for j in 0..<inputSize { inputs[t * batch + b, j] = 1e3 }
        }}
        let (outputs, final, cache) = layer.forward(inputs, batch: batch, lengths: lengths, initialState: initial)
        let together = layer.backward(readOut, finalStateGradient: readFinal, cache: cache)
        var summed = together.parameterGradients.mapValues { Matrix<Double>.zeros($0.rows, $0.columns) }
        for (b, length) in lengths.enumerated() {
            let pick = { (m: Matrix<Double>) in m.rows(b ..< b + 1) }
            let start = RecurrentState(hidden: pick(initial.hidden), cell: initial.cell.map(pick))
            let alone = layer.forward(rows(of: b, length: length, in: inputs, batch: batch), batch: 1, initialState: start)
            let batched: Matrix<Double> = rows(of: b, length: length, in: outputs, batch: batch)
            #expect(largestDifference(alone.outputs.scalars, batched.scalars) < 1e-10, "example \(b): outputs")
            let padding: [Double] = (length..<steps).flatMap { t in outputs.rows(t * batch + b ..< t * batch + b + 1).scalars }
            #expect(padding.allSatisfy { $0 == 0 }, "example \(b): padded outputs are zero")
            #expect(largestDifference(alone.finalState.hidden.scalars, pick(final.hidden).scalars) < 1e-10, "example \(b): h_final")
            if let cell = final.cell {
                #expect(largestDifference(alone.finalState.cell!.scalars, pick(cell).scalars) < 1e-10, "example \(b): c_final")
            }
            let end = RecurrentState(hidden: pick(readFinal.hidden), cell: readFinal.cell.map(pick))
            let gradients = layer.backward(rows(of: b, length: length, in: readOut, batch: batch), finalStateGradient: end,
                                           cache: alone.cache)
            let batchedInputGradient: Matrix<Double> = rows(of: b, length: length, in: together.inputGradient, batch: batch)
            #expect(largestDifference(gradients.inputGradient.scalars, batchedInputGradient.scalars) < 1e-10, "example \(b): ∂L/∂x")
            let paddedInputGradient: [Double] = (length..<steps).flatMap { t in
                together.inputGradient.rows(t * batch + b ..< t * batch + b + 1).scalars
            }
            #expect(paddedInputGradient.allSatisfy { $0 == 0 }, "example \(b): padded steps receive no gradient")
            #expect(largestDifference(gradients.initialStateGradient.hidden.scalars,
                                      pick(together.initialStateGradient.hidden).scalars) < 1e-10, "example \(b): ∂L/∂h0")
            summed += gradients.parameterGradients
        }
        for name in summed.names {
            #expect(largestDifference(summed[name].scalars, together.parameterGradients[name].scalars) < 1e-10, "parameter \(name)")
        }
    }

    @Test func aPaddedBatchEqualsEachSequenceAlone() {
        var g = SeededGenerator(seed: 3)
        checkAgainstAlone(LSTMKernel<Double>(), hiddenSize: 5)
        checkAgainstAlone(LSTMKernel<Double>(peepholes: .normal(3, 5, using: &g)), hiddenSize: 5)
        checkAgainstAlone(GRUKernel<Double>(), hiddenSize: 5)
        checkAgainstAlone(ElmanKernel<Double>(.tanh), hiddenSize: 5)
    }

    @Test func aPaddedBatchSplitByExamplesEqualsEachSequenceAlone() {
        #expect(RecurrenceParts(batch: Self.sixteen.count, hiddenSize: 5, packed: false).parts.count == min(Parallelism.cores, 2))
        checkAgainstAlone(LSTMKernel<Double>(), hiddenSize: 5, lengths: Self.sixteen)
        checkAgainstAlone(GRUKernel<Double>(), hiddenSize: 5, lengths: Self.sixteen)
    }

    /// With 300 units a small batch is split between cores by units (``RecurrenceParts``), with a barrier at every step.
    @Test func aPaddedBatchSplitByUnitsEqualsEachSequenceAlone() {
        #expect(RecurrenceParts(batch: Self.six.count, hiddenSize: 300, packed: false).splitsUnits == (Parallelism.cores > 1))
        checkAgainstAlone(LSTMKernel<Double>(), hiddenSize: 300)
        checkAgainstAlone(GRUKernel<Double>(), hiddenSize: 300)
    }

    /// The backward direction of a bidirectional layer reads each example from its own last step, not from its padding.
    @Test func reversingInTimeKeepsEachExamplesPaddingAtTheEnd() {
        let sequence = Matrix<Double>(rows: 8, columns: 1, scalars: [1, 10, 2, 20, 3, 0, 4, 0])   // T = 4, B = 2, lengths 4, 2
        #expect(sequence.reversedInTime(batch: 2, lengths: [4, 2]).scalars == [4, 20, 3, 10, 2, 0, 1, 0])
        #expect(sequence.reversedInTime(batch: 2).scalars == [4, 0, 3, 0, 2, 20, 1, 10])
    }
}
