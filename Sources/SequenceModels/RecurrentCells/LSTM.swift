/// A long short-term memory layer: ``Recurrence`` with the ``LSTMKernel``.
///
/// Gate order **i, f, g, o**, as `torch.nn.LSTM`: `weightIH` is `[4H, D]` = [W_ii; W_if; W_ig; W_io],
/// `weightHH` is `[4H, H]`, and the biases are `[1, 4H]`.
public typealias LSTM<Scalar: MatrixScalar> = Recurrence<LSTMKernel<Scalar>>

extension LSTMKernel {
    /// One LSTM step written as lesson 07 writes it, with matrix operations: what the fast kernel below
    /// computes, and the reference its tests compare it with. Batch as rows: x `[B, D]`, h and c `[B, H]`.
    /// (No peepholes: those are the kernel's own.)
    public static func referenceStep(_ x: Matrix<Scalar>, h: Matrix<Scalar>, c: Matrix<Scalar>,
                                     weights w: RecurrentWeights<Scalar>) -> (h: Matrix<Scalar>, c: Matrix<Scalar>) {
        let H = h.columns
        let z = (matmul(x, w.weightIH, transposeB: true) + matmul(h, w.weightHH, transposeB: true)).addingRow(w.biasIH + w.biasHH)
        let inputGate = sigmoid(z.columns(0..<H)), forgetGate = sigmoid(z.columns(H..<2 * H))
        let candidate = tanh(z.columns(2 * H..<3 * H)), outputGate = sigmoid(z.columns(3 * H..<4 * H))
        let cellState = forgetGate * c + inputGate * candidate          // the conveyor belt
        return (h: outputGate * tanh(cellState), c: cellState)
    }
}

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

    /// `peepholes`, when the kernel has them; setting reads them by that name.
    public var parameters: Parameters<Scalar> {
        get { peepholes.map { ["peepholes": $0] } ?? [:] }
        set { if peepholes != nil { peepholes = newValue["peepholes"] } }
    }

    @inline(__always)
    public func forward(_ step: ForwardStep<Scalar>) {
        if let peepholes {
            peepholes.scalars.withUnsafeBufferPointer { w in forward(Peepholes(weights: w.baseAddress!, h: step.hiddenSize), step) }
        } else {
            forward(NoPeepholes(), step)
        }
    }

    @inline(__always)
    func forward<P: PeepholeTerms>(_ peep: P, _ step: ForwardStep<Scalar>) where P.Scalar == Scalar {
        let (h, units) = (step.hiddenSize, step.units)
        for b in 0..<step.batch {
            let x = step.inputGates + b * 4 * h, r = step.hiddenGates + b * 4 * h, gates = step.cache + b * 4 * h
            // The four gate blocks of this example's row, each H wide, in PyTorch's order i, f, g, o.
            let (xI, xF, xG, xO) = (x, x + h, x + 2 * h, x + 3 * h)
            let (rI, rF, rG, rO) = (r, r + h, r + 2 * h, r + 3 * h)
            let (inputGate, forgetGate, candidate, outputGate) = (gates, gates + h, gates + 2 * h, gates + 3 * h)
            let (cPrevious, c, hOut) = (step.previousCell! + b * h, step.cell! + b * h, step.hidden + b * h)
            // One pass per gate over the H units, so that each pass vectorises across units.
            for j in units { inputGate[j] = Scalar.gateSigmoid(xI[j] + rI[j] + peep.input[j] * cPrevious[j]) }
            for j in units { forgetGate[j] = Scalar.gateSigmoid(xF[j] + rF[j] + peep.forget[j] * cPrevious[j]) }
            for j in units { candidate[j] = Scalar.gateTanh(xG[j] + rG[j]) }
            for j in units { c[j] = forgetGate[j] * cPrevious[j] + inputGate[j] * candidate[j] }   // keep some old, add some new
            for j in units { outputGate[j] = Scalar.gateSigmoid(xO[j] + rO[j] + peep.output[j] * c[j]) }
            for j in units { hOut[j] = outputGate[j] * Scalar.gateTanh(c[j]) }
        }
    }

    @inline(__always)
    public func backward(_ step: BackwardStep<Scalar>) {
        if let peepholes {
            peepholes.scalars.withUnsafeBufferPointer { w in backward(Peepholes(weights: w.baseAddress!, h: step.hiddenSize), step) }
        } else {
            backward(NoPeepholes(), step)
        }
        for b in 0..<step.batch {                                      // h⟨t−1⟩ reaches the loss only through W_hh
            let dPrevious = step.dPreviousHidden + b * step.hiddenSize
            for j in step.units { dPrevious[j] = 0 }
        }
    }

    @inline(__always)
    func backward<P: PeepholeTerms>(_ peep: P, _ step: BackwardStep<Scalar>) where P.Scalar == Scalar {
        let (h, units) = (step.hiddenSize, step.units)
        for b in 0..<step.batch {
            let gates = step.cache + b * 4 * h, d = step.dInputGates + b * 4 * h
            let (inputGate, forgetGate, candidate, outputGate) = (gates, gates + h, gates + 2 * h, gates + 3 * h)
            let (dI, dF, dG, dO) = (d, d + h, d + 2 * h, d + 3 * h)     // ∂L/∂(pre-activation) of each gate
            let (cPrevious, c, dh, dc) = (step.previousCell! + b * h, step.cell! + b * h, step.dHidden + b * h, step.dCell! + b * h)
            // One pass per result, so that each pass vectorises. First ∂L/∂c⟨t⟩, gathered in dc: through
            // h = o ⊙ tanh(c), from c⟨t+1⟩ (already in dc), and through the output peephole.
            for j in units {
                let o = outputGate[j], tanhC = Scalar.gateTanh(c[j])
                dO[j] = dh[j] * tanhC * o * (1 - o)
                dc[j] += dh[j] * o * (1 - tanhC * tanhC) + dO[j] * peep.output[j]
            }
            for j in units { dI[j] = dc[j] * candidate[j] * inputGate[j] * (1 - inputGate[j]) }
            for j in units { dF[j] = dc[j] * cPrevious[j] * forgetGate[j] * (1 - forgetGate[j]) }
            for j in units { dG[j] = dc[j] * inputGate[j] * (1 - candidate[j] * candidate[j]) }
            // The additive path back to c⟨t−1⟩, plus the input and forget peepholes.
            for j in units { dc[j] = dc[j] * forgetGate[j] + dI[j] * peep.input[j] + dF[j] * peep.forget[j] }
            for j in units {
                peep.accumulate(into: step.dParameters, j, input: dI[j] * cPrevious[j], forget: dF[j] * cPrevious[j], output: dO[j] * c[j])
            }
        }
    }
}

