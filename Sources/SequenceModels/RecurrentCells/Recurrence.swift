/// A recurrent layer over whole sequences: the matrix products and the loop over time, for any ``GateKernel``.
///
/// `LSTM`, `GRU` and `RNN` are this type with their kernels. Forward, per sequence:
///
///     input gates  = X W_ihᵀ + b_ih                 one product for all T steps, [T·B, G·H]
///     for t in 1…T:
///         hidden gates = h⟨t−1⟩ W_hhᵀ + b_hh          the recurrence, [B, G·H]
///         h⟨t⟩ (and c⟨t⟩) = kernel(input gates⟨t⟩, hidden gates)
///
/// Backward (BPTT) walks t from T down to 1, and because the weights are shared by every step
/// their gradients are sums over t, each computed as one product at the end:
/// ∂L/∂W_ih = Σ_t δ_inᵀ x⟨t⟩, ∂L/∂W_hh = Σ_t δ_hidᵀ h⟨t−1⟩. Complexity: O(T·B·G·H·(D + H)).
///
/// Sequences of different lengths share a batch padded to the longest, with `lengths` (L_b ≤ T for example b).
/// A padded step t ≥ L_b is masked: it leaves the state as it was and receives no gradient,
///
///     h⟨t⟩ = m⟨t⟩ ⊙ kernel(x⟨t⟩, h⟨t−1⟩) + (1 − m⟨t⟩) ⊙ h⟨t−1⟩,   m⟨t⟩_b = 1 if t < L_b else 0
///
/// so the final state is h⟨L_b⟩, each example's true last step, and the padded outputs are zero, as PyTorch's
/// `pack_padded_sequence` and `pad_packed_sequence` give.
public struct Recurrence<Kernel: GateKernel>: RecurrentLayer, Sendable {
    public typealias Scalar = Kernel.Scalar
    public typealias State = RecurrentState<Scalar>

    public var weights: RecurrentWeights<Scalar>
    public var kernel: Kernel

    /// A layer with PyTorch's initialisation, U(−1/√H, 1/√H): `LSTM<Float>(inputSize: 65, hiddenSize: 256, generator: &g)`.
    public init(inputSize: Int, hiddenSize: Int, kernel: Kernel = Kernel(), generator: inout SeededGenerator) {
        self.init(weights: RecurrentWeights(gates: Kernel.gateCount, inputSize: inputSize,
                                            hiddenSize: hiddenSize, generator: &generator),
                  kernel: kernel)
    }

    /// A layer with the given weights, whose shapes must match the kernel's gate count.
    public init(weights: RecurrentWeights<Scalar>, kernel: Kernel) {
        require(weights.weightHH.rows == Kernel.gateCount * weights.hiddenSize,
                "\(Kernel.displayName) needs \(Kernel.gateCount) gate block(s): weight_hh must be [\(Kernel.gateCount * weights.hiddenSize), \(weights.hiddenSize)], got \(weights.weightHH.shape)")
        self.weights = weights
        self.kernel = kernel
    }

    public var hiddenSize: Int { weights.hiddenSize }
    public var inputSize: Int { weights.inputSize }
    public var outputSize: Int { hiddenSize }
    /// `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`, then the kernel's own (`peepholes`); set with the same names and shapes.
    public var parameters: Parameters<Scalar> {
        get { weights.parameters.appending(kernel.parameters) }
        set {
            newValue.requireMatching(parameters, "\(Kernel.displayName) parameters")
            weights.parameters = newValue                                 // each takes its own by name
            kernel.parameters = newValue
        }
    }

    /// What the backward pass needs.
    public struct Cache: Sendable {
        let inputs: Matrix<Scalar>            // [T·B, D]
        let oneHotColumns: [Int]?             // the column of each row's 1, when the inputs are one-hot
        let kernelCache: Matrix<Scalar>       // [T·B, cacheBlocks·H]
        let outputs: Matrix<Scalar>           // [T·B, H]
        let cells: Matrix<Scalar>?            // [T·B, H], c⟨t⟩ for the LSTM
        let initial: RecurrentState<Scalar>
        let batch: Int
        let lengths: [Int]?                   // each example's true length, when the batch is padded
        /// The gate activations of every step, `[T·B, blocks·H]`: for the LSTM i, f, g, o; for the GRU r, z, n.
        public var gateActivations: Matrix<Scalar> { kernelCache }
        /// c⟨t⟩ of every step, `[T·B, H]`, for the LSTM.
        public var cellStates: Matrix<Scalar>? { cells }
    }

