import Foundation
import Testing
@testable import SequenceModels

/// Optimizer trajectories and `clip_grad_norm_` written by `Fixtures/make_fixtures.py` from PyTorch.
struct OptimizerFixture: Decodable {
    struct Clip: Decodable { let maxNorm: Double, totalNorm: Double, clipped: [[Double]] }
    let start: [[Double]], shapes: [[Int]], gradients: [[[Double]]]
    let sgd: [[Double]], sgdMomentum: [[Double]], adagrad: [[Double]], adam: [[Double]]
    let clipNorm: Clip

    static func load() throws -> OptimizerFixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/optim.json")
        return try JSONDecoder().decode(Self.self, from: Data(contentsOf: url))
    }

    /// The fixture's two matrices, a `[3, 4]` and a `[1, 4]`, named like a layer's.
    func parameters(_ lists: [[Double]]) -> Parameters<Double> {
        Parameters(names: ["weight", "bias"], matrices: zip(lists, shapes).map { Matrix(rows: $1[0], columns: $1[1], scalars: $0) })
    }
}

@Suite struct TrainingTests {
    /// Runs three steps of an optimizer and compares the parameters with PyTorch's.
    func trajectory(_ step: (inout Parameters<Double>, Parameters<Double>) -> Void, expected: [[Double]], in f: OptimizerFixture) {
        var parameters = f.parameters(f.start)
        for gradients in f.gradients { step(&parameters, f.parameters(gradients)) }
        for (mine, torch) in zip(parameters, expected) {
            #expect(largestDifference(mine.scalars, torch) < 1e-12)
        }
    }

    @Test func sgdAdagradAndAdamFollowPyTorch() throws {
        let f = try OptimizerFixture.load()
        var sgd = SGD<Double>(learningRate: 0.1)
        trajectory({ sgd.step(&$0, $1) }, expected: f.sgd, in: f)
        var momentum = SGD<Double>(learningRate: 0.1, momentum: 0.9)
        trajectory({ momentum.step(&$0, $1) }, expected: f.sgdMomentum, in: f)
        var adagrad = Adagrad<Double>(learningRate: 0.1)
        trajectory({ adagrad.step(&$0, $1) }, expected: f.adagrad, in: f)
        var adam = Adam<Double>(learningRate: 0.01)
        trajectory({ adam.step(&$0, $1) }, expected: f.adam, in: f)
    }

    @Test func clipByGlobalNormMatchesClipGradNorm() throws {
        let f = try OptimizerFixture.load()
        var gradients = f.parameters(f.gradients[0])
        let norm = clipByGlobalNorm(&gradients, maxNorm: f.clipNorm.maxNorm)
        #expect(abs(norm - f.clipNorm.totalNorm) < 1e-12)
        for (mine, torch) in zip(gradients, f.clipNorm.clipped) { #expect(largestDifference(mine.scalars, torch) < 1e-12) }
        #expect(abs(globalNorm(gradients) - f.clipNorm.maxNorm) < 1e-5)   // the new norm is max / (1 + 1e-6 / norm)
        var small: Parameters<Double> = ["bias": Matrix([[0.1, -0.2]])]
        clipByGlobalNorm(&small, maxNorm: 5)
        #expect(small == ["bias": Matrix([[0.1, -0.2]])], "gradients under the limit are left alone")
    }

    @Test func clipByValueSetsLargeEntriesToPlusOrMinusTheLimit() {
        var gradients: Parameters<Double> = ["weight": Matrix([[3, -0.5, -7, 1]])]
        clipByValue(&gradients, maxValue: 1)
        #expect(gradients["weight"] == Matrix([[1, -0.5, -1, 1]]))
    }

    @Test func unreducedLossesAreThePerExampleTerms() {
        var g = SeededGenerator(seed: 12)
        let logits = Matrix<Double>.normal(3, 5, using: &g)
        let (losses, gradient) = SoftmaxCrossEntropy.unreduced(logits, targets: [4, 0, 2])
        let summed = SoftmaxCrossEntropy(reduction: .sum)(logits, targets: [4, 0, 2])
        #expect(abs(losses.reduce(0, +) - summed.loss) < 1e-12 && gradient == summed.gradient)
        #expect(abs(losses[1] + Double.log(softmax(logits)[1, 0])) < 1e-12)
        let tagged = BinaryCrossEntropy.unreduced(Matrix<Double>([[0, 2]]), labels: Matrix([[1, 0]]))
        #expect(abs(tagged.losses[0, 0] - Double.log(2)) < 1e-15 && abs(tagged.losses[0, 1] - Double.log(1 + Double.exp(2))) < 1e-12)
    }
}

/// Parameters and gradients under their names: layers' shares by prefix, and optimizers that match gradients by name.
@Suite struct ParametersTests {
    @Test func eachLayerTakesBackItsOwnShareByName() {
        var generator = SeededGenerator(seed: 3)
        let lstm = LSTM<Double>(inputSize: 3, hiddenSize: 2, generator: &generator)
        let head = Linear<Double>(inputSize: 2, outputSize: 5, generator: &generator)
        let model = Parameters(layers: ["lstm": lstm.parameters, "head": head.parameters])
        #expect(model.names == ["lstm.weight_ih", "lstm.weight_hh", "lstm.bias_ih", "lstm.bias_hh", "head.weight", "head.bias"])
        #expect(Array(model) == Array(lstm.parameters) + Array(head.parameters))
        let doubled = model.mapValues { $0 * 2 }                       // an optimizer's step
        #expect(doubled.layer("lstm") == lstm.parameters.mapValues { $0 * 2 })
        #expect(doubled.layer("head")["bias"] == head.bias * 2)
        #expect(doubled.layer("head").description == "weight [5, 2], bias [1, 5]")
        #expect(model.scalarCount == 8 * 3 + 8 * 2 + 8 + 8 + 10 + 5)
    }

