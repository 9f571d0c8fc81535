import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import SequenceModels

/// The textbook triple loop: the oracle for the BLAS-backed product.
func naiveProduct(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
    (0..<a.count).map { i in
        (0..<b[0].count).map { j in (0..<b.count).reduce(0.0) { $0 + a[i][$1] * b[$1][j] } }
    }
}

@Suite struct MatrixTests {
    @Test func productMatchesTheTripleLoopInEveryTransposition() {
        var g = SeededGenerator(seed: 7)
        let a = Matrix<Double>.normal(4, 3, using: &g), b = Matrix<Double>.normal(3, 5, using: &g)
        let nested = { (m: Matrix<Double>) in (0..<m.rows).map(m.row) }
        let expected = Matrix(naiveProduct(nested(a), nested(b)))
        for (x, y, ta, tb) in [(a, b, false, false), (a.transposed(), b, true, false),
                               (a, b.transposed(), false, true), (a.transposed(), b.transposed(), true, true)] {
            let product = matmul(x, y, transposeA: ta, transposeB: tb)
            #expect(product.shape == [4, 5])
            #expect(zip(product.scalars, expected.scalars).allSatisfy { abs($0 - $1) < 1e-12 })
        }
        let floatProduct = matmul(a.converted(to: Float.self), b.converted(to: Float.self))
        #expect(zip(floatProduct.scalars, expected.scalars).allSatisfy { abs(Double($0) - $1) < 1e-5 })
    }

    /// One-row products take the matrix–vector (gemv) path; both layouts of the right operand must agree with the loop.
    @Test func singleRowProductsMatchTheTripleLoop() {
        var g = SeededGenerator(seed: 9)
        let row = Matrix<Double>.normal(1, 6, using: &g), b = Matrix<Double>.normal(6, 4, using: &g)
        let expected = Matrix(naiveProduct([row.row(0)], (0..<6).map(b.row)))
        for (right, transposed) in [(b, false), (b.transposed(), true)] {
            let product = matmul(row, right, transposeB: transposed)
            #expect(product.shape == [1, 4])
            #expect(zip(product.scalars, expected.scalars).allSatisfy { abs($0 - $1) < 1e-12 })
            var accumulated = Matrix<Double>(row: [1, 1, 1, 1])
            accumulated.addProduct(row, right, transposeB: transposed, scaledBy: 2)
            #expect(zip(accumulated.scalars, expected.scalars).allSatisfy { abs($0 - (1 + 2 * $1)) < 1e-12 })
        }
    }

    @Test func softmaxIsStableAndNormalised() {
        let logits = Matrix<Double>([[1000, 1000, 1000 + Double.log(2)], [0, 0, 0]])
        let p = softmax(logits)
        // exp(z) ∝ (1, 1, 2) for the first row: probabilities 1/4, 1/4, 1/2.
        #expect(abs(p[0, 0] - 0.25) < 1e-12 && abs(p[0, 2] - 0.5) < 1e-12)
        #expect(abs(p[1, 1] - 1.0 / 3) < 1e-15)
    }

    @Test func sigmoidNeverOverflows() {
        let s = sigmoid(Matrix<Double>([[-1000, 0, 1000]]))
        #expect(s.scalars == [0, 0.5, 1])
    }

    @Test func biasBroadcastsOverRowsAndSlicesRoundTrip() {
        let m = Matrix<Double>([[1, 2, 3], [4, 5, 6]])
        #expect(m.addingRow(Matrix(row: [10, 20, 30])) == Matrix([[11, 22, 33], [14, 25, 36]]))
        #expect(m.columns(1..<3) == Matrix([[2, 3], [5, 6]]))
        #expect(Matrix.concatenatingColumns([m.columns(0..<1), m.columns(1..<3)]) == m)
        #expect(m.columnSums() == Matrix(row: [5, 7, 9]))
        #expect(m.transposed() == Matrix([[1, 4], [2, 5], [3, 6]]))
        #expect(m.columns(2..<2).shape == [2, 0])
        var written = Matrix<Double>.zeros(2, 4)
        written.setColumns(from: 1, to: m)
        #expect(written == Matrix([[0, 1, 2, 3], [0, 4, 5, 6]]))
        written.setColumns(from: 4, to: m.columns(0..<0))                 // an empty block changes nothing
        #expect(written.columns(1..<4) == m)
    }