    /// The zero state for a batch of `batch`.
    public func zeroState(batch: Int) -> State {
        State(hidden: .zeros(batch, hiddenSize), cell: Kernel.usesCellState ? .zeros(batch, hiddenSize) : nil)
    }

    @_specialize(where Kernel == LSTMKernel<Float>)
    @_specialize(where Kernel == GRUKernel<Float>)
    @_specialize(where Kernel == ElmanKernel<Float>)
    public func forward(_ inputs: Matrix<Scalar>, batch: Int, lengths: [Int]?, initialState: State? = nil)
        -> (outputs: Matrix<Scalar>, finalState: State, cache: Cache)
    {
        let h = hiddenSize, steps = stepCount(inputs, batch: batch)
        require(inputs.columns == inputSize, "\(Kernel.displayName): input \(inputs.shape) needs \(inputSize) columns")
        requireLengths(lengths, batch: batch, steps: steps, Kernel.displayName)
        let initial = initialState ?? zeroState(batch: batch)
        require(initial.hidden.shape == [batch, h], "\(Kernel.displayName): initial state \(initial.hidden.shape) must be [\(batch), \(h)]")
        require((initial.cell != nil) == Kernel.usesCellState, "\(Kernel.displayName): the initial state \(Kernel.usesCellState ? "needs" : "has no") cell state")
        // One-hot inputs (characters) pick columns of W_ih: a gather, not a product.
        let oneHot = inputs.oneHotColumns()
        let inputGates = oneHot.map { self.weights.inputGates(oneHotColumns: $0) }
            ?? matmul(inputs, self.weights.weightIH, transposeB: true).addingRow(self.weights.biasIH)
        // Written by the loop over time: the kernel's cache, h⟨t⟩, and c⟨t⟩ for the LSTM.
        var kernelCache = Matrix<Scalar>.unfilled(steps * batch, Kernel.cacheBlocks * h)
        var outputs = Matrix<Scalar>.unfilled(steps * batch, h)
        var cells: Matrix<Scalar>? = Kernel.usesCellState ? .unfilled(steps * batch, h) : nil
        if steps > 0 {
            inputGates.withStorage { inputGates in
            weights.biasHH.withStorage { biasHH in
            initial.hidden.withStorage { initialHidden in
            initial.cell.withStorage { initialCell in
            kernelCache.withMutableStorage { kernelCache in
            outputs.withMutableStorage { outputs in
            cells.withMutableStorage { cells in
                let pass = ForwardPass(inputGates: inputGates, biasHH: biasHH, initialHidden: initialHidden, initialCell: initialCell,
                                       cache: kernelCache, outputs: outputs, cells: cells, lengths: lengths, steps: steps, batch: batch)
                parts(batch: batch, steps: steps).run { part, barrier in forwardSteps(pass, part, barrier) }
            }}}}}}}
        }
        let last = (steps - 1) * batch ..< steps * batch                      // padded steps carried h⟨L_b⟩ here
        let final = steps == 0 ? initial : State(hidden: outputs.rows(last), cell: cells?.rows(last))
        if let lengths {                                                      // a padded step outputs zero
            outputs.zeroPaddedSteps(batch: batch, lengths: lengths)
            cells?.zeroPaddedSteps(batch: batch, lengths: lengths)
        }
        return (outputs, final, Cache(inputs: inputs, oneHotColumns: oneHot, kernelCache: kernelCache, outputs: outputs,
                                      cells: cells, initial: initial, batch: batch, lengths: lengths))
    }