/// The peephole terms of the LSTM's loops: real weights, or zeros that the compiler removes.
protocol PeepholeTerms {
    associatedtype Scalar: MatrixScalar
    associatedtype Weights: PeepholeWeights<Scalar>
    /// w_ci, w_cf and w_co, each indexed by unit.
    var input: Weights { get }
    var forget: Weights { get }
    var output: Weights { get }
    func accumulate(into gradients: UnsafeMutablePointer<Scalar>, _ j: Int, input: Scalar, forget: Scalar, output: Scalar)
}

/// One row of peephole weights, indexed by unit.
protocol PeepholeWeights<Scalar> {
    associatedtype Scalar
    subscript(_ j: Int) -> Scalar { get }
}

struct NoPeepholes<Scalar: MatrixScalar>: PeepholeTerms {
    struct Zeros: PeepholeWeights {
        @inline(__always) subscript(_ j: Int) -> Scalar { 0 }
    }
    var input: Zeros { Zeros() }
    var forget: Zeros { Zeros() }
    var output: Zeros { Zeros() }
    @inline(__always) func accumulate(into gradients: UnsafeMutablePointer<Scalar>, _ j: Int, input: Scalar, forget: Scalar, output: Scalar) {}
}

struct Peepholes<Scalar: MatrixScalar>: PeepholeTerms {
    struct Row: PeepholeWeights {
        let weights: UnsafePointer<Scalar>
        @inline(__always) subscript(_ j: Int) -> Scalar { weights[j] }
    }
    let input: Row, forget: Row, output: Row
    let h: Int

    /// The rows of `weights` `[3, H]`.
    init(weights: UnsafePointer<Scalar>, h: Int) {
        (input, forget, output, self.h) = (Row(weights: weights), Row(weights: weights + h), Row(weights: weights + 2 * h), h)
    }

    @inline(__always) func accumulate(into gradients: UnsafeMutablePointer<Scalar>, _ j: Int, input: Scalar, forget: Scalar, output: Scalar) {
        gradients[j] += input
        gradients[h &+ j] += forget
        gradients[2 &* h &+ j] += output
    }
}
