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

    /// Checks every gradient of a layer, including ∂L/∂inputs and ∂L/∂(initial state), with a loss that
    /// also reads the final state, so that the gradient arriving from a later window is exercised too.
    /// With `oneHotInputs`, the forward pass gathers columns of W_ih and the backward pass scatters
    /// into them; perturbing an input makes it dense, so the finite differences use the product.
    func checkLayer<Kernel: GateKernel>(_ kernel: Kernel, oneHotInputs: Bool = false) -> GradientCheckResult
    where Kernel.Scalar == Double {
        var g = SeededGenerator(seed: 21)
        let layer = Recurrence(inputSize: inputSize, hiddenSize: hiddenSize, kernel: kernel, generator: &g)
        let inputs = oneHotInputs
            ? oneHot((0..<steps * batch).map { _ in g.nextIndex(below: inputSize) }, vocabularySize: inputSize)
            : Matrix<Double>.normal(steps * batch, inputSize, using: &g)
        let initial = RecurrentState<Double>(hidden: .normal(batch, hiddenSize, using: &g),
                                     cell: Kernel.usesCellState ? .normal(batch, hiddenSize, using: &g) : nil)
        let (outputs, final, cache) = layer.forward(inputs, batch: batch, initialState: initial)
        #expect((cache.oneHotColumns != nil) == oneHotInputs)
        let readOut = Probe(like: outputs, generator: &g)
        let readHidden = Probe(like: final.hidden, generator: &g)
        let readCell = Probe(like: final.hidden, generator: &g)

        func loss(_ p: Parameters<Double>) -> Double {
            var probe = layer
            probe.parameters = p.layer("layer")
            let start = RecurrentState(hidden: p["h0"], cell: Kernel.usesCellState ? p["c0"] : nil)
            let (out, end, _) = probe.forward(p["inputs"], batch: batch, initialState: start)
            return readOut(out) + readHidden(end.hidden) + (end.cell.map { readCell($0) } ?? 0)
        }
        let endGradient = RecurrentState<Double>(hidden: readHidden.weights, cell: Kernel.usesCellState ? readCell.weights : nil)
        let (dInputs, dParameters, dInitial) = layer.backward(readOut.weights, finalStateGradient: endGradient, cache: cache)
        let cellParameters: Parameters<Double> = Kernel.usesCellState ? ["c0": initial.cell!] : [:]
        let cellGradients: Parameters<Double> = Kernel.usesCellState ? ["c0": dInitial.cell!] : [:]
        return checkGradients(of: loss, at: Parameters(layers: ["layer": layer.parameters])
                                            .appending(["inputs": inputs, "h0": initial.hidden]).appending(cellParameters),
                              analytic: Parameters(layers: ["layer": dParameters])
                                            .appending(["inputs": dInputs, "h0": dInitial.hidden]).appending(cellGradients))
    }

    @Test func lstmBackwardMatchesFiniteDifferences() {
        let result = checkLayer(LSTMKernel<Double>())
        #expect(result.relativeError < 1e-7, "\(result)")
        let parameterCount = 12 * 4 + 12 * 3 + 12 + 12      // W_ih [4H, D], W_hh [4H, H], b_ih, b_hh
        #expect(result.checkedElements == parameterCount + 15 * 4 + 9 + 9)
    }

    @Test func oneHotInputsGatherAndScatterWithTheSameGradients() {
        for result in [checkLayer(LSTMKernel<Double>(), oneHotInputs: true), checkLayer(GRUKernel<Double>(), oneHotInputs: true)] {
            #expect(result.relativeError < 1e-7, "\(result)")
        }
    }

    /// Without ∂L/∂inputs, `layer`'s backward pass returns it empty and every other gradient bit for bit as with it.
    func checkSkippingTheInputGradient<Layer: RecurrentLayer>(_ layer: Layer, _ g: inout SeededGenerator) where Layer.Scalar == Double {
        let (outputs, _, cache) = layer.forward(.normal(steps * batch, inputSize, using: &g), batch: batch, initialState: nil)
        let upstream = Matrix<Double>.normal(outputs.rows, outputs.columns, using: &g)
        let full = layer.backward(upstream, cache: cache)
        let skipped = layer.backward(upstream, finalStateGradient: nil, cache: cache, computesInputGradient: false)
        #expect(skipped.inputGradient.shape == [0, inputSize] && full.inputGradient.shape == [steps * batch, inputSize], "\(Layer.self)")
        #expect(skipped.parameterGradients == full.parameterGradients, "\(Layer.self)")
    }

    /// In a layer, and in the layers built from layers: a stack skips only its first layer's, a bidirectional layer both directions'.
    @Test func skippingTheInputGradientLeavesTheOthersUnchanged() {
        var g = SeededGenerator(seed: 5)
        checkSkippingTheInputGradient(LSTM<Double>(inputSize: inputSize, hiddenSize: hiddenSize, generator: &g), &g)
        checkSkippingTheInputGradient(Stacked([LSTM<Double>(inputSize: inputSize, hiddenSize: hiddenSize, generator: &g),
                                               LSTM<Double>(inputSize: hiddenSize, hiddenSize: hiddenSize, generator: &g)]), &g)
        checkSkippingTheInputGradient(Bidirectional(forward: GRU<Double>(inputSize: inputSize, hiddenSize: hiddenSize, generator: &g),
                                                    backward: GRU<Double>(inputSize: inputSize, hiddenSize: hiddenSize, generator: &g)), &g)
    }

    @Test func peepholeLSTMBackwardMatchesFiniteDifferences() {
        var g = SeededGenerator(seed: 23)
        let result = checkLayer(LSTMKernel<Double>(peepholes: .normal(3, hiddenSize, using: &g)))
        #expect(result.relativeError < 1e-7, "\(result)")
        let parameterCount = 12 * 4 + 12 * 3 + 12 + 12 + 3 * 3   // plus w_ci, w_cf, w_co
        #expect(result.checkedElements == parameterCount + 15 * 4 + 9 + 9)
    }

    @Test func zeroPeepholesAreThePlainLSTMAndOthersAreNot() {
        var g = SeededGenerator(seed: 24)
        let plain = LSTM<Double>(inputSize: 2, hiddenSize: 3, generator: &g)
        let x = Matrix<Double>.normal(4, 2, using: &g)
        var zeroPeepholes = plain, somePeepholes = plain
        zeroPeepholes.kernel = LSTMKernel(peepholes: .zeros(3, 3))
        somePeepholes.kernel = LSTMKernel(peepholes: .normal(3, 3, using: &g))
        let reference = plain.forward(x, batch: 1).outputs
        #expect(zeroPeepholes.forward(x, batch: 1).outputs == reference)
        #expect((somePeepholes.forward(x, batch: 1).outputs - reference).norm() > 1e-3)
        #expect(somePeepholes.parameters.names == ["weight_ih", "weight_hh", "bias_ih", "bias_hh", "peepholes"])
        #expect(plain.parameters.names == ["weight_ih", "weight_hh", "bias_ih", "bias_hh"])
    }

    @Test func gruBackwardMatchesFiniteDifferences() {
        let result = checkLayer(GRUKernel<Double>())
        #expect(result.relativeError < 1e-7, "\(result)")
        #expect(result.checkedElements == 9 * 4 + 9 * 3 + 9 + 9 + 15 * 4 + 9)
    }

    @Test(arguments: [RNNNonlinearity.tanh, .relu])
    func rnnBackwardMatchesFiniteDifferences(_ nonlinearity: RNNNonlinearity) {
        let result = checkLayer(ElmanKernel<Double>(nonlinearity))
        #expect(result.relativeError < 1e-7, "\(result)")
    }

    /// Checks the parameter and input gradients of any recurrent layer, from zero initial states.
    func checkParametersAndInputs<Layer: RecurrentLayer>(_ layer: Layer, inputSize: Int) -> GradientCheckResult
    where Layer.Scalar == Double {
        var g = SeededGenerator(seed: 33)
        let inputs = Matrix<Double>.normal(steps * batch, inputSize, using: &g)
        let (outputs, _, cache) = layer.forward(inputs, batch: batch, initialState: nil)
        let readOut = Probe(like: outputs, generator: &g)
        func loss(_ p: Parameters<Double>) -> Double {
            var probe = layer
            probe.parameters = p.layer("layer")
            return readOut(probe.forward(p["inputs"], batch: batch, initialState: nil).outputs)
        }
        let (dInputs, dParameters, _) = layer.backward(readOut.weights, finalStateGradient: nil, cache: cache)
        return checkGradients(of: loss, at: Parameters(layers: ["layer": layer.parameters]).appending(["inputs": inputs]),
                              analytic: Parameters(layers: ["layer": dParameters]).appending(["inputs": dInputs]))
    }

    @Test func bidirectionalBackwardMatchesFiniteDifferences() {
        var g = SeededGenerator(seed: 40)
        let layer = Bidirectional(forward: GRU<Double>(inputSize: inputSize, hiddenSize: hiddenSize, generator: &g),
                                  backward: GRU<Double>(inputSize: inputSize, hiddenSize: hiddenSize, generator: &g))
        let result = checkParametersAndInputs(layer, inputSize: inputSize)
        #expect(result.relativeError < 1e-7, "\(result)")
        #expect(layer.outputSize == 2 * hiddenSize)
    }

    @Test func stackedBackwardMatchesFiniteDifferences() {
        var g = SeededGenerator(seed: 41)
        let layer = Stacked([LSTM<Double>(inputSize: inputSize, hiddenSize: hiddenSize, generator: &g),
                             LSTM<Double>(inputSize: hiddenSize, hiddenSize: 2, generator: &g)])
        let result = checkParametersAndInputs(layer, inputSize: inputSize)
        #expect(result.relativeError < 1e-7, "\(result)")
        #expect(layer.outputSize == 2)
    }

    @Test func theCheckerCatchesAWrongGradient() {
        var g = SeededGenerator(seed: 2)
        let x = Matrix<Double>.normal(3, 2, using: &g)
        // d/dx Σ x³ is 3x²; claim 2x² instead.
        let result = checkGradients(of: { $0["x"].map { $0 * $0 * $0 }.sum() }, at: ["x": x],
                                    analytic: ["x": x.map { 2 * $0 * $0 }])
        #expect(result.relativeError > 0.1)
    }

    @Test func softmaxCrossEntropyGradientBothReductions() {
        var g = SeededGenerator(seed: 4)
        let logits = Matrix<Double>.normal(4, 6, using: &g)
        let targets = [0, 5, 2, 2]
        for reduction in [LossReduction.mean, .sum] {
            let loss = SoftmaxCrossEntropy(reduction: reduction)
            let result = checkGradients(of: { loss($0["logits"], targets: targets).loss }, at: ["logits": logits],
                                        analytic: ["logits": loss(logits, targets: targets).gradient])
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
        let result = checkGradients(of: { p in readOut(Linear(weight: p["weight"], bias: p["bias"])(p["x"])) },
                                    at: layer.parameters.appending(["x": x]),
                                    analytic: grads.parameterGradients.appending(["x": grads.inputGradient]))
        #expect(result.relativeError < 1e-7, "\(result)")
    }
}
