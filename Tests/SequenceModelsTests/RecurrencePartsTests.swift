import Testing
@testable import SequenceModels

/// A small batch is split between cores by hidden units, with a barrier at every step; a large
/// one by examples. An example's outputs and gradients must not depend on which split it got.
@Suite struct RecurrencePartsTests {
    @Test func smallBatchesSplitUnitsAndLargeOnesSplitExamples() {
        #expect(!RecurrenceParts(batch: 1, hiddenSize: 128, packed: false).splitsUnits)
        let single = RecurrenceParts(batch: 1, hiddenSize: 300, packed: false)
        #expect(single.parts.flatMap { Array($0.units) } == Array(0..<300))
        #expect(single.parts.allSatisfy { $0.examples == 0..<1 })
        #expect(single.splitsUnits == (Parallelism.cores > 1))
        let large = RecurrenceParts(batch: 32, hiddenSize: 200, packed: false)
        #expect(!large.splitsUnits && large.parts.flatMap { Array($0.examples) } == Array(0..<32))
    }

    func checkSplitsAgree<Kernel: GateKernel>(_ kernel: Kernel) where Kernel.Scalar == Float {
        let (steps, batch, inputSize, hiddenSize) = (6, 16, 5, 256)
        var g = SeededGenerator(seed: 11)
        let layer = Recurrence(inputSize: inputSize, hiddenSize: hiddenSize, kernel: kernel, generator: &g)
        let inputs = Matrix<Float>.normal(steps * batch, inputSize, using: &g)
        let upstream = Matrix<Float>.normal(steps * batch, hiddenSize, using: &g)
        let (outputs, _, cache) = layer.forward(inputs, batch: batch)             // split by examples
        let together = layer.backward(upstream, cache: cache)
        var summed = together.parameterGradients.mapValues { .zeros($0.rows, $0.columns) }
        // The AVX-512 product sums every element's terms in one order whatever the split: bit for bit.
        let tolerance: Float = ProductKernel.current != .blas ? 0 : 1e-6
        for example in 0..<batch {                                                  // alone: split by units
            let rows = (0..<steps).map { $0 * batch + example }
            let pick = { (m: Matrix<Float>) in Matrix.timeMajor(rows.map { m.rows($0 ..< $0 + 1) }) }
            let (alone, _, aloneCache) = layer.forward(pick(inputs), batch: 1)
            #expect(largestDifference(alone.scalars, pick(outputs).scalars) <= tolerance, "example \(example): outputs")
            let gradients = layer.backward(pick(upstream), cache: aloneCache)
            #expect(largestDifference(gradients.inputGradient.scalars, pick(together.inputGradient).scalars) <= tolerance, "example \(example): ∂L/∂x")
            summed += gradients.parameterGradients
        }
        for name in summed.names {
            let (sum, batched) = (summed[name], together.parameterGradients[name])
            #expect(largestDifference(sum.scalars, batched.scalars) < 1e-4 * (1 + batched.scalars.map(abs).max()!), "parameter \(name)")
        }
    }

    /// On a busy machine a packed recurrence runs on one part, with the same results bit for bit; on
    /// OpenBLAS, where a split may round differently, it always splits alike.
    @Test func aBusyMachineRunsPackedRecurrencesOnOnePartWithTheSameResults() {
        let busy = SplitBackoff()
        for _ in 0..<10 { busy.record(blocked: .milliseconds(4), of: .milliseconds(8)) }
        RecurrenceParts.$backoff.withValue(busy) {
            #expect(!RecurrenceParts(batch: 1, hiddenSize: 256, packed: true).splitsUnits)
            #expect(RecurrenceParts(batch: 1, hiddenSize: 256, packed: false).splitsUnits == (Parallelism.cores > 1))
        }
        let (steps, inputSize, hiddenSize) = (7, 5, 256)
        var g = SeededGenerator(seed: 12)
        let layer = LSTM<Float>(inputSize: inputSize, hiddenSize: hiddenSize, generator: &g)
        let inputs = Matrix<Float>.normal(steps, inputSize, using: &g), upstream = Matrix<Float>.normal(steps, hiddenSize, using: &g)
        /// Both passes, each with the backoff `backoff()` returns.
        func run(_ backoff: () -> SplitBackoff) -> [[Float]] {
            let (outputs, _, cache) = RecurrenceParts.$backoff.withValue(backoff()) { layer.forward(inputs, batch: 1) }
            let gradients = RecurrenceParts.$backoff.withValue(backoff()) { layer.backward(upstream, cache: cache) }
            return [outputs.scalars, gradients.inputGradient.scalars] + gradients.parameterGradients.map(\.scalars)
        }
        // A fresh backoff for each pass, whose first claim always splits: a busy forward pass cannot send the
        // backward pass of the split run to one part.
        let split = run { SplitBackoff() }
        let alone = run { busy }
        let packed = ProductOperand<Float>.isPacked(expectedRows: steps, products: steps)
        for (k, (a, b)) in zip(alone, split).enumerated() {
            #expect(largestDifference(a, b) <= (packed ? 0 : 1e-6), "result \(k)")
        }
    }

    @Test func anExampleGetsTheSameResultsAloneAsInABatch() {
        checkSplitsAgree(LSTMKernel<Float>())
        checkSplitsAgree(GRUKernel<Float>())
        checkSplitsAgree(ElmanKernel<Float>())
    }
}