    @Test func anUnknownNameStopsWithTheNamesThereAre() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let head: Parameters<Double> = ["weight": .zeros(1, 1)]
            _ = head["bias"]
        }
        let message = result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
        #expect(message.contains("no matrix named \"bias\"; there are weight [1, 1]"), "\(message)")
    }

    @Test func aLayerWithPeepholesTakesThemByName() {
        var generator = SeededGenerator(seed: 4)
        var lstm = LSTM<Double>(inputSize: 3, hiddenSize: 2, kernel: LSTMKernel(peepholes: .zeros(3, 2)), generator: &generator)
        let head = Linear<Double>(inputSize: 2, outputSize: 5, generator: &generator)
        let model = Parameters(layers: ["lstm": lstm.parameters.mapValues { $0 + 1 }, "head": head.parameters])
        lstm.parameters = model.layer("lstm")
        #expect(lstm.kernel.peepholes == Matrix<Double>(rows: 3, columns: 2, repeating: 1))
        #expect(model.layer("lstm").names.last == "peepholes")
    }

    /// Stacked and bidirectional layers name their layers' shares as PyTorch's `state_dict` would in a module
    /// holding a `ModuleList` named `layers`, or two modules named `forward` and `backward`.
    @Test func layersOfLayersPrefixTheirSharesAndTakeThemBack() {
        var g = SeededGenerator(seed: 6)
        var stack = Stacked([GRU<Double>(inputSize: 3, hiddenSize: 2, generator: &g), GRU<Double>(inputSize: 2, hiddenSize: 2, generator: &g)])
        var both = Bidirectional(forward: LSTM<Double>(inputSize: 3, hiddenSize: 2, generator: &g),
                                 backward: LSTM<Double>(inputSize: 3, hiddenSize: 2, generator: &g))
        #expect(stack.parameters.names.first == "layers.0.weight_ih" && stack.parameters.names.last == "layers.1.bias_hh")
        #expect(both.parameters.names.first == "forward.weight_ih" && both.parameters.names.last == "backward.bias_hh")
        let (x, upstream) = (Matrix<Double>.normal(6, 3, using: &g), Matrix<Double>.normal(6, 4, using: &g))
        let gradients = both.backward(upstream, cache: both.forward(x, batch: 2, initialState: nil).cache).parameterGradients
        #expect(gradients.names == both.parameters.names)
        both.parameters = both.parameters.mapValues { $0 * 0 }
        #expect(both.backwardLayer.weights.biasHH == .zeros(1, 8) && both.forwardLayer.weights.weightIH == .zeros(8, 3))
        let top = stack.layers[1].weights.weightIH
        stack.parameters = stack.parameters.mapValues { $0 + 1 }
        #expect(stack.layers[1].weights.weightIH == top + 1 && stack.parameters["layers.1.weight_ih"] == top + 1)
    }

    /// A layer's gradients carry PyTorch's names: each equals the gradient PyTorch names so (`weight_hh_l0_reverse`).
    @Test func gradientsByNameArePyTorchsByName() throws {
        let f = try RecurrentFixture.load("bilstm")
        let layer = Bidirectional(forward: LSTM(weights: f.weights("l0", gates: 4, inputSize: f.D), kernel: .init()),
                                  backward: LSTM(weights: f.weights("l0_reverse", gates: 4, inputSize: f.D), kernel: .init()))
        var state = [RecurrentState<Double>]()
        for d in 0..<2 {
            let rows = d * f.B * f.H ..< (d + 1) * f.B * f.H
            state.append(RecurrentState(hidden: f.matrix(Array(f.h0[rows]), columns: f.H), cell: f.matrix(Array(f.c0![rows]), columns: f.H)))
        }
        let (_, _, cache) = layer.forward(f.matrix(f.input, columns: f.D), batch: f.B,
                                          initialState: BidirectionalState(forward: state[0], backward: state[1]))
        var end = [RecurrentState<Double>]()
        for d in 0..<2 {
            let rows = d * f.B * f.H ..< (d + 1) * f.B * f.H
            end.append(RecurrentState(hidden: f.matrix(Array(f.readHidden[rows]), columns: f.H),
                                      cell: f.matrix(Array(f.readCell![rows]), columns: f.H)))
        }
        let gradients = layer.backward(f.matrix(f.readOut, columns: 2 * f.H),
                                       finalStateGradient: BidirectionalState(forward: end[0], backward: end[1]), cache: cache).parameterGradients
        for (direction, suffix) in [("forward", "l0"), ("backward", "l0_reverse")] {
            for name in ["weight_ih", "weight_hh", "bias_ih", "bias_hh"] {
                #expect(largestDifference(gradients["\(direction).\(name)"].scalars, f.gradients["\(name)_\(suffix)"]!) < 1e-10,
                        "\(direction).\(name)")
            }
        }
    }

    /// Two gradients of one shape, swapped: by position the step would go through, each gradient applied to the
    /// other's parameter. By name, the optimizer refuses, naming the first mismatch.
    static func swappedBiasGradients() -> (parameters: Parameters<Double>, gradients: Parameters<Double>, swapped: Parameters<Double>) {
        var g = SeededGenerator(seed: 7)
        let lstm = LSTM<Double>(inputSize: 3, hiddenSize: 2, generator: &g)
        let (_, _, cache) = lstm.forward(.normal(4, 3, using: &g), batch: 2, initialState: nil)
        let gradients = lstm.backward(.normal(4, 2, using: &g), cache: cache).parameterGradients
        let swappedOrder = ["weight_ih", "weight_hh", "bias_hh", "bias_ih"]
        let swapped = Parameters(names: swappedOrder, matrices: swappedOrder.map { gradients[$0] })
        return (lstm.parameters, gradients, swapped)
    }

    @Test func swappedGradientsOfOneShapeAreAMismatch() {
        let (parameters, gradients, swapped) = Self.swappedBiasGradients()
        #expect(gradients.mismatch(with: parameters) == nil)
        #expect(swapped.mismatch(with: parameters) == "got bias_hh [1, 8] where bias_ih [1, 8] is expected")
        #expect(Parameters(layers: ["lstm": gradients]).mismatch(with: parameters) == "got lstm.weight_ih [8, 3] where weight_ih [8, 3] is expected")
        let missing: Parameters<Double> = ["weight_ih": gradients["weight_ih"]]
        #expect(missing.mismatch(with: parameters) == "got nothing where weight_hh [8, 2] is expected")
        #expect(parameters.mismatch(with: missing) == "got weight_hh [8, 2] where nothing is expected")
        let reshaped: Parameters<Double> = ["weight_ih": .zeros(3, 8)]
        #expect(reshaped.mismatch(with: missing) == "got weight_ih [3, 8] where weight_ih [8, 3] is expected")
    }

    @Test func theOptimizersRefuseSwappedGradients() async {
        let sgd = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var (parameters, _, swapped) = ParametersTests.swappedBiasGradients()
            var sgd = SGD<Double>(learningRate: 0.1)
            sgd.step(&parameters, swapped)
        }
        let adagrad = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var (parameters, _, swapped) = ParametersTests.swappedBiasGradients()
            var adagrad = Adagrad<Double>(learningRate: 0.1)
            adagrad.step(&parameters, swapped)
        }
        let adam = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var (parameters, _, swapped) = ParametersTests.swappedBiasGradients()
            var adam = Adam<Double>(learningRate: 0.1)
            adam.step(&parameters, swapped)
        }
        for (optimizer, result) in [("SGD", sgd), ("Adagrad", adagrad), ("Adam", adam)] {
            let message = result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
            #expect(message.contains("\(optimizer): the gradients do not match the parameters: got bias_hh [1, 8] where bias_ih [1, 8] is expected"),
                    "\(message)")
        }
    }

    @Test func theOptimizersStepWithGradientsInTheirOwnOrder() {
        let (parameters, gradients, _) = Self.swappedBiasGradients()
        var (bySGD, byAdam) = (parameters, parameters)
        var sgd = SGD<Double>(learningRate: 0.5)
        sgd.step(&bySGD, gradients)
        #expect(bySGD["bias_ih"] == parameters["bias_ih"] - 0.5 * gradients["bias_ih"])
        var adam = Adam<Double>(learningRate: 0.1)
        adam.step(&byAdam, gradients)
        #expect(byAdam.names == parameters.names)
    }

    @Test func anOptimizerKeepsItsStateForTheParametersItFirstStepped() async {
        await #expect(processExitsWith: .failure) {
            let (parameters, gradients, _) = ParametersTests.swappedBiasGradients()
            var adam = Adam<Double>(learningRate: 0.1)
            var model = parameters
            adam.step(&model, gradients)
            var other = Parameters(layers: ["lstm": parameters])
            adam.step(&other, Parameters(layers: ["lstm": gradients]))
        }
    }
}