    /// Backpropagation through time (``RecurrentLayer/backward(_:finalStateGradient:cache:computesInputGradient:)``).
    @_specialize(where Kernel == LSTMKernel<Float>)
    @_specialize(where Kernel == GRUKernel<Float>)
    @_specialize(where Kernel == ElmanKernel<Float>)
    public func backward(_ outputGradient: Matrix<Scalar>, finalStateGradient: State? = nil, cache: Cache,
                         computesInputGradient: Bool)
        -> (inputGradient: Matrix<Scalar>, parameterGradients: Parameters<Scalar>, initialStateGradient: State)
    {
        let h = hiddenSize, g = Kernel.gateCount * h, batch = cache.batch, steps = cache.outputs.rows / batch
        require(outputGradient.shape == cache.outputs.shape,
                "\(Kernel.displayName) backward: output gradient \(outputGradient.shape) must match the outputs \(cache.outputs.shape)")
        // Written by the loop over time: δ_in; δ_hid when it differs (the GRU), else δ_in serves for both products;
        // and ∂L/∂h, ∂L/∂c (the LSTM's), carried back from step t+1 to step t.
        var dInputGates = Matrix<Scalar>.unfilled(steps * batch, g)
        var dHiddenGates: Matrix<Scalar>? = Kernel.hiddenGateGradientsDiffer ? .unfilled(steps * batch, g) : nil
        var dHidden = finalStateGradient?.hidden ?? .zeros(batch, h)
        var dCell: Matrix<Scalar>? = Kernel.usesCellState ? (finalStateGradient?.cell ?? .zeros(batch, h)) : nil
        let kernelGradientParts = PartResults<[Scalar]>()
        if steps > 0 {
            outputGradient.withStorage { outputGradient in
            cache.kernelCache.withStorage { kernelCache in
            cache.outputs.withStorage { outputs in
            cache.cells.withStorage { cells in
            cache.initial.hidden.withStorage { initialHidden in
            cache.initial.cell.withStorage { initialCell in
            dInputGates.withMutableStorage { dInputGates in
            dHiddenGates.withMutableStorage { dHiddenGates in
            dHidden.withMutableStorage { dHidden in
            dCell.withMutableStorage { dCell in
                let pass = BackwardPass(outputGradient: outputGradient, kernelCache: kernelCache, outputs: outputs, cells: cells,
                                        initialHidden: initialHidden, initialCell: initialCell, dInputGates: dInputGates,
                                        dHiddenGates: dHiddenGates ?? dInputGates, dHidden: dHidden, dCell: dCell,
                                        lengths: cache.lengths, steps: steps, batch: batch)
                parts(batch: batch, steps: steps).run { part, barrier in
                    kernelGradientParts.set(backwardSteps(pass, part, barrier), forPart: part.index)
                }
            }}}}}}}}}}
        }
        var previousStates = Matrix<Scalar>.unfilled(steps * batch, h)          // h⟨t−1⟩ for every row
        previousStates.scalars.replaceSubrange(0..<batch * h, with: cache.initial.hidden.scalars)
        previousStates.scalars.replaceSubrange(batch * h ..< steps * batch * h,
                                               with: cache.outputs.scalars[0 ..< (steps - 1) * batch * h])
        var gradients = RecurrentWeights(zerosLike: weights)
        if let oneHot = cache.oneHotColumns {                                                // Σ_t δ_inᵀ x⟨t⟩
            gradients.weightIH = RecurrentWeights.inputWeightGradient(dInputGates, oneHotColumns: oneHot, inputSize: inputSize)
        } else {
            gradients.weightIH.addProduct(dInputGates, cache.inputs, transposeA: true)
        }
        let hiddenGates = dHiddenGates ?? dInputGates
        gradients.weightHH.addProduct(hiddenGates, previousStates, transposeA: true)       // Σ_t δ_hidᵀ h⟨t−1⟩
        gradients.biasIH = dInputGates.columnSums()
        gradients.biasHH = Kernel.hiddenGateGradientsDiffer ? hiddenGates.columnSums() : gradients.biasIH
        let inputGradient = computesInputGradient ? matmul(dInputGates, weights.weightIH)    // [T·B, G·H] · [G·H, D]
                                                  : .zeros(0, inputSize)
        // The kernel's own gradients: summed over the batch parts, then cut into its matrices' shapes, under their names.
        var flat = kernelGradientParts.ordered.reduce(into: [Scalar]()) { total, part in
            total = total.isEmpty ? part : zip(total, part).map(+)
        }[...]
        let kernelGradients = kernel.parameters.mapValues { parameter in
            defer { flat = flat.dropFirst(parameter.scalars.count) }
            return Matrix(rows: parameter.rows, columns: parameter.columns,                    // (drops the padding entry)
                          scalars: Array(flat.prefix(parameter.scalars.count)))
        }
        return (inputGradient, gradients.parameters.appending(kernelGradients), State(hidden: dHidden, cell: dCell))
    }
}

