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
    /// W_ih, W_hh, b_ih, b_hh, then the kernel's own (the LSTM's peepholes, when it has them).
    public var parameters: [Matrix<Scalar>] {
        get { weights.parameters + kernel.parameters }
        set {
            weights.parameters = Array(newValue[0..<4])
            kernel.parameters = Array(newValue[4...])
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
    public func forward(_ inputs: Matrix<Scalar>, batch: Int, initialState: State? = nil)
        -> (outputs: Matrix<Scalar>, finalState: State, cache: Cache)
    {
        let h = hiddenSize, g = Kernel.gateCount * h, steps = stepCount(inputs, batch: batch)
        require(inputs.columns == inputSize, "\(Kernel.displayName): input \(inputs.shape) needs \(inputSize) columns")
        let initial = initialState ?? zeroState(batch: batch)
        require(initial.hidden.shape == [batch, h], "\(Kernel.displayName): initial state \(initial.hidden.shape) must be [\(batch), \(h)]")
        require((initial.cell != nil) == Kernel.usesCellState, "\(Kernel.displayName): the initial state \(Kernel.usesCellState ? "needs" : "has no") cell state")
        // One-hot inputs (characters) pick columns of W_ih: a gather, not a product.
        let oneHot = inputs.oneHotColumns()
        let inputGates = oneHot.map { self.weights.inputGates(oneHotColumns: $0) }
            ?? matmul(inputs, self.weights.weightIH, transposeB: true).addingRow(self.weights.biasIH)
        var kernelCache = Matrix<Scalar>(rows: steps * batch, columns: Kernel.cacheBlocks * h)
        var outputs = Matrix<Scalar>(rows: steps * batch, columns: h)
        var cells = Matrix<Scalar>(rows: Kernel.usesCellState ? steps * batch : 0, columns: h)
        let (weights, kernel) = (self.weights, self.kernel)
        kernelCache.scalars.withUnsafeMutableBufferPointer { cachePointer in
        outputs.scalars.withUnsafeMutableBufferPointer { outputPointer in
        cells.scalars.withUnsafeMutableBufferPointer { cellPointer in
            let (cacheBase, outputBase, cellBase) = (cachePointer.baseAddress!, outputPointer.baseAddress!, cellPointer.baseAddress)
            RecurrenceParts(batch: batch, hiddenSize: h).run { part, barrier in
                let (examples, units) = (part.examples, part.units)
                // The part's columns of the hidden gates, a block of units per gate, and the rows of W_hh behind them.
                let blocks: [(weights: ProductOperand<Scalar>, column: Int)] = units == 0..<h
                    ? [(ProductOperand(weights.weightHH, transposed: true, expectedRows: steps * examples.count), 0)]
                    : (0..<Kernel.gateCount).map { gate in
                        let rows = gate * h + units.lowerBound ..< gate * h + units.upperBound
                        return (ProductOperand(weights.weightHH.rows(rows), transposed: true, expectedRows: steps * examples.count),
                                rows.lowerBound)
                    }
                var hiddenGates = [Scalar](repeating: 0, count: examples.count * g)
                inputGates.scalars.withUnsafeBufferPointer { inputGates in
                weights.biasHH.scalars.withUnsafeBufferPointer { bhh in
                initial.hidden.scalars.withUnsafeBufferPointer { h0 in
                (initial.cell ?? initial.hidden).scalars.withUnsafeBufferPointer { c0 in
                hiddenGates.withUnsafeMutableBufferPointer { hiddenGates in
                    for t in 0..<steps {
                        if t > 0 { barrier?.wait() }                   // every part has written its units of h⟨t−1⟩
                        let row = t * batch + examples.lowerBound      // this part's first row at step t
                        let previousHidden = t == 0 ? h0.baseAddress! + examples.lowerBound * h
                                                    : UnsafePointer(outputBase + (row - batch) * h)
                        let previousCell = cellBase.map { t == 0 ? c0.baseAddress! + examples.lowerBound * h
                                                                 : UnsafePointer($0 + (row - batch) * h) }
                        for block in blocks {                          // b_hh, then + h⟨t−1⟩ W_hhᵀ
                            for r in 0..<examples.count {
                                for j in block.column ..< block.column + block.weights.columns { hiddenGates[r * g + j] = bhh[j] }
                            }
                            block.weights.addProduct(rows: examples.count, previousHidden, rowStride: h, columnStride: 1,
                                                     into: hiddenGates.baseAddress! + block.column, resultRowStride: g)
                        }
                        kernel.forward(inputGates: inputGates.baseAddress! + row * g,
                                       hiddenGates: UnsafePointer(hiddenGates.baseAddress!),
                                       previousHidden: previousHidden, previousCell: previousCell,
                                       cache: cacheBase + row * Kernel.cacheBlocks * h, hidden: outputBase + row * h,
                                       cell: cellBase.map { $0 + row * h }, batch: examples.count, units: units, hiddenSize: h)
                    }
                }}}}}
            }
        }}}
        let last = (steps - 1) * batch ..< steps * batch
        let final = steps == 0 ? initial
            : State(hidden: outputs.rows(last), cell: Kernel.usesCellState ? cells.rows(last) : nil)
        return (outputs, final, Cache(inputs: inputs, oneHotColumns: oneHot, kernelCache: kernelCache, outputs: outputs,
                                      cells: Kernel.usesCellState ? cells : nil, initial: initial, batch: batch))
    }

    public func backward(_ outputGradient: Matrix<Scalar>, finalStateGradient: State? = nil, cache: Cache)
        -> (inputGradient: Matrix<Scalar>, parameterGradients: [Matrix<Scalar>], initialStateGradient: State)
    {
        backward(outputGradient, finalStateGradient: finalStateGradient, cache: cache, computesInputGradient: true)
    }

    /// ``backward(_:finalStateGradient:cache:)``, skipping ∂L/∂inputs when `computesInputGradient`
    /// is false (then it is an empty `[0, D]` matrix): the inputs of a first layer are data, often
    /// one-hot characters, whose gradient nobody reads. PyTorch skips it too, for inputs that do
    /// not require a gradient. It saves a product of O(T·B·G·H·D).
    @_specialize(where Kernel == LSTMKernel<Float>)
    @_specialize(where Kernel == GRUKernel<Float>)
    @_specialize(where Kernel == ElmanKernel<Float>)
    public func backward(_ outputGradient: Matrix<Scalar>, finalStateGradient: State? = nil, cache: Cache,
                         computesInputGradient: Bool)
        -> (inputGradient: Matrix<Scalar>, parameterGradients: [Matrix<Scalar>], initialStateGradient: State)
    {
        let h = hiddenSize, g = Kernel.gateCount * h, batch = cache.batch, steps = cache.outputs.rows / batch
        require(outputGradient.shape == cache.outputs.shape,
                "\(Kernel.displayName) backward: output gradient \(outputGradient.shape) must match the outputs \(cache.outputs.shape)")
        var dInputGates = Matrix<Scalar>(rows: steps * batch, columns: g)
        // For the LSTM and the vanilla RNN both products see the same pre-activations: one buffer serves.
        var dHiddenGates = Matrix<Scalar>(rows: Kernel.hiddenGateGradientsDiffer ? steps * batch : 0, columns: g)
        // dHidden carries ∂L/∂h⟨t⟩ back from step t+1 to step t; dCell does the same for c⟨t⟩.
        var dHidden = finalStateGradient?.hidden ?? .zeros(batch, h)
        var dCell = Kernel.usesCellState ? (finalStateGradient?.cell ?? .zeros(batch, h)) : Matrix<Scalar>.zeros(0, h)
        let (weights, kernel) = (self.weights, self.kernel)
        let kernelGradientParts = PartResults<[Scalar]>()
        dInputGates.scalars.withUnsafeMutableBufferPointer { dIn in
        dHiddenGates.scalars.withUnsafeMutableBufferPointer { dHid in
        dHidden.scalars.withUnsafeMutableBufferPointer { dh in
        dCell.scalars.withUnsafeMutableBufferPointer { dc in
            let (dhBase, dcBase) = (dh.baseAddress!, dc.baseAddress)
            let dInBase = dIn.baseAddress!, dHidBase = Kernel.hiddenGateGradientsDiffer ? dHid.baseAddress! : dInBase
            RecurrenceParts(batch: batch, hiddenSize: h).run { part, barrier in
                let (examples, units) = (part.examples, part.units)
                // W_hh, or the columns of it that produce this part's units of ∂L/∂h⟨t−1⟩.
                let recurrentWeights = ProductOperand(units == 0..<h ? weights.weightHH : weights.weightHH.columns(units),
                                                      transposed: false, expectedRows: steps * examples.count)
                var direct = [Scalar](repeating: 0, count: examples.count * h)
                let kernelParameterCount = kernel.parameters.reduce(0) { $0 + $1.scalars.count }
                var dKernel = [Scalar](repeating: 0, count: max(kernelParameterCount, 1))   // never empty, so it has an address
                defer { kernelGradientParts.set(dKernel, forPart: part.index) }
                outputGradient.scalars.withUnsafeBufferPointer { dOut in
                cache.kernelCache.scalars.withUnsafeBufferPointer { kernelCache in
                cache.outputs.scalars.withUnsafeBufferPointer { outputs in
                (cache.cells ?? cache.outputs).scalars.withUnsafeBufferPointer { cells in
                cache.initial.hidden.scalars.withUnsafeBufferPointer { h0 in
                (cache.initial.cell ?? cache.initial.hidden).scalars.withUnsafeBufferPointer { c0 in
                direct.withUnsafeMutableBufferPointer { direct in
                dKernel.withUnsafeMutableBufferPointer { dKernel in
                    let dhPart = dhBase + examples.lowerBound * h
                    for t in stride(from: steps - 1, through: 0, by: -1) {
                        let row = t * batch + examples.lowerBound
                        for r in 0..<examples.count {                  // the loss at step t, plus what flows back
                            for j in units { dhPart[r * h + j] += dOut[(row + r) * h + j] }
                        }
                        let previousHidden = t == 0 ? h0.baseAddress! + examples.lowerBound * h : outputs.baseAddress! + (row - batch) * h
                        let previousCell = Kernel.usesCellState
                            ? (t == 0 ? c0.baseAddress! + examples.lowerBound * h : cells.baseAddress! + (row - batch) * h) : nil
                        kernel.backward(cache: kernelCache.baseAddress! + row * Kernel.cacheBlocks * h,
                                        previousHidden: previousHidden, previousCell: previousCell,
                                        cell: Kernel.usesCellState ? cells.baseAddress! + row * h : nil,
                                        dHidden: UnsafePointer(dhPart), dCell: dcBase.map { $0 + examples.lowerBound * h },
                                        dInputGates: dInBase + row * g, dHiddenGates: dHidBase + row * g,
                                        dPreviousHidden: direct.baseAddress!, dParameters: dKernel.baseAddress!,
                                        batch: examples.count, units: units, hiddenSize: h)
                        barrier?.wait()                                // every part has written its units of δ⟨t⟩
                        // ∂L/∂h⟨t−1⟩ = the direct part + δ_hid⟨t⟩ W_hh
                        for r in 0..<examples.count {
                            for j in units { dhPart[r * h + j] = direct[r * h + j] }
                        }
                        recurrentWeights.addProduct(rows: examples.count, dHidBase + row * g, rowStride: g, columnStride: 1,
                                                    into: dhPart + units.lowerBound, resultRowStride: h)
                    }
                }}}}}}}}
            }
        }}}}
        var previousStates = Matrix<Scalar>(rows: steps * batch, columns: h)    // h⟨t−1⟩ for every row
        previousStates.scalars.replaceSubrange(0..<batch * h, with: cache.initial.hidden.scalars)
        previousStates.scalars.replaceSubrange(batch * h ..< steps * batch * h,
                                               with: cache.outputs.scalars[0 ..< (steps - 1) * batch * h])
        var gradients = RecurrentWeights(zerosLike: weights)
        if let oneHot = cache.oneHotColumns {                                                // Σ_t δ_inᵀ x⟨t⟩
            gradients.weightIH = RecurrentWeights.inputWeightGradient(dInputGates, oneHotColumns: oneHot, inputSize: inputSize)
        } else {
            gradients.weightIH.addProduct(dInputGates, cache.inputs, transposeA: true)
        }
        let hiddenGates = Kernel.hiddenGateGradientsDiffer ? dHiddenGates : dInputGates
        gradients.weightHH.addProduct(hiddenGates, previousStates, transposeA: true)       // Σ_t δ_hidᵀ h⟨t−1⟩
        gradients.biasIH = dInputGates.columnSums()
        gradients.biasHH = Kernel.hiddenGateGradientsDiffer ? hiddenGates.columnSums() : gradients.biasIH
        let inputGradient = computesInputGradient ? matmul(dInputGates, weights.weightIH)    // [T·B, G·H] · [G·H, D]
                                                  : .zeros(0, inputSize)
        // The kernel's own gradients: summed over the batch parts, then cut into its matrices' shapes.
        var kernelGradients: [Matrix<Scalar>] = []
        var flat = kernelGradientParts.ordered.reduce(into: [Scalar]()) { total, part in
            total = total.isEmpty ? part : zip(total, part).map(+)
        }[...]
        for parameter in kernel.parameters {
            kernelGradients.append(Matrix(rows: parameter.rows, columns: parameter.columns,   // (drops the padding entry)
                                          scalars: Array(flat.prefix(parameter.scalars.count))))
            flat = flat.dropFirst(parameter.scalars.count)
        }
        return (inputGradient, gradients.parameters + kernelGradients,
                State(hidden: dHidden, cell: Kernel.usesCellState ? dCell : nil))
    }
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
