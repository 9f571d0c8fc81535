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
///
/// Sequences of different lengths are padded at the end to the longest, T, and run with `lengths`:
/// example b's steps t ≥ L_b are masked (they keep the state, output zero, and receive no gradient), and
/// its final state is the one after its true last step, as with PyTorch's `pack_padded_sequence`.
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

    /// Runs the layer over `inputs` `[T·B, D]`, each example b for its first `lengths[b]` steps (all T when
    /// `lengths` is nil); returns the outputs `[T·B, outputSize]`, the final state and the cache.
    func forward(_ inputs: Matrix<Scalar>, batch: Int, lengths: [Int]?, initialState: State?)
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
    /// ``forward(_:batch:lengths:initialState:)`` over sequences of one length, T.
    public func forward(_ inputs: Matrix<Scalar>, batch: Int, initialState: State? = nil)
        -> (outputs: Matrix<Scalar>, finalState: State, cache: Cache)
    {
        forward(inputs, batch: batch, lengths: nil, initialState: initialState)
    }

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

/// Stops with a message unless `lengths` holds one length 1…T for each of the `batch` examples.
func requireLengths(_ lengths: [Int]?, batch: Int, steps: Int, _ layer: String) {
    guard let lengths else { return }
    require(lengths.count == batch, "\(layer): \(lengths.count) lengths for a batch of \(batch)")
    require(lengths.allSatisfy { (1...max(steps, 1)).contains($0) },
            "\(layer): every length must be 1…\(steps), the padded length; got \(lengths)")
}

extension Matrix {
    /// Stacks T step matrices `[B, n]` into one time-major sequence `[T·B, n]`.
    public static func timeMajor(_ steps: [Matrix]) -> Matrix {
        let columns = steps.first?.columns ?? 0, batch = steps.first?.rows ?? 0
        require(steps.allSatisfy { $0.shape == [batch, columns] },
                "timeMajor: steps have different shapes \(Set(steps.map(\.shape)).sorted { $0.lexicographicallyPrecedes($1) })")
        return Matrix(rows: steps.count * batch, columns: columns, scalars: steps.flatMap(\.scalars))
    }

    /// Interleaves B sequences, each `[T, n]` with row t the step t, into one time-major batch `[T·B, n]`:
    /// row t·B + b is step t of sequence b.
    public static func timeMajor(sequences: [Matrix]) -> Matrix {
        let batch = sequences.count, steps = sequences.first?.rows ?? 0, columns = sequences.first?.columns ?? 0
        require(sequences.allSatisfy { $0.shape == [steps, columns] },
                "timeMajor: sequences have different shapes \(Set(sequences.map(\.shape)).sorted { $0.lexicographicallyPrecedes($1) })")
        var result = Matrix.zeros(steps * batch, columns)
        result.scalars.withUnsafeMutableBufferPointer { out in
            for (b, sequence) in sequences.enumerated() {
                sequence.scalars.withUnsafeBufferPointer { source in
                    for t in 0..<steps {
                        for c in 0..<columns { out[(t * batch + b) * columns + c] = source[t * columns + c] }
                    }
                }
            }
        }
        return result
    }

    /// Sequence `b` of a time-major batch `[T·B, n]`, as `[T, n]`: rows b, B + b, 2B + b, …
    public func sequence(_ b: Int, batch: Int) -> Matrix {
        require(b >= 0 && b < batch, "sequence: \(b) is not one of the \(batch) sequences")
        return rows(at: (0..<stepCount(self, batch: batch)).map { t in t * batch + b })   // row t·B + b of each step
    }

    /// Splits a time-major sequence `[T·B, n]` into its T steps, each `[B, n]`.
    public func steps(batch: Int) -> [Matrix] {
        (0..<stepCount(self, batch: batch)).map { rows($0 * batch ..< ($0 + 1) * batch) }
    }

    /// The same sequence with its steps in reverse order: what the backward direction of a bidirectional layer reads.
    /// With `lengths`, each example's first L_b steps are reversed and its padding stays at the end:
    /// x⟨L_b−1⟩ … x⟨0⟩, then the padded steps, as PyTorch's packed sequences reverse.
    public func reversedInTime(batch: Int, lengths: [Int]? = nil) -> Matrix {
        let steps = stepCount(self, batch: batch)
        var result = self
        for b in 0..<batch {
            let length = lengths?[b] ?? steps
            for t in 0..<length {                                // row (L_b − 1 − t)·B + b takes row t·B + b
                let (from, to) = ((t * batch + b) * columns, ((length - 1 - t) * batch + b) * columns)
                result.scalars.replaceSubrange(to ..< to + columns, with: scalars[from ..< from + columns])
            }
        }
        return result
    }

    /// The same sequence with example b's steps t ≥ `lengths[b]` set to zero, in place.
    mutating func zeroPaddedSteps(batch: Int, lengths: [Int]) {
        for t in 0..<stepCount(self, batch: batch) {
            for b in 0..<batch where t >= lengths[b] {
                scalars.replaceSubrange((t * batch + b) * columns ..< (t * batch + b + 1) * columns,
                                        with: repeatElement(0, count: columns))
            }
        }
    }
}
