/// The hidden state h and the cell state c an LSTM carries from step to step, each `[B, H]`.
public struct LSTMState<Scalar: MatrixScalar>: Sendable, Equatable {
    public var hidden: Matrix<Scalar>
    public var cell: Matrix<Scalar>

    public init(hidden: Matrix<Scalar>, cell: Matrix<Scalar>) {
        require(hidden.shape == cell.shape, "LSTM state: hidden \(hidden.shape) and cell \(cell.shape) differ")
        self.hidden = hidden
        self.cell = cell
    }
}

/// A long short-term memory layer over a whole sequence, with backpropagation through time.
///
/// PyTorch's equations and layout (`torch.nn.LSTM`), gate order **i, f, g, o**:
///
///     i⟨t⟩ = σ(W_ii x⟨t⟩ + b_ii + W_hi h⟨t−1⟩ + b_hi)        input gate
///     f⟨t⟩ = σ(W_if x⟨t⟩ + b_if + W_hf h⟨t−1⟩ + b_hf)        forget gate
///     g⟨t⟩ = tanh(W_ig x⟨t⟩ + b_ig + W_hg h⟨t−1⟩ + b_hg)     candidate
///     o⟨t⟩ = σ(W_io x⟨t⟩ + b_io + W_ho h⟨t−1⟩ + b_ho)        output gate
///     c⟨t⟩ = f⟨t⟩ ⊙ c⟨t−1⟩ + i⟨t⟩ ⊙ g⟨t⟩                        the conveyor belt
///     h⟨t⟩ = o⟨t⟩ ⊙ tanh(c⟨t⟩)
///
/// `weights.weightIH` is `[4H, D]` = [W_ii; W_if; W_ig; W_io], `weightHH` is `[4H, H]`.
/// Inputs are time-major `[T·B, D]`, outputs `[T·B, H]` (see ``RecurrentLayer``).
public struct LSTM<Scalar: MatrixScalar>: RecurrentLayer, Sendable {
    public var weights: RecurrentWeights<Scalar>

    public init(inputSize: Int, hiddenSize: Int, generator: inout SeededGenerator) {
        weights = RecurrentWeights(gates: 4, inputSize: inputSize, hiddenSize: hiddenSize, generator: &generator)
    }

    public init(weights: RecurrentWeights<Scalar>) {
        require(weights.weightHH.rows == 4 * weights.hiddenSize, "LSTM needs 4 gate blocks, got weight_hh \(weights.weightHH.shape)")
        self.weights = weights
    }

    public var hiddenSize: Int { weights.hiddenSize }

    /// Everything the backward pass needs: inputs, activated gates, cell states, outputs.
    public struct Cache: Sendable {
        let inputs: Matrix<Scalar>        // [T·B, D]
        let gates: Matrix<Scalar>         // [T·B, 4H]: i, f, g, o after their nonlinearities
        let cells: Matrix<Scalar>         // [T·B, H]: c⟨t⟩
        let outputs: Matrix<Scalar>       // [T·B, H]: h⟨t⟩
        let initial: LSTMState<Scalar>
        let batch: Int
        /// The activated gates of every step, `[T·B, 4H]`, for plotting them.
        public var gateActivations: Matrix<Scalar> { gates }
        /// c⟨t⟩ for every step, `[T·B, H]`.
        public var cellStates: Matrix<Scalar> { cells }
    }