    /// Large enough for several 16 × 16 blocks and a ragged edge, with a power-of-two width.
    @Test func transposeOfABlockedSizeMatchesTheDefinition() {
        var g = SeededGenerator(seed: 4)
        let m = Matrix<Float>.normal(37, 64, using: &g)
        let t = m.transposed()
        #expect(t.shape == [64, 37])
        #expect((0..<37).allSatisfy { r in (0..<64).allSatisfy { c in t[c, r] == m[r, c] } })
    }

    @Test func reshapingKeepsRowMajorOrderAndMeanAverages() {
        let m = Matrix<Double>([[1, 2, 3], [4, 5, 6]])
        #expect(m.reshaped(3, 2) == Matrix([[1, 2], [3, 4], [5, 6]]))
        #expect(m.mean() == 3.5)
        #expect(m.rowSums() == Matrix([[6], [15]]))
    }

    @Test func printsWithFixedDecimals() {
        #expect(Matrix<Double>([[1, -0.5], [0.123456, 10]]).description == "[ 1.0000 -0.5000]\n[ 0.1235 10.0000]")
        #expect(formatScalar(-0.00001, decimals: 4) == "0.0000")
    }
}

@Suite struct SeededGeneratorTests {
    /// SplitMix64's published test vector for seed 1234567.
    @Test func matchesTheReferenceSplitMix64Stream() {
        var g = SeededGenerator(seed: 1_234_567)
        #expect((0..<5).map { _ in g.next() } == [6_457_827_717_110_365_317, 3_203_168_211_198_807_973,
                                                   9_817_491_932_198_370_423, 4_593_380_528_125_082_431,
                                                   16_408_922_859_458_223_821])
    }

    @Test func uniformDrawsStayInRangeAndIndexesAreUnbiased() {
        var g = SeededGenerator(seed: 3)
        var counts = [0, 0, 0]
        for _ in 0..<30_000 { counts[g.nextIndex(below: 3)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 400 })
        #expect((0..<1000).allSatisfy { _ in (0..<1).contains(g.nextUniform()) })
    }
}

@Suite struct RNNCellTests {
    /// a⟨t⟩ = tanh(W_aa a⟨t−1⟩ + W_ax x⟨t⟩ + b_a), computed one unit at a time with scalars.
    @Test func forwardMatchesTheEquationWrittenOut() {
        var g = SeededGenerator(seed: 11)
        let cell = RNNCell<Double>(inputSize: 3, hiddenSize: 4, generator: &g)
        let x = Matrix<Double>.normal(2, 3, using: &g), a = Matrix<Double>.normal(2, 4, using: &g)
        let next = cell(x, a)
        let w = cell.weights
        for b in 0..<2 {
            for h in 0..<4 {
                var z = w.biasIH[0, h] + w.biasHH[0, h]
                for d in 0..<3 { z += w.weightIH[h, d] * x[b, d] }
                for k in 0..<4 { z += w.weightHH[h, k] * a[b, k] }
                #expect(abs(next[b, h] - Double.tanh(z)) < 1e-14)
            }
        }
    }

    @Test func sequenceForwardCarriesTheState() {
        var g = SeededGenerator(seed: 5)
        let cell = RNNCell<Double>(inputSize: 2, hiddenSize: 3, nonlinearity: .relu, generator: &g)
        let xs = (0..<4).map { _ in Matrix<Double>.normal(1, 2, using: &g) }
        let states = cell.forward(xs)
        #expect(states.count == 4)
        // Equal up to rounding: a one-row step takes BLAS's matrix–vector path, the sequence its matrix path.
        #expect((states[2] - cell(xs[2], states[1])).norm() < 1e-14)
        #expect((states[0] - cell(xs[0], .zeros(1, 3))).norm() < 1e-14)
    }

    /// Truncated BPTT: two windows with the state carried across equal one long forward pass.
    @Test func carryingTheStateAcrossWindowsContinuesTheSequence() {
        var g = SeededGenerator(seed: 6)
        let lstm = LSTM<Double>(inputSize: 2, hiddenSize: 3, generator: &g)
        let sequence = Matrix<Double>.normal(8 * 2, 2, using: &g)
        let whole = lstm.forward(sequence, batch: 2, initialState: nil)
        let first = lstm.forward(sequence.rows(0..<8), batch: 2, initialState: nil)
        let second = lstm.forward(sequence.rows(8..<16), batch: 2, initialState: first.finalState)
        #expect(Matrix.concatenatingRows([first.outputs, second.outputs]).scalars.elementsEqual(whole.outputs.scalars) {
            abs($0 - $1) < 1e-14 })
        #expect(second.finalState.cell! == whole.finalState.cell!)
    }

    @Test func timeMajorHelpersRoundTrip() {
        let steps = [Matrix<Double>([[1, 2], [3, 4]]), Matrix<Double>([[5, 6], [7, 8]]), Matrix<Double>([[9, 10], [11, 12]])]
        let sequence = Matrix.timeMajor(steps)
        #expect(sequence.shape == [6, 2])
        #expect(sequence.steps(batch: 2) == steps)
        #expect(sequence.reversedInTime(batch: 2).steps(batch: 2) == steps.reversed())
    }
}