/// The pointers that one forward pass lends to each of its parts. Rows are time-major: row t·B + b.
private struct ForwardPass<Scalar: MatrixScalar> {
    /// x W_ihᵀ + b_ih `[T·B, G·H]`, b_hh `[1, G·H]`, and the initial h and, for the LSTM, c `[B, H]`.
    let inputGates, biasHH, initialHidden: UnsafePointer<Scalar>, initialCell: UnsafePointer<Scalar>?
    /// Written: the kernel's cache `[T·B, cacheBlocks·H]`, h⟨t⟩ `[T·B, H]`, and c⟨t⟩ `[T·B, H]` for the LSTM.
    let cache, outputs: UnsafeMutablePointer<Scalar>, cells: UnsafeMutablePointer<Scalar>?
    /// Each example's true length, or nil when none is padded.
    let lengths: [Int]?
    let steps, batch: Int
}

/// The pointers that one backward pass lends to each of its parts.
private struct BackwardPass<Scalar: MatrixScalar> {
    /// ∂L/∂h⟨t⟩ from above `[T·B, H]`; the forward pass's cache, h⟨t⟩ and c⟨t⟩; the initial h and c `[B, H]`.
    /// (c only for the LSTM.)
    let outputGradient, kernelCache, outputs: UnsafePointer<Scalar>, cells: UnsafePointer<Scalar>?
    let initialHidden: UnsafePointer<Scalar>, initialCell: UnsafePointer<Scalar>?
    /// Written: δ_in and δ_hid `[T·B, G·H]` (the same buffer unless they differ).
    let dInputGates, dHiddenGates: UnsafeMutablePointer<Scalar>
    /// ∂L/∂h and ∂L/∂c `[B, H]`, carried from step t+1 back to step t; on return, those of the initial state.
    let dHidden: UnsafeMutablePointer<Scalar>, dCell: UnsafeMutablePointer<Scalar>?
    /// Each example's true length, or nil when none is padded.
    let lengths: [Int]?
    let steps, batch: Int
}

extension Recurrence {
    /// The loop over time of one part (its examples, or its hidden units), writing its share of `pass`'s outputs.
    private func forwardSteps(_ pass: ForwardPass<Scalar>, _ part: RecurrenceParts.Part, _ barrier: StepBarrier?) {
        let (h, g, batch, examples, units) = (hiddenSize, Kernel.gateCount * hiddenSize, pass.batch, part.examples, part.units)
        let blocks = recurrentBlocks(for: units, examples: examples.count, steps: pass.steps)
        let hiddenGates = UnsafeMutablePointer<Scalar>.allocate(capacity: examples.count * g)   // h⟨t−1⟩ W_hhᵀ + b_hh
        hiddenGates.initialize(repeating: 0, count: examples.count * g)
        defer { hiddenGates.deallocate() }
        for t in 0..<pass.steps {
            if t > 0 { barrier?.wait() }                           // every part has written its units of h⟨t−1⟩
            let row = t * batch + examples.lowerBound              // this part's first row at step t
            let previousHidden = t == 0 ? pass.initialHidden + examples.lowerBound * h : UnsafePointer(pass.outputs + (row - batch) * h)
            let previousCell = t == 0 ? pass.initialCell.map { $0 + examples.lowerBound * h }
                                      : pass.cells.map { UnsafePointer($0 + (row - batch) * h) }
            for block in blocks {                                  // b_hh, then + h⟨t−1⟩ W_hhᵀ
                for r in 0..<examples.count {
                    let gates = hiddenGates + r * g                // a row pointer, so that the loop vectorises
                    for j in block.column ..< block.column + block.weights.columns { gates[j] = pass.biasHH[j] }
                }
                block.weights.addProduct(rows: examples.count, previousHidden, rowStride: h, columnStride: 1,
                                         into: hiddenGates + block.column, resultRowStride: g)
            }
            kernel.forward(ForwardStep(inputGates: pass.inputGates + row * g, hiddenGates: hiddenGates,
                                       previousHidden: previousHidden, previousCell: previousCell,
                                       cache: pass.cache + row * Kernel.cacheBlocks * h, hidden: pass.outputs + row * h,
                                       cell: pass.cells.map { $0 + row * h }, batch: examples.count, units: units, hiddenSize: h))
            for r in paddedRows(pass.lengths, examples, atStep: t) {        // masked: h⟨t⟩ = h⟨t−1⟩ (and c⟨t⟩ = c⟨t−1⟩)
                let hidden = pass.outputs + (row + r) * h, cell = pass.cells.map { $0 + (row + r) * h }
                for j in units { hidden[j] = previousHidden[r * h + j] }
                if let cell, let previousCell { for j in units { cell[j] = previousCell[r * h + j] } }
            }
        }
    }