    public func zeroState(batch: Int) -> LSTMState<Scalar> {
        LSTMState(hidden: .zeros(batch, hiddenSize), cell: .zeros(batch, hiddenSize))
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ inputs: Matrix<Scalar>, batch: Int, initialState: LSTMState<Scalar>? = nil)
        -> (outputs: Matrix<Scalar>, finalState: LSTMState<Scalar>, cache: Cache)
    {
        let h = hiddenSize, steps = stepCount(inputs, batch: batch)
        let initial = initialState ?? zeroState(batch: batch)
        require(initial.hidden.shape == [batch, h], "LSTM: initial state \(initial.hidden.shape) must be [\(batch), \(h)]")
        // All input projections at once: [T·B, D] · [4H, D]ᵀ, plus both biases.
        var gates = matmul(inputs, weights.weightIH, transposeB: true).addingRow(weights.biasIH + weights.biasHH)
        var cells = Matrix<Scalar>(rows: steps * batch, columns: h)
        var outputs = Matrix<Scalar>(rows: steps * batch, columns: h)
        let whh = weights.weightHH
        gates.scalars.withUnsafeMutableBufferPointer { gatePointer in
        cells.scalars.withUnsafeMutableBufferPointer { cellPointer in
        outputs.scalars.withUnsafeMutableBufferPointer { outputPointer in
            let (gateBase, cellBase, outputBase) = (gatePointer.baseAddress!, cellPointer.baseAddress!, outputPointer.baseAddress!)
            forEachBatchPart(batch) { part in
                whh.scalars.withUnsafeBufferPointer { whh in
                initial.hidden.scalars.withUnsafeBufferPointer { h0 in
                initial.cell.scalars.withUnsafeBufferPointer { c0 in
                    for t in 0..<steps {
                        let row = t * batch + part.lowerBound          // first row of this part at step t
                        let stepGates = gateBase + row * 4 * h
                        let previousHidden = t == 0 ? h0.baseAddress! + part.lowerBound * h : UnsafePointer(outputBase + (row - batch) * h)
                        let previousCell = t == 0 ? c0.baseAddress! + part.lowerBound * h : UnsafePointer(cellBase + (row - batch) * h)
                        addStepProduct(previousHidden, whh.baseAddress!, into: stepGates, m: part.count, n: 4 * h, k: h, transposeB: true)
                        Self.stepForward(gates: stepGates, previousCell: previousCell, cell: cellBase + row * h,
                                         hidden: outputBase + row * h, batch: part.count, hiddenSize: h)
                    }
                }}}
            }
        }}}
        let last = (steps - 1) * batch ..< steps * batch
        let final = steps == 0 ? initial : LSTMState(hidden: outputs.rows(last), cell: cells.rows(last))
        return (outputs, final, Cache(inputs: inputs, gates: gates, cells: cells, outputs: outputs,
                                      initial: initial, batch: batch))
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ outputGradient: Matrix<Scalar>, finalStateGradient: LSTMState<Scalar>? = nil, cache: Cache)
        -> (inputGradient: Matrix<Scalar>, weightGradients: RecurrentWeights<Scalar>, initialStateGradient: LSTMState<Scalar>)
    {
        let h = hiddenSize, batch = cache.batch, steps = cache.outputs.rows / max(batch, 1)
        require(outputGradient.shape == cache.outputs.shape,
                "LSTM backward: output gradient \(outputGradient.shape) must match the outputs \(cache.outputs.shape)")
        var gateGradients = Matrix<Scalar>(rows: steps * batch, columns: 4 * h)
        // dHidden carries ∂L/∂h⟨t⟩ from step t+1 back to step t; dCell does the same for c⟨t⟩.
        var dHidden = finalStateGradient?.hidden ?? .zeros(batch, h)
        var dCell = finalStateGradient?.cell ?? .zeros(batch, h)
        let whh = weights.weightHH
        gateGradients.scalars.withUnsafeMutableBufferPointer { dGates in
        dHidden.scalars.withUnsafeMutableBufferPointer { dh in
        dCell.scalars.withUnsafeMutableBufferPointer { dc in
            let (dGateBase, dhBase, dcBase) = (dGates.baseAddress!, dh.baseAddress!, dc.baseAddress!)
            forEachBatchPart(batch) { part in
                outputGradient.scalars.withUnsafeBufferPointer { dOut in
                cache.gates.scalars.withUnsafeBufferPointer { gates in
                cache.cells.scalars.withUnsafeBufferPointer { cells in
                cache.initial.cell.scalars.withUnsafeBufferPointer { c0 in
                whh.scalars.withUnsafeBufferPointer { whh in
                    let dhPart = dhBase + part.lowerBound * h, dcPart = dcBase + part.lowerBound * h
                    let count = part.count * h
                    for t in stride(from: steps - 1, through: 0, by: -1) {
                        let row = t * batch + part.lowerBound
                        for j in 0..<count { dhPart[j] += dOut[row * h + j] }   // the loss at step t, plus what flows back
                        let previousCell = t == 0 ? c0.baseAddress! + part.lowerBound * h : cells.baseAddress! + (row - batch) * h
                        let stepGateGradients = dGateBase + row * 4 * h
                        Self.stepBackward(gates: gates.baseAddress! + row * 4 * h, previousCell: previousCell,
                                          cell: cells.baseAddress! + row * h, dHidden: UnsafePointer(dhPart),
                                          dCell: dcPart, gateGradients: stepGateGradients,
                                          batch: part.count, hiddenSize: h)
                        // ∂L/∂h⟨t−1⟩ = δ⟨t⟩ W_hh: the only path from step t back to step t−1 besides c.
                        for j in 0..<count { dhPart[j] = 0 }
                        addStepProduct(UnsafePointer(stepGateGradients), whh.baseAddress!, into: dhPart,
                                       m: part.count, n: h, k: 4 * h, transposeB: false)
                    }
                }}}}}
            }
        }}}
        let previousStates = shiftedOneStep(cache.outputs, initial: cache.initial.hidden)
        let grads = weights.gradients(inputGates: gateGradients, inputs: cache.inputs,
                                      hiddenGates: gateGradients, previousStates: previousStates)
        let inputGradient = matmul(gateGradients, weights.weightIH)   // [T·B, 4H] · [4H, D]
        return (inputGradient, grads, LSTMState(hidden: dHidden, cell: dCell))
    }