@Suite struct FastGateFunctionTests {
    /// The Float gate functions against the C library in Double, over the range where gates live and beyond.
    @Test func floatApproximationsAreWithinAFewUlps() {
        var worstSigmoid = 0.0, worstTanh = 0.0
        for k in -20_000...20_000 {
            let x = Float(k) / 1000                       // −20 … 20
            let exactSigmoid = 1 / (1 + Double.exp(-Double(x))), exactTanh = Double.tanh(Double(x))
            worstSigmoid = max(worstSigmoid, abs(Double(Float.gateSigmoid(x)) - exactSigmoid))
            worstTanh = max(worstTanh, abs(Double(Float.gateTanh(x)) - exactTanh))
        }
        #expect(worstSigmoid < 3e-7 && worstTanh < 5e-7, "σ \(worstSigmoid), tanh \(worstTanh)")
        #expect(Float.gateSigmoid(-1000) == 0 || Float.gateSigmoid(-1000) < 1e-37)
        #expect(Float.gateSigmoid(1000) == 1 && Float.gateTanh(1000) == 1 && Float.gateTanh(-1000) == -1)
    }

    /// tanh's relative error, against the C library's `tanhf`, from 1e-38 to 20 on both sides: tiny inputs
    /// included, where 1 − 2 / (e^{2x} + 1) alone returned 0 for 1e-8 and was 4.6% off at 1e-6.
    @Test func floatTanhIsRelativelyAccurateDownToTinyInputs() {
        var inputs: [Float] = (-20_000...20_000).map { Float($0) / 1000 }.filter { $0 != 0 }
        for exponent in -38...(-1) {
            for mantissa: Float in [1, 1.7, 3.3, 7.9] { inputs += [mantissa * Float("1e\(exponent)")!, -mantissa * Float("1e\(exponent)")!] }
        }
        var worst: (error: Double, x: Float) = (0, 0)
        for x in inputs {
            let error = abs(Double(Float.gateTanh(x)) - Double(tanhf(x))) / abs(Double(tanhf(x)))
            if error > worst.error { worst = (error, x) }
        }
        #expect(worst.error < 3e-7, "relative error \(worst.error) at x = \(worst.x)")
        #expect(Float.gateTanh(1e-8) == 1e-8 && Float.gateTanh(-1e-30) == -1e-30)
        #expect(Float.gateTanh(0) == 0)
    }

    @Test func doubleGatesAreTheLibraryFunctions() {
        #expect(Double.gateTanh(0.3) == Double.tanh(0.3))
        #expect(abs(Double.gateSigmoid(-0.7) - 1 / (1 + Double.exp(0.7))) < 1e-15)
    }
}

@Suite struct OneHotDetectionTests {
    @Test func onlyRowsWithASingleOneAndZerosElsewhereAreOneHot() {
        #expect(Matrix<Float>([[0, 1, 0], [1, 0, 0]]).oneHotColumns() == [1, 0])
        #expect(Matrix<Float>([[0, 1, 0], [0, 0, 0]]).oneHotColumns() == nil)      // a row of zeros
        #expect(Matrix<Float>([[0, 1, 1], [1, 0, 0]]).oneHotColumns() == nil)      // two ones
        #expect(Matrix<Float>([[0, 0.5, 0], [1, 0, 0]]).oneHotColumns() == nil)    // not a one
        #expect(Matrix<Float>(rows: 0, columns: 3).oneHotColumns() == nil)
    }

    /// Fewer rows than inputs (1 and 3 of 7) read W_ih in place; more (11) read its transpose.
    @Test(arguments: [1, 3, 11])
    func gatheredInputGatesEqualTheProduct(rows: Int) {
        var g = SeededGenerator(seed: 3)
        let weights = RecurrentWeights<Float>(gates: 4, inputSize: 7, hiddenSize: 5, generator: &g)
        let tokens = (0..<rows).map { _ in g.nextIndex(below: 7) }
        let product = matmul(oneHot(tokens, vocabularySize: 7, as: Float.self), weights.weightIH, transposeB: true)
            .addingRow(weights.biasIH)
        #expect(weights.inputGates(oneHotColumns: tokens) == product)
    }
}
