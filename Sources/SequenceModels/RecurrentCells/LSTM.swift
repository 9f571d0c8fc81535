/// A long short-term memory layer: ``Recurrence`` with the ``LSTMKernel``.
///
/// Gate order **i, f, g, o**, as `torch.nn.LSTM`: `weightIH` is `[4H, D]` = [W_ii; W_if; W_ig; W_io],
/// `weightHH` is `[4H, H]`, and the biases are `[1, 4H]`.
public typealias LSTM<Scalar: MatrixScalar> = Recurrence<LSTMKernel<Scalar>>

/// The LSTM's step, in PyTorch's equations; the cache row holds the four activated gates.
///
///     i⟨t⟩ = σ(W_ii x⟨t⟩ + b_ii + W_hi h⟨t−1⟩ + b_hi)        input gate
///     f⟨t⟩ = σ(W_if x⟨t⟩ + b_if + W_hf h⟨t−1⟩ + b_hf)        forget gate
///     g⟨t⟩ = tanh(W_ig x⟨t⟩ + b_ig + W_hg h⟨t−1⟩ + b_hg)     candidate
///     o⟨t⟩ = σ(W_io x⟨t⟩ + b_io + W_ho h⟨t−1⟩ + b_ho)        output gate
///     c⟨t⟩ = f⟨t⟩ ⊙ c⟨t−1⟩ + i⟨t⟩ ⊙ g⟨t⟩                        the conveyor belt
///     h⟨t⟩ = o⟨t⟩ ⊙ tanh(c⟨t⟩)
public struct LSTMKernel<Scalar: MatrixScalar>: GateKernel {
    public static var gateCount: Int { 4 }
    public static var usesCellState: Bool { true }
    public static var cacheBlocks: Int { 4 }

    public init() {}

    @inline(__always)
    public func forward(inputGates: UnsafePointer<Scalar>, hiddenGates: UnsafePointer<Scalar>,
                        previousHidden: UnsafePointer<Scalar>, previousCell: UnsafePointer<Scalar>?,
                        cache: UnsafeMutablePointer<Scalar>, hidden: UnsafeMutablePointer<Scalar>,
                        cell: UnsafeMutablePointer<Scalar>?, batch: Int, hiddenSize h: Int) {
        let previousCell = previousCell!, cell = cell!
        for b in 0..<batch {
            let x = inputGates + b * 4 * h, r = hiddenGates + b * 4 * h, gates = cache + b * 4 * h, s = b * h
            for j in 0..<h {
                let i = sigmoid(x[j] + r[j]), f = sigmoid(x[h + j] + r[h + j])
                let g = Scalar.tanh(x[2 * h + j] + r[2 * h + j]), o = sigmoid(x[3 * h + j] + r[3 * h + j])
                gates[j] = i; gates[h + j] = f; gates[2 * h + j] = g; gates[3 * h + j] = o
                let c = f * previousCell[s + j] + i * g        // keep some of the old cell, add some new
                cell[s + j] = c
                hidden[s + j] = o * Scalar.tanh(c)
            }
        }
    }

    @inline(__always)
    public func backward(cache: UnsafePointer<Scalar>, previousHidden: UnsafePointer<Scalar>,
                         previousCell: UnsafePointer<Scalar>?, cell: UnsafePointer<Scalar>?,
                         dHidden: UnsafePointer<Scalar>, dCell: UnsafeMutablePointer<Scalar>?,
                         dInputGates: UnsafeMutablePointer<Scalar>, dHiddenGates: UnsafeMutablePointer<Scalar>,
                         dPreviousHidden: UnsafeMutablePointer<Scalar>, batch: Int, hiddenSize h: Int) {
        let previousCell = previousCell!, cell = cell!, dCell = dCell!
        for b in 0..<batch {
            let gates = cache + b * 4 * h, d = dInputGates + b * 4 * h, s = b * h
            for j in 0..<h {
                let i = gates[j], f = gates[h + j], g = gates[2 * h + j], o = gates[3 * h + j]
                let tanhC = Scalar.tanh(cell[s + j])
                let dh = dHidden[s + j]
                let dc = dCell[s + j] + dh * o * (1 - tanhC * tanhC)   // through h = o ⊙ tanh(c), plus from c⟨t+1⟩
                d[j] = dc * g * i * (1 - i)                             // ∂L/∂(pre-activation of i)
                d[h + j] = dc * previousCell[s + j] * f * (1 - f)      // of f
                d[2 * h + j] = dc * i * (1 - g * g)                     // of g
                d[3 * h + j] = dh * tanhC * o * (1 - o)                 // of o
                dCell[s + j] = dc * f                                   // the additive path back to c⟨t−1⟩
                dPreviousHidden[s + j] = 0                              // h⟨t−1⟩ reaches the loss only through W_hh
            }
        }
        dHiddenGates.update(from: dInputGates, count: batch * 4 * h)    // both products see the same pre-activations
    }
}
