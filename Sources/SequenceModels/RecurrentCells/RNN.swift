/// The hidden-state nonlinearity g of a vanilla RNN.
public enum RNNNonlinearity: String, Sendable {
    case tanh, relu
}

/// A vanilla (Elman) RNN layer: ``Recurrence`` with the ``ElmanKernel``, as `torch.nn.RNN`.
///
/// `weightIH` is W_ax, `[H, D]`; `weightHH` is W_aa, `[H, H]`; `biasIH` and `biasHH` are `[1, H]`
/// and only their sum, b_a, matters.
public typealias RNN<Scalar: MatrixScalar> = Recurrence<ElmanKernel<Scalar>>

/// One step of a vanilla RNN, used as a cell: `cell(x, a)` is a⟨t⟩. The same type as ``RNN``.
public typealias RNNCell<Scalar: MatrixScalar> = Recurrence<ElmanKernel<Scalar>>

extension Recurrence {
    /// A vanilla RNN with PyTorch's initialisation and the given nonlinearity.
    public init<S>(inputSize: Int, hiddenSize: Int, nonlinearity: RNNNonlinearity,
                   generator: inout SeededGenerator) where Kernel == ElmanKernel<S> {
        self.init(inputSize: inputSize, hiddenSize: hiddenSize, kernel: ElmanKernel(nonlinearity), generator: &generator)
    }

    /// A vanilla RNN with the given W_ax `[H, D]`, W_aa `[H, H]` and biases `[1, H]`.
    public init<S>(weightIH: Matrix<S>, weightHH: Matrix<S>, biasIH: Matrix<S>, biasHH: Matrix<S>,
                   nonlinearity: RNNNonlinearity = .tanh) where Kernel == ElmanKernel<S> {
        self.init(weights: RecurrentWeights(weightIH: weightIH, weightHH: weightHH, biasIH: biasIH,
                                            biasHH: biasHH, gates: 1),
                  kernel: ElmanKernel(nonlinearity))
    }
}

extension ElmanKernel {
    /// One vanilla RNN step written as lesson 02 writes it, with matrix operations: what the fast kernel
    /// below computes, and the reference its tests compare it with. Batch as rows: x `[B, D]`, a `[B, H]`.
    public static func referenceStep(_ x: Matrix<Scalar>, a: Matrix<Scalar>, weights w: RecurrentWeights<Scalar>,
                                     nonlinearity: RNNNonlinearity = .tanh) -> Matrix<Scalar> {
        let z = (matmul(x, w.weightIH, transposeB: true) + matmul(a, w.weightHH, transposeB: true)).addingRow(w.biasIH + w.biasHH)
        return nonlinearity == .tanh ? tanh(z) : relu(z)
    }
}

/// The vanilla RNN's step: a⟨t⟩ = g(W_ax x⟨t⟩ + b_ih + W_aa a⟨t−1⟩ + b_hh). The cache row holds a⟨t⟩.
public struct ElmanKernel<Scalar: MatrixScalar>: GateKernel {
    public static var displayName: String { "RNN" }
    public static var gateCount: Int { 1 }
    public static var usesCellState: Bool { false }
    public static var hiddenGateGradientsDiffer: Bool { false }
    public static var cacheBlocks: Int { 1 }

    public var nonlinearity: RNNNonlinearity

    public init(_ nonlinearity: RNNNonlinearity) { self.nonlinearity = nonlinearity }

    /// tanh, the usual choice.
    public init() { self.init(.tanh) }

    @inline(__always)
    public func forward(_ step: ForwardStep<Scalar>) {
        let h = step.hiddenSize
        for b in 0..<step.batch {
            let (x, r, a, keep) = (step.inputGates + b * h, step.hiddenGates + b * h, step.hidden + b * h, step.cache + b * h)
            switch nonlinearity {      // one loop per case, so that each loop has no branch and vectorises
            case .tanh:
                for j in step.units { a[j] = Scalar.gateTanh(x[j] + r[j]) }
            case .relu:
                for j in step.units { a[j] = max(0, x[j] + r[j]) }
            }
            for j in step.units { keep[j] = a[j] }
        }
    }

    @inline(__always)
    public func backward(_ step: BackwardStep<Scalar>) {
        let h = step.hiddenSize
        for b in 0..<step.batch {
            for j in step.units {
                let k = b * h + j, a = step.cache[k]
                let slope = nonlinearity == .tanh ? 1 - a * a : (a > 0 ? 1 : 0)   // g′ written in terms of a = g(z)
                step.dInputGates[k] = step.dHidden[k] * slope
                step.dPreviousHidden[k] = 0
            }
        }
    }
}
