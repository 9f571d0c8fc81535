/// A long short-term memory layer: ``Recurrence`` with the ``LSTMKernel``.
///
/// Gate order **i, f, g, o**, as `torch.nn.LSTM`: `weightIH` is `[4H, D]` = [W_ii; W_if; W_ig; W_io],
/// `weightHH` is `[4H, H]`, and the biases are `[1, 4H]`.
public typealias LSTM<Scalar: MatrixScalar> = Recurrence<LSTMKernel<Scalar>>

/// The LSTM's step, in PyTorch's equations; the cache row holds the four activated gates.
///
///     i⟨t⟩ = σ(W_ii x⟨t⟩ + b_ii + W_hi h⟨t−1⟩ + b_hi [+ w_ci ⊙ c⟨t−1⟩])   input gate
///     f⟨t⟩ = σ(W_if x⟨t⟩ + b_if + W_hf h⟨t−1⟩ + b_hf [+ w_cf ⊙ c⟨t−1⟩])   forget gate
///     g⟨t⟩ = tanh(W_ig x⟨t⟩ + b_ig + W_hg h⟨t−1⟩ + b_hg)                 candidate
///     c⟨t⟩ = f⟨t⟩ ⊙ c⟨t−1⟩ + i⟨t⟩ ⊙ g⟨t⟩                                    the conveyor belt
///     o⟨t⟩ = σ(W_io x⟨t⟩ + b_io + W_ho h⟨t−1⟩ + b_ho [+ w_co ⊙ c⟨t⟩])      output gate
///     h⟨t⟩ = o⟨t⟩ ⊙ tanh(c⟨t⟩)
///
/// The bracketed terms are the optional peephole connections (Gers and Schmidhuber, 2000): the
/// gates also look at the cell state, through one weight per unit. PyTorch has no peepholes.
public struct LSTMKernel<Scalar: MatrixScalar>: GateKernel {
    public static var displayName: String { "LSTM" }
    public static var gateCount: Int { 4 }
    public static var usesCellState: Bool { true }
    public static var hiddenGateGradientsDiffer: Bool { false }
    public static var cacheBlocks: Int { 4 }

    /// The peephole weights `[3, H]`, rows w_ci, w_cf, w_co; nil for PyTorch's LSTM without them.
    public var peepholes: Matrix<Scalar>?

    public init() {}

    /// An LSTM step with peephole connections, starting from the given weights `[3, H]`.
    public init(peepholes: Matrix<Scalar>) {
        require(peepholes.rows == 3, "LSTM peepholes must be [3, H] (w_ci, w_cf, w_co), got \(peepholes.shape)")
        self.peepholes = peepholes
    }

    public var parameters: [Matrix<Scalar>] {
        get { peepholes.map { [$0] } ?? [] }
        set {
            require(newValue.count == (peepholes == nil ? 0 : 1), "LSTMKernel: \(newValue.count) parameters for \(peepholes == nil ? 0 : 1)")
            if !newValue.isEmpty { peepholes = newValue[0] }
        }
    }

    @inline(__always)
    public func forward(inputGates: UnsafePointer<Scalar>, hiddenGates: UnsafePointer<Scalar>,
                        previousHidden: UnsafePointer<Scalar>, previousCell: UnsafePointer<Scalar>?,
                        cache: UnsafeMutablePointer<Scalar>, hidden: UnsafeMutablePointer<Scalar>,
                        cell: UnsafeMutablePointer<Scalar>?, batch: Int, hiddenSize h: Int) {
        if let peepholes {
            peepholes.scalars.withUnsafeBufferPointer { w in
                forward(Peepholes(weights: w.baseAddress!, h: h), inputGates, hiddenGates, previousCell!, cache, hidden, cell!, batch, h)
            }
        } else {
            forward(NoPeepholes(), inputGates, hiddenGates, previousCell!, cache, hidden, cell!, batch, h)
        }
    }

    @inline(__always)
    func forward<P: PeepholeTerms>(_ peep: P, _ x: UnsafePointer<Scalar>, _ r: UnsafePointer<Scalar>,
                                   _ previousCell: UnsafePointer<Scalar>, _ cache: UnsafeMutablePointer<Scalar>,
                                   _ hidden: UnsafeMutablePointer<Scalar>, _ cell: UnsafeMutablePointer<Scalar>,
                                   _ batch: Int, _ h: Int) where P.Scalar == Scalar {
        for b in 0..<batch {
            let x = x + b * 4 * h, r = r + b * 4 * h, gates = cache + b * 4 * h, s = b * h
            // One pass per gate over the H units, so that each pass vectorises across units.
            for j in 0..<h { gates[j] = Scalar.gateSigmoid(x[j] + r[j] + peep.input(j) * previousCell[s + j]) }
            for j in 0..<h { gates[h + j] = Scalar.gateSigmoid(x[h + j] + r[h + j] + peep.forget(j) * previousCell[s + j]) }
            for j in 0..<h { gates[2 * h + j] = Scalar.gateTanh(x[2 * h + j] + r[2 * h + j]) }
            for j in 0..<h {                                      // keep some of the old cell, add some new
                cell[s + j] = gates[h + j] * previousCell[s + j] + gates[j] * gates[2 * h + j]
            }
            for j in 0..<h {
                let o = Scalar.gateSigmoid(x[3 * h + j] + r[3 * h + j] + peep.output(j) * cell[s + j])
                gates[3 * h + j] = o
                hidden[s + j] = o * Scalar.gateTanh(cell[s + j])
            }
        }
    }

