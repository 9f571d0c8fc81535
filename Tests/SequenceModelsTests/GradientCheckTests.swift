import Testing
@testable import SequenceModels

/// A random linear read-out Σ R ⊙ M: its gradient with respect to M is R, so any upstream gradient can be injected.
struct Probe {
    let weights: Matrix<Double>
    init(like m: Matrix<Double>, generator: inout SeededGenerator) {
        weights = .normal(m.rows, m.columns, using: &generator)
    }
    func callAsFunction(_ m: Matrix<Double>) -> Double { (weights * m).sum() }
}

@Suite struct RecurrentGradientChecks {
    let steps = 5, batch = 3, inputSize = 4, hiddenSize = 3

    @Test func lstmBackwardMatchesFiniteDifferences() {
        var g = SeededGenerator(seed: 21)
        let lstm = LSTM<Double>(inputSize: inputSize, hiddenSize: hiddenSize, generator: &g)
        let inputs = Matrix<Double>.normal(steps * batch, inputSize, using: &g)
        let initial = LSTMState<Double>(hidden: .normal(batch, hiddenSize, using: &g), cell: .normal(batch, hiddenSize, using: &g))
        let (outputs, final, cache) = lstm.forward(inputs, batch: batch, initialState: initial)
        let readOut = Probe(like: outputs, generator: &g)
        let readHidden = Probe(like: final.hidden, generator: &g), readCell = Probe(like: final.cell, generator: &g)

        func loss(_ p: [Matrix<Double>]) -> Double {
            let layer = LSTM(weights: RecurrentWeights(weightIH: p[0], weightHH: p[1], biasIH: p[2], biasHH: p[3], gates: 4))
            let (out, end, _) = layer.forward(p[4], batch: batch, initialState: LSTMState(hidden: p[5], cell: p[6]))
            return readOut(out) + readHidden(end.hidden) + readCell(end.cell)
        }
        let (dInputs, dWeights, dInitial) = lstm.backward(
            readOut.weights, finalStateGradient: LSTMState(hidden: readHidden.weights, cell: readCell.weights), cache: cache)
        let result = checkGradients(
            of: loss, at: lstm.weights.parameters + [inputs, initial.hidden, initial.cell],
            analytic: dWeights.parameters + [dInputs, dInitial.hidden, dInitial.cell])
        #expect(result.relativeError < 1e-7, "\(result)")
        let parameterCount = 12 * 4 + 12 * 3 + 12 + 12      // W_ih [4H, D], W_hh [4H, H], b_ih, b_hh
        #expect(result.checkedElements == parameterCount + 15 * 4 + 9 + 9)
    }

    @Test func theCheckerCatchesAWrongGradient() {
        var g = SeededGenerator(seed: 2)
        let x = Matrix<Double>.normal(3, 2, using: &g)
        // d/dx Σ x³ is 3x²; claim 2x² instead.
        let result = checkGradients(of: { $0[0].map { $0 * $0 * $0 }.sum() }, at: [x],
                                    analytic: [x.map { 2 * $0 * $0 }])
        #expect(result.relativeError > 0.1)
    }

    @Test func softmaxCrossEntropyGradientBothReductions() {
        var g = SeededGenerator(seed: 4)
        let logits = Matrix<Double>.normal(4, 6, using: &g)
        let targets = [0, 5, 2, 2]
        for reduction in [LossReduction.mean, .sum] {
            let loss = SoftmaxCrossEntropy(reduction: reduction)
            let result = checkGradients(of: { loss($0[0], targets: targets).loss }, at: [logits],
                                        analytic: [loss(logits, targets: targets).gradient])
            #expect(result.relativeError < 1e-7, "\(reduction): \(result)")
        }
        // A published value: uniform logits over V classes give log V.
        #expect(abs(SoftmaxCrossEntropy(reduction: .mean)(Matrix<Double>.zeros(2, 8), targets: [1, 7]).loss - Double.log(8)) < 1e-15)
    }

    @Test func linearBackwardMatchesFiniteDifferences() {
        var g = SeededGenerator(seed: 8)
        let layer = Linear<Double>(inputSize: 4, outputSize: 3, generator: &g)
        let x = Matrix<Double>.normal(5, 4, using: &g)
        let readOut = Probe(like: layer(x), generator: &g)
        let grads = layer.backward(readOut.weights, input: x)
        let result = checkGradients(of: { p in readOut(Linear(weight: p[0], bias: p[1])(p[2])) },
                                    at: layer.parameters + [x], analytic: [grads.weight, grads.bias, grads.inputGradient])
        #expect(result.relativeError < 1e-7, "\(result)")
    }
}
