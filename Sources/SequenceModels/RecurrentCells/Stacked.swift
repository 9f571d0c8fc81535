/// Recurrent layers stacked into a deep RNN: layer l reads the outputs of layer l − 1.
///
///     a^[l]⟨t⟩ = g(W_a^[l] [a^[l]⟨t−1⟩ ; a^[l−1]⟨t⟩] + b_a^[l]),   a^[0]⟨t⟩ = x⟨t⟩
///
/// As in PyTorch (`num_layers=L`), ``parameters`` lists layer 0's, then layer 1's, each under its layer's
/// name (`layers.0.weight_ih`, `layers.1.weight_ih`, …), and the state is one state per layer. Inputs `[T·B, D]`, outputs `[T·B, H_last]`. Two or three layers are
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

    public var parameters: Parameters<Scalar> {
        get { Parameters(layers: layers.indices.map { l in (Self.name(ofLayer: l), layers[l].parameters) }) }
        set {
            newValue.requireMatching(parameters, "Stacked parameters")
            for l in layers.indices { layers[l].parameters = newValue.layer(Self.name(ofLayer: l)) }
        }
    }

    /// Layer l's name in ``parameters``, as in a PyTorch `ModuleList` named `layers`: `layers.0`, `layers.1`, …
    static func name(ofLayer l: Int) -> String { "layers.\(l)" }

    public struct Cache {
        let caches: [Layer.Cache]
    }

    /// Runs the layers from the bottom up; with `lengths`, every layer masks the same padded steps.
    public func forward(_ inputs: Matrix<Scalar>, batch: Int, lengths: [Int]?, initialState: State?)
        -> (outputs: Matrix<Scalar>, finalState: State, cache: Cache)
    {
        require(initialState == nil || initialState!.count == layers.count,
                "Stacked: \(initialState?.count ?? 0) initial states for \(layers.count) layers")
        var signal = inputs
        var finals: State = []
        var caches: [Layer.Cache] = []
        for (l, layer) in layers.enumerated() {
            let result = layer.forward(signal, batch: batch, lengths: lengths, initialState: initialState?[l])
            signal = result.outputs                       // a^[l], the input of layer l + 1
            finals.append(result.finalState)
            caches.append(result.cache)
        }
        return (signal, finals, Cache(caches: caches))
    }

    /// Backpropagates through the layers from the top down. Every layer but the first computes ∂L/∂inputs,
    /// which is the gradient of the outputs of the layer below; the first does when `computesInputGradient`.
    public func backward(_ outputGradient: Matrix<Scalar>, finalStateGradient: State?, cache: Cache, computesInputGradient: Bool)
        -> (inputGradient: Matrix<Scalar>, parameterGradients: Parameters<Scalar>, initialStateGradient: State)
    {
        var gradient = outputGradient
        var parameterGradients: [(name: String, parameters: Parameters<Scalar>)] = []
        var initialGradients: State = []
        for l in layers.indices.reversed() {
            let result = layers[l].backward(gradient, finalStateGradient: finalStateGradient?[l], cache: cache.caches[l],
                                            computesInputGradient: l > 0 || computesInputGradient)
            gradient = result.inputGradient                // flows down into layer l − 1's outputs
            parameterGradients.insert((Self.name(ofLayer: l), result.parameterGradients), at: 0)
            initialGradients.insert(result.initialStateGradient, at: 0)
        }
        return (gradient, Parameters(layers: parameterGradients), initialGradients)
    }
}