    /// How the loop over `steps` steps of a batch of `batch` is shared between cores (``RecurrenceParts``).
    private func parts(batch: Int, steps: Int) -> RecurrenceParts {
        RecurrenceParts(batch: batch, hiddenSize: hiddenSize,
                        packed: ProductOperand<Scalar>.isPacked(expectedRows: steps * batch, products: steps))
    }

    /// The columns of the hidden gates that a part computes, one block of its units per gate, and the rows of
    /// W_hh behind each, read by `steps` products of `examples` rows; one block of all G·H columns when the part has every unit.
    private func recurrentBlocks(for units: Range<Int>, examples: Int, steps: Int) -> [(weights: ProductOperand<Scalar>, column: Int)] {
        let (h, rows) = (hiddenSize, steps * examples)
        guard units != 0..<h else { return [(ProductOperand(weights.weightHH, transposed: true, expectedRows: rows, products: steps), 0)] }
        return (0..<Kernel.gateCount).map { gate in
            let gateRows = gate * h + units.lowerBound ..< gate * h + units.upperBound
            return (ProductOperand(weights.weightHH, rows: gateRows, transposed: true, expectedRows: rows, products: steps),
                    gateRows.lowerBound)
        }
    }

    /// Backpropagation through time for one part, t from T down to 1: writes its rows of δ and its units of
    /// ∂L/∂h⟨t−1⟩ and ∂L/∂c⟨t−1⟩, and returns its sum of the kernel's own parameter gradients, flattened.
    private func backwardSteps(_ pass: BackwardPass<Scalar>, _ part: RecurrenceParts.Part, _ barrier: StepBarrier?) -> [Scalar] {
        let (h, g, batch, examples, units) = (hiddenSize, Kernel.gateCount * hiddenSize, pass.batch, part.examples, part.units)
        // W_hh, or the columns of it that produce this part's units of ∂L/∂h⟨t−1⟩.
        let recurrentWeights = ProductOperand(weights.weightHH, columns: units, transposed: false,
                                              expectedRows: pass.steps * examples.count, products: pass.steps)
        let direct = UnsafeMutablePointer<Scalar>.allocate(capacity: examples.count * h)     // the part not through W_hh
        direct.initialize(repeating: 0, count: examples.count * h)
        let kernelParameterCount = kernel.parameters.scalarCount
        let dKernel = UnsafeMutablePointer<Scalar>.allocate(capacity: max(kernelParameterCount, 1))
        dKernel.initialize(repeating: 0, count: max(kernelParameterCount, 1))
        defer { direct.deallocate(); dKernel.deallocate() }
        // ∂L/∂h⟨t⟩ and ∂L/∂c⟨t⟩ of padded rows, held while the kernel sees zero for them, then passed on unchanged.
        let held = UnsafeMutablePointer<Scalar>.allocate(capacity: pass.lengths == nil ? 0 : 2 * examples.count * h)
        defer { held.deallocate() }
        let dHidden = pass.dHidden + examples.lowerBound * h, dCell = pass.dCell.map { $0 + examples.lowerBound * h }
        for t in stride(from: pass.steps - 1, through: 0, by: -1) {
            let row = t * batch + examples.lowerBound
            let padded = paddedRows(pass.lengths, examples, atStep: t)
            for r in 0..<examples.count where !padded.contains(r) {  // the loss at step t, plus what flows back
                let (total, fromLoss) = (dHidden + r * h, pass.outputGradient + (row + r) * h)
                for j in units { total[j] += fromLoss[j] }
            }
            for r in padded {                                      // a padded step receives no gradient (δ⟨t⟩ = 0)
                for j in units { held[r * h + j] = dHidden[r * h + j]; dHidden[r * h + j] = 0 }
                if let dCell { for j in units { held[(examples.count + r) * h + j] = dCell[r * h + j]; dCell[r * h + j] = 0 } }
            }
            let previousHidden = t == 0 ? pass.initialHidden + examples.lowerBound * h : pass.outputs + (row - batch) * h
            let previousCell = t == 0 ? pass.initialCell.map { $0 + examples.lowerBound * h } : pass.cells.map { $0 + (row - batch) * h }
            kernel.backward(BackwardStep(cache: pass.kernelCache + row * Kernel.cacheBlocks * h, previousHidden: previousHidden,
                                         previousCell: previousCell, cell: pass.cells.map { $0 + row * h },
                                         dHidden: dHidden, dCell: dCell, dInputGates: pass.dInputGates + row * g,
                                         dHiddenGates: pass.dHiddenGates + row * g, dPreviousHidden: direct, dParameters: dKernel,
                                         batch: examples.count, units: units, hiddenSize: h))
            for r in padded {                                      // and passes ∂L/∂h⟨t⟩, ∂L/∂c⟨t⟩ to step t−1 as they are
                for j in units { direct[r * h + j] = held[r * h + j] }
                if let dCell { for j in units { dCell[r * h + j] = held[(examples.count + r) * h + j] } }
            }
            barrier?.wait()                                        // every part has written its units of δ⟨t⟩
            for r in 0..<examples.count {                          // ∂L/∂h⟨t−1⟩ = the direct part + δ_hid⟨t⟩ W_hh
                let (total, directPart) = (dHidden + r * h, direct + r * h)
                for j in units { total[j] = directPart[j] }
            }
            recurrentWeights.addProduct(rows: examples.count, pass.dHiddenGates + row * g, rowStride: g, columnStride: 1,
                                        into: dHidden + units.lowerBound, resultRowStride: h)
        }
        return Array(UnsafeBufferPointer(start: dKernel, count: max(kernelParameterCount, 1)))
    }
}

