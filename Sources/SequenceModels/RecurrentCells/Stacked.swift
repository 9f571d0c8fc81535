/// Recurrent layers stacked into a deep RNN: layer l reads the outputs of layer l − 1.
///
///     a^[l]⟨t⟩ = g(W_a^[l] [a^[l]⟨t−1⟩ ; a^[l−1]⟨t⟩] + b_a^[l]),   a^[0]⟨t⟩ = x⟨t⟩
///
/// As in PyTorch (`num_layers=L`), ``parameters`` lists layer 0's, then layer 1's, and the state
/// is one state per layer. Inputs `[T·B, D]`, outputs `[T·B, H_last]`. Two or three layers are
/// typical: each layer already runs through time, so depth is expensive.
public struct Stacked<Layer: RecurrentLayer & Sendable>: RecurrentLayer, Sendable {
    public typealias Scalar = Layer.Scalar
    public typealias State = [Layer.State]

    public var layers: [Layer]

    public init(_ layers: [Layer]) {
        require(!layers.isEmpty, "Stacked needs at least one layer")
        self.layers = layers
    }

    public var outputSize: Int { layers.last!.outputSize }

    public var parameters: [Matrix<Scalar>] {
        get { layers.flatMap(\.parameters) }
        set {
            var start = 0
            for l in layers.indices {
                let count = layers[l].parameters.count
                layers[l].parameters = Array(newValue[start ..< start + count])
                start += count
            }
        }
    }

    public struct Cache {
        let caches: [Layer.Cache]
    }

    public func forward(_ inputs: Matrix<Scalar>, batch: Int, initialState: State?)
        -> (outputs: Matrix<Scalar>, finalState: State, cache: Cache)
    {
        require(initialState == nil || initialState!.count == layers.count,
                "Stacked: \(initialState?.count ?? 0) initial states for \(layers.count) layers")
        var signal = inputs
        var finals: State = []
        var caches: [Layer.Cache] = []
        for (l, layer) in layers.enumerated() {
            let result = layer.forward(signal, batch: batch, initialState: initialState?[l])
            signal = result.outputs                       // a^[l], the input of layer l + 1
            finals.append(result.finalState)
            caches.append(result.cache)
        }
        return (signal, finals, Cache(caches: caches))
    }

    /// Backpropagates through the layers from the top down. Every layer but the first computes ∂L/∂inputs,
    /// which is the gradient of the outputs of the layer below; the first does when `computesInputGradient`.
    public func backward(_ outputGradient: Matrix<Scalar>, finalStateGradient: State?, cache: Cache, computesInputGradient: Bool)
        -> (inputGradient: Matrix<Scalar>, parameterGradients: [Matrix<Scalar>], initialStateGradient: State)
    {
        var gradient = outputGradient
        var parameterGradients: [[Matrix<Scalar>]] = []
        var initialGradients: State = []
        for l in layers.indices.reversed() {
            let result = layers[l].backward(gradient, finalStateGradient: finalStateGradient?[l], cache: cache.caches[l],
                                            computesInputGradient: l > 0 || computesInputGradient)
            gradient = result.inputGradient                // flows down into layer l − 1's outputs
            parameterGradients.insert(result.parameterGradients, at: 0)
            initialGradients.insert(result.initialStateGradient, at: 0)
        }
        return (gradient, parameterGradients.flatMap { $0 }, initialGradients)
    }
}
