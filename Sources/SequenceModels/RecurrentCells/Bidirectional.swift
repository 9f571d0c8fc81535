/// The states of the two directions of a ``Bidirectional`` layer.
public struct BidirectionalState<Inner: Sendable>: Sendable {
    public var forward: Inner
    public var backward: Inner

    public init(forward: Inner, backward: Inner) {
        self.forward = forward
        self.backward = backward
    }
}

/// Two recurrent layers reading the sequence in opposite directions, with outputs side by side.
///
///     a→⟨t⟩ from x⟨1⟩ … x⟨t⟩,   a←⟨t⟩ from x⟨T⟩ … x⟨t⟩,   output⟨t⟩ = [a→⟨t⟩ ; a←⟨t⟩]
///
/// The forward direction comes first in the output, as in PyTorch (`bidirectional=True`), and
/// ``parameters`` lists the forward layer's, then the backward layer's (PyTorch's `_reverse`), under
/// `forward.` and `backward.`: `forward.weight_ih`, …, `backward.weight_ih`, …. The graph is
/// acyclic, so backpropagation runs through each direction separately. The price: no output can
/// be produced before the whole sequence has been read. Inputs `[T·B, D]`, outputs `[T·B, 2H]`.
public struct Bidirectional<Layer: RecurrentLayer & Sendable>: RecurrentLayer, Sendable
where Layer.State: Sendable {
    public typealias Scalar = Layer.Scalar
    public typealias State = BidirectionalState<Layer.State>

    public var forwardLayer: Layer
    public var backwardLayer: Layer

    public init(forward: Layer, backward: Layer) {
        require(forward.outputSize == backward.outputSize,
                "Bidirectional: the directions have output sizes \(forward.outputSize) and \(backward.outputSize)")
        forwardLayer = forward
        backwardLayer = backward
    }

    public var outputSize: Int { 2 * forwardLayer.outputSize }

    public var parameters: Parameters<Scalar> {
        get { Parameters(layers: ["forward": forwardLayer.parameters, "backward": backwardLayer.parameters]) }
        set {
            newValue.requireMatching(parameters, "Bidirectional parameters")
            forwardLayer.parameters = newValue.layer("forward")
            backwardLayer.parameters = newValue.layer("backward")
        }
    }

    public struct Cache {
        let forward: Layer.Cache
        let backward: Layer.Cache
        let batch: Int
        let lengths: [Int]?
    }

    /// Runs both directions. With `lengths`, the backward direction reads each example from its own last
    /// true step, x⟨L_b−1⟩ … x⟨0⟩, not from the padding.
    public func forward(_ inputs: Matrix<Scalar>, batch: Int, lengths: [Int]?, initialState: State?)
        -> (outputs: Matrix<Scalar>, finalState: State, cache: Cache)
    {
        let ahead = forwardLayer.forward(inputs, batch: batch, lengths: lengths, initialState: initialState?.forward)
        let behind = backwardLayer.forward(inputs.reversedInTime(batch: batch, lengths: lengths), batch: batch,
                                           lengths: lengths, initialState: initialState?.backward)
        let outputs = Matrix.concatenatingColumns([ahead.outputs, behind.outputs.reversedInTime(batch: batch, lengths: lengths)])
        return (outputs, State(forward: ahead.finalState, backward: behind.finalState),
                Cache(forward: ahead.cache, backward: behind.cache, batch: batch, lengths: lengths))
    }

    /// Backpropagates through each direction; ∂L/∂inputs, when `computesInputGradient`, is the sum of both directions'.
    public func backward(_ outputGradient: Matrix<Scalar>, finalStateGradient: State?, cache: Cache, computesInputGradient: Bool)
        -> (inputGradient: Matrix<Scalar>, parameterGradients: Parameters<Scalar>, initialStateGradient: State)
    {
        let h = forwardLayer.outputSize, batch = cache.batch, lengths = cache.lengths
        require(outputGradient.columns == 2 * h, "Bidirectional backward: gradient \(outputGradient.shape) needs \(2 * h) columns")
        let ahead = forwardLayer.backward(outputGradient.columns(0..<h), finalStateGradient: finalStateGradient?.forward,
                                          cache: cache.forward, computesInputGradient: computesInputGradient)
        let behind = backwardLayer.backward(outputGradient.columns(h..<2 * h).reversedInTime(batch: batch, lengths: lengths),
                                            finalStateGradient: finalStateGradient?.backward, cache: cache.backward,
                                            computesInputGradient: computesInputGradient)
        // Without input gradients both are empty, [0, D], and so is their sum.
        let inputGradient = computesInputGradient
            ? ahead.inputGradient + behind.inputGradient.reversedInTime(batch: batch, lengths: lengths) : ahead.inputGradient
        return (inputGradient,
                Parameters(layers: ["forward": ahead.parameterGradients, "backward": behind.parameterGradients]),
                State(forward: ahead.initialStateGradient, backward: behind.initialStateGradient))
    }
}