    @inline(__always)
    public func backward(cache: UnsafePointer<Scalar>, previousHidden: UnsafePointer<Scalar>,
                         previousCell: UnsafePointer<Scalar>?, cell: UnsafePointer<Scalar>?,
                         dHidden: UnsafePointer<Scalar>, dCell: UnsafeMutablePointer<Scalar>?,
                         dInputGates: UnsafeMutablePointer<Scalar>, dHiddenGates: UnsafeMutablePointer<Scalar>,
                         dPreviousHidden: UnsafeMutablePointer<Scalar>, dParameters: UnsafeMutablePointer<Scalar>,
                         batch: Int, hiddenSize h: Int) {
        if let peepholes {
            peepholes.scalars.withUnsafeBufferPointer { w in
                backward(Peepholes(weights: w.baseAddress!, h: h), cache, previousCell!, cell!, dHidden, dCell!,
                         dInputGates, dParameters, batch, h)
            }
        } else {
            backward(NoPeepholes(), cache, previousCell!, cell!, dHidden, dCell!, dInputGates, dParameters, batch, h)
        }
        dPreviousHidden.update(repeating: 0, count: batch * h)         // h⟨t−1⟩ reaches the loss only through W_hh
    }

    @inline(__always)
    func backward<P: PeepholeTerms>(_ peep: P, _ cache: UnsafePointer<Scalar>, _ previousCell: UnsafePointer<Scalar>,
                                    _ cell: UnsafePointer<Scalar>, _ dHidden: UnsafePointer<Scalar>,
                                    _ dCell: UnsafeMutablePointer<Scalar>, _ dGates: UnsafeMutablePointer<Scalar>,
                                    _ dPeepholes: UnsafeMutablePointer<Scalar>, _ batch: Int, _ h: Int)
    where P.Scalar == Scalar {
        for b in 0..<batch {
            let gates = cache + b * 4 * h, d = dGates + b * 4 * h, s = b * h
            for j in 0..<h {
                let i = gates[j], f = gates[h + j], g = gates[2 * h + j], o = gates[3 * h + j]
                let c = cell[s + j], cPrevious = previousCell[s + j]
                let tanhC = Scalar.gateTanh(c)
                let dh = dHidden[s + j]
                let dOutput = dh * tanhC * o * (1 - o)                         // ∂L/∂(pre-activation of o)
                // ∂L/∂c⟨t⟩: through h = o ⊙ tanh(c), from c⟨t+1⟩, and through the output peephole.
                let dc = dCell[s + j] + dh * o * (1 - tanhC * tanhC) + dOutput * peep.output(j)
                let dInput = dc * g * i * (1 - i)
                let dForget = dc * cPrevious * f * (1 - f)
                d[j] = dInput; d[h + j] = dForget
                d[2 * h + j] = dc * i * (1 - g * g)
                d[3 * h + j] = dOutput
                // The additive path back to c⟨t−1⟩, plus the input and forget peepholes.
                dCell[s + j] = dc * f + dInput * peep.input(j) + dForget * peep.forget(j)
                peep.accumulate(into: dPeepholes, j, input: dInput * cPrevious, forget: dForget * cPrevious, output: dOutput * c)
            }
        }
    }
}

/// The peephole terms of the LSTM's loops: real weights, or zeros that the compiler removes.
protocol PeepholeTerms {
    associatedtype Scalar: MatrixScalar
    func input(_ j: Int) -> Scalar
    func forget(_ j: Int) -> Scalar
    func output(_ j: Int) -> Scalar
    func accumulate(into gradients: UnsafeMutablePointer<Scalar>, _ j: Int, input: Scalar, forget: Scalar, output: Scalar)
}

struct NoPeepholes<Scalar: MatrixScalar>: PeepholeTerms {
    @inline(__always) func input(_ j: Int) -> Scalar { 0 }
    @inline(__always) func forget(_ j: Int) -> Scalar { 0 }
    @inline(__always) func output(_ j: Int) -> Scalar { 0 }
    @inline(__always) func accumulate(into gradients: UnsafeMutablePointer<Scalar>, _ j: Int, input: Scalar, forget: Scalar, output: Scalar) {}
}

struct Peepholes<Scalar: MatrixScalar>: PeepholeTerms {
    let weights: UnsafePointer<Scalar>   // [3, H]
    let h: Int
    @inline(__always) func input(_ j: Int) -> Scalar { weights[j] }
    @inline(__always) func forget(_ j: Int) -> Scalar { weights[h + j] }
    @inline(__always) func output(_ j: Int) -> Scalar { weights[2 * h + j] }
    @inline(__always) func accumulate(into gradients: UnsafeMutablePointer<Scalar>, _ j: Int, input: Scalar, forget: Scalar, output: Scalar) {
        gradients[j] += input
        gradients[h + j] += forget
        gradients[2 * h + j] += output
    }
}