    /// Turns one step's pre-activations `[B, 4H]` into gates in place, then writes c⟨t⟩ and h⟨t⟩.
    @inline(__always)
    static func stepForward(gates: UnsafeMutablePointer<Scalar>, previousCell: UnsafePointer<Scalar>,
                            cell: UnsafeMutablePointer<Scalar>, hidden: UnsafeMutablePointer<Scalar>,
                            batch: Int, hiddenSize h: Int) {
        for b in 0..<batch {
            let row = gates + b * 4 * h, state = b * h
            for j in 0..<h {
                let i = sigmoid(row[j]), f = sigmoid(row[h + j])
                let g = Scalar.tanh(row[2 * h + j]), o = sigmoid(row[3 * h + j])
                row[j] = i; row[h + j] = f; row[2 * h + j] = g; row[3 * h + j] = o
                let c = f * previousCell[state + j] + i * g     // keep some of the old cell, add some new
                cell[state + j] = c
                hidden[state + j] = o * Scalar.tanh(c)
            }
        }
    }

    /// One step of the hand-derived backward pass.
    ///
    /// In: the step's gates, c⟨t−1⟩, c⟨t⟩, ∂L/∂h⟨t⟩ and ∂L/∂c⟨t⟩ from later steps (in `dCell`).
    /// Out: ∂L/∂(pre-activations) `[B, 4H]` in `gateGradients`, and ∂L/∂c⟨t−1⟩ in `dCell`.
    @inline(__always)
    static func stepBackward(gates: UnsafePointer<Scalar>, previousCell: UnsafePointer<Scalar>,
                             cell: UnsafePointer<Scalar>, dHidden: UnsafePointer<Scalar>,
                             dCell: UnsafeMutablePointer<Scalar>, gateGradients: UnsafeMutablePointer<Scalar>,
                             batch: Int, hiddenSize h: Int) {
        for b in 0..<batch {
            let row = gates + b * 4 * h, dRow = gateGradients + b * 4 * h, state = b * h
            for j in 0..<h {
                let i = row[j], f = row[h + j], g = row[2 * h + j], o = row[3 * h + j]
                let tanhC = Scalar.tanh(cell[state + j])
                let dh = dHidden[state + j]
                let dc = dCell[state + j] + dh * o * (1 - tanhC * tanhC)   // through h = o ⊙ tanh(c), plus from c⟨t+1⟩
                dRow[j] = dc * g * i * (1 - i)                             // ∂/∂ pre-activation of i
                dRow[h + j] = dc * previousCell[state + j] * f * (1 - f)  // of f
                dRow[2 * h + j] = dc * i * (1 - g * g)                     // of g
                dRow[3 * h + j] = dh * tanhC * o * (1 - o)                 // of o
                dCell[state + j] = dc * f                                  // the additive path back to c⟨t−1⟩
            }
        }
    }
}

/// The number of steps in a time-major sequence, checking that its rows divide into batches.
func stepCount<Scalar>(_ inputs: Matrix<Scalar>, batch: Int) -> Int {
    require(batch > 0 && inputs.rows % batch == 0,
            "a time-major sequence of shape \(inputs.shape) does not split into batches of \(batch)")
    return inputs.rows / batch
}

/// h⟨t−1⟩ for every row of a time-major sequence: the initial state, then the outputs without the last step.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func shiftedOneStep<Scalar>(_ outputs: Matrix<Scalar>, initial: Matrix<Scalar>) -> Matrix<Scalar> {
    var shifted = Matrix<Scalar>(rows: outputs.rows, columns: outputs.columns)
    let count = initial.scalars.count
    shifted.scalars.replaceSubrange(0..<count, with: initial.scalars)
    shifted.scalars.replaceSubrange(count..<outputs.scalars.count, with: outputs.scalars[0..<(outputs.scalars.count - count)])
    return shifted
}