/// The rows of a part's `examples` (counted from its first) that are padding at step t: t ≥ L_b.
private func paddedRows(_ lengths: [Int]?, _ examples: Range<Int>, atStep t: Int) -> [Int] {
    guard let lengths else { return [] }
    return (0..<examples.count).filter { t >= lengths[examples.lowerBound + $0] }
}

extension Recurrence {
    /// One step as a cell: the next state from input `x` `[B, D]` and the current `state`.
    public func callAsFunction(_ x: Matrix<Scalar>, _ state: State) -> State {
        forward(x, batch: x.rows, initialState: state).finalState
    }

    /// One step of a cell without a cell state: the next hidden state a⟨t⟩ `[B, H]` from x⟨t⟩ and a⟨t−1⟩.
    public func callAsFunction(_ x: Matrix<Scalar>, _ hidden: Matrix<Scalar>) -> Matrix<Scalar> {
        self(x, State(hidden: hidden, cell: Kernel.usesCellState ? .zeros(hidden.rows, hidden.columns) : nil)).hidden
    }

    /// Runs over T step matrices `[B, D]` and returns the T hidden states, each `[B, H]`.
    public func forward(_ steps: [Matrix<Scalar>], initialState: Matrix<Scalar>? = nil) -> [Matrix<Scalar>] {
        guard let batch = steps.first?.rows else { return [] }
        let initial = initialState.map { State(hidden: $0, cell: Kernel.usesCellState ? .zeros($0.rows, $0.columns) : nil) }
        return forward(.timeMajor(steps), batch: batch, initialState: initial).outputs.steps(batch: batch)
    }
}
