/// The state a recurrent layer carries from step to step: h, and for the LSTM also c. Each `[B, H]`.
public struct RecurrentState<Scalar: MatrixScalar>: Sendable, Equatable {
    /// h⟨t⟩ (a⟨t⟩ in the lessons' notation).
    public var hidden: Matrix<Scalar>
    /// c⟨t⟩, the LSTM's cell state; nil for layers without one.
    public var cell: Matrix<Scalar>?

    public init(hidden: Matrix<Scalar>, cell: Matrix<Scalar>? = nil) {
        if let cell {
            require(cell.shape == hidden.shape, "recurrent state: hidden \(hidden.shape) and cell \(cell.shape) differ")
        }
        self.hidden = hidden
        self.cell = cell
    }
}

/// A recurrent layer run over a whole sequence, with a hand-derived backward pass (BPTT).
///
/// A sequence of T steps of a batch of B is stored time-major as one matrix: row `t·B + b`
/// is example `b` at step `t`. Inputs are `[T·B, D]` and outputs `[T·B, outputSize]`.
/// Truncated BPTT is a loop over windows that passes each window's `finalState` as the next
/// window's `initialState` and never passes a gradient back across the boundary.
public protocol RecurrentLayer<Scalar> {
    associatedtype Scalar: MatrixScalar
    /// What the forward pass keeps for the backward pass.
    associatedtype Cache
    /// The state carried between steps and between windows.
    associatedtype State

    /// Columns of the output: H, or 2H for a bidirectional layer.
    var outputSize: Int { get }
    /// Every weight matrix under its name (``Parameters``), in PyTorch's `parameters()` order. Setting requires
    /// the same names, in the same order, with the same shapes.
    var parameters: Parameters<Scalar> { get set }

    /// Runs the layer over `inputs` `[T·B, D]`; returns the outputs `[T·B, outputSize]`, the final state and the cache.
    func forward(_ inputs: Matrix<Scalar>, batch: Int, initialState: State?)
        -> (outputs: Matrix<Scalar>, finalState: State, cache: Cache)

    /// Backpropagates `outputGradient` `[T·B, outputSize]`, and optionally a gradient on the final
    /// state, through time. Returns ∂L/∂inputs `[T·B, D]`, ∂L/∂parameters (under ``parameters``'s names,
    /// in its order) and ∂L/∂(initial state).
    ///
    /// With `computesInputGradient` false, ∂L/∂inputs is skipped and returned empty, `[0, D]`: the inputs
    /// of a first layer are data, often one-hot characters, whose gradient nobody reads. PyTorch skips it
    /// too, for inputs that do not require a gradient. It saves a product of O(T·B·G·H·D), G·H being the
    /// width of the gates, for each layer that reads the inputs.
    func backward(_ outputGradient: Matrix<Scalar>, finalStateGradient: State?, cache: Cache, computesInputGradient: Bool)
        -> (inputGradient: Matrix<Scalar>, parameterGradients: Parameters<Scalar>, initialStateGradient: State)
}

extension RecurrentLayer {
    /// ``backward(_:finalStateGradient:cache:computesInputGradient:)``, with ∂L/∂inputs.
    public func backward(_ outputGradient: Matrix<Scalar>, finalStateGradient: State? = nil, cache: Cache)
        -> (inputGradient: Matrix<Scalar>, parameterGradients: Parameters<Scalar>, initialStateGradient: State)
    {
        backward(outputGradient, finalStateGradient: finalStateGradient, cache: cache, computesInputGradient: true)
    }
}

/// The number of steps in a time-major sequence, checking that its rows divide into batches.
func stepCount<Scalar>(_ inputs: Matrix<Scalar>, batch: Int) -> Int {
    require(batch > 0 && inputs.rows % batch == 0,
            "a time-major sequence of shape \(inputs.shape) does not split into batches of \(batch)")
    return inputs.rows / batch
}

extension Matrix {
    /// Stacks T step matrices `[B, n]` into one time-major sequence `[T·B, n]`.
    public static func timeMajor(_ steps: [Matrix]) -> Matrix {
        let columns = steps.first?.columns ?? 0, batch = steps.first?.rows ?? 0
        require(steps.allSatisfy { $0.shape == [batch, columns] },
                "timeMajor: steps have different shapes \(Set(steps.map(\.shape)).sorted { $0.lexicographicallyPrecedes($1) })")
        return Matrix(rows: steps.count * batch, columns: columns, scalars: steps.flatMap(\.scalars))
    }

    /// Splits a time-major sequence `[T·B, n]` into its T steps, each `[B, n]`.
    public func steps(batch: Int) -> [Matrix] {
        (0..<stepCount(self, batch: batch)).map { rows($0 * batch ..< ($0 + 1) * batch) }
    }

    /// The same sequence with its steps in reverse order: what the backward direction of a bidirectional layer reads.
    public func reversedInTime(batch: Int) -> Matrix {
        let steps = stepCount(self, batch: batch), block = batch * columns
        var result = Matrix(rows: rows, columns: columns)
        for t in 0..<steps {
            result.scalars.replaceSubrange((steps - 1 - t) * block ..< (steps - t) * block,
                                           with: scalars[t * block ..< (t + 1) * block])
        }
        return result
    }
}
