// Times full training steps of a character-level LSTM language model, as bench/peer_torch.py
// does for PyTorch: one-hot input → LSTM → linear → softmax cross-entropy → BPTT → clip to norm 5 → Adam.
// Prints one line per configuration: `swift float32 H=<H> B=<B> T=<T> chars_per_s=<n>`.
import SequenceModels

struct CharacterModel {
    var lstm: LSTM<Float>
    var head: Linear<Float>
    var optimizer = Adam<Float>(learningRate: 1e-3)

    init(vocabulary: Int, hiddenSize: Int, generator: inout SeededGenerator) {
        lstm = LSTM(inputSize: vocabulary, hiddenSize: hiddenSize, generator: &generator)
        head = Linear(inputSize: hiddenSize, outputSize: vocabulary, generator: &generator)
    }

    /// One training step on a `[T·B, V]` one-hot batch; returns the mean loss.
    mutating func step(_ oneHot: Matrix<Float>, targets: [Int], batch: Int) -> Float {
        let (hidden, _, cache) = lstm.forward(oneHot, batch: batch, initialState: nil)
        let logits = head(hidden)
        let (loss, dLogits) = SoftmaxCrossEntropy(reduction: .mean)(logits, targets: targets)
        let headGradients = head.backward(dLogits, input: hidden)
        // As in PyTorch, where the one-hot input does not require a gradient, ∂L/∂input is not computed.
        let lstmGradients = lstm.backward(headGradients.inputGradient, finalStateGradient: nil, cache: cache,
                                          computesInputGradient: false)
        var gradients = lstmGradients.parameterGradients + [headGradients.weight, headGradients.bias]
        clipByGlobalNorm(&gradients, maxNorm: 5)
        var parameters = lstm.parameters + head.parameters
        optimizer.step(&parameters, gradients)
        lstm.parameters = Array(parameters[0..<4])
        head.parameters = Array(parameters[4...])
        return loss
    }
}

func charactersPerSecond(hiddenSize: Int, batch: Int, steps: Int, vocabulary: Int = 65,
                         warmup: Int = 3, repetitions: Int = 20) -> Double {
    var generator = SeededGenerator(seed: 0)
    var model = CharacterModel(vocabulary: vocabulary, hiddenSize: hiddenSize, generator: &generator)
    let inputs = (0..<steps * batch).map { _ in generator.nextIndex(below: vocabulary) }
    let targets = (0..<steps * batch).map { _ in generator.nextIndex(below: vocabulary) }
    var oneHot = Matrix<Float>.zeros(steps * batch, vocabulary)
    for (row, token) in inputs.enumerated() { oneHot[row, token] = 1 }
    for _ in 0..<warmup { _ = model.step(oneHot, targets: targets, batch: batch) }
    let clock = ContinuousClock()
    let elapsed = clock.measure {
        for _ in 0..<repetitions { _ = model.step(oneHot, targets: targets, batch: batch) }
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    return Double(repetitions * steps * batch) / seconds
}

let configurations = CommandLine.arguments.count > 1
    ? CommandLine.arguments[1].split(separator: ",").map { $0.split(separator: "x").map { Int($0)! } }
    : [[128, 1], [256, 1], [256, 32], [512, 32]]
for configuration in configurations {
    let (h, b) = (configuration[0], configuration[1])
    let rate = charactersPerSecond(hiddenSize: h, batch: b, steps: 100)
    print("swift float32 H=\(h) B=\(b) T=100 chars_per_s=\(Int(rate.rounded()))")
}
