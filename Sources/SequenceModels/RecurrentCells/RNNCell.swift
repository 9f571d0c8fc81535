/// The hidden-state nonlinearity g of a vanilla RNN.
public enum RNNNonlinearity: String, Sendable {
    case tanh, relu

    func callAsFunction<Scalar>(_ z: Matrix<Scalar>) -> Matrix<Scalar> {
        switch self {
        case .tanh: return SequenceModels.tanh(z)
        case .relu: return SequenceModels.relu(z)
        }
    }
}

/// One step of a vanilla (Elman) RNN: a⟨t⟩ = g(W_aa a⟨t−1⟩ + W_ax x⟨t⟩ + b_a).
///
/// Layout (PyTorch's `nn.RNNCell`): `weightIH` is W_ax, `[H, D]`; `weightHH` is W_aa,
/// `[H, H]`; `biasIH` and `biasHH` are `[1, H]` and together make b_a. A batch is stored
/// as rows, so the step computes `a⟨t⟩ = g(x W_axᵀ + a⟨t−1⟩ W_aaᵀ + b_ih + b_hh)` with
/// input `x` `[B, D]` and state `a` `[B, H]`.
public struct RNNCell<Scalar: MatrixScalar>: Sendable {
    /// W_ax, `[H, D]`.
    public var weightIH: Matrix<Scalar>
    /// W_aa, `[H, H]`.
    public var weightHH: Matrix<Scalar>
    /// `[1, H]`.
    public var biasIH: Matrix<Scalar>
    /// `[1, H]`.
    public var biasHH: Matrix<Scalar>
    /// g, tanh by default.
    public var nonlinearity: RNNNonlinearity

    /// Input size D.
    public var inputSize: Int { weightIH.columns }
    /// Hidden size H.
    public var hiddenSize: Int { weightHH.rows }

    /// A cell with weights drawn from U(−1/√H, 1/√H), as PyTorch initialises them.
    public init(inputSize: Int, hiddenSize: Int, nonlinearity: RNNNonlinearity = .tanh,
                generator: inout SeededGenerator) {
        let bound = 1 / Double(hiddenSize).squareRoot()
        self.init(weightIH: .uniform(hiddenSize, inputSize, bound: bound, using: &generator),
                  weightHH: .uniform(hiddenSize, hiddenSize, bound: bound, using: &generator),
                  biasIH: .uniform(1, hiddenSize, bound: bound, using: &generator),
                  biasHH: .uniform(1, hiddenSize, bound: bound, using: &generator),
                  nonlinearity: nonlinearity)
    }

    /// A cell with the given weights; the shapes must agree as documented on the type.
    public init(weightIH: Matrix<Scalar>, weightHH: Matrix<Scalar>,
                biasIH: Matrix<Scalar>, biasHH: Matrix<Scalar>, nonlinearity: RNNNonlinearity = .tanh) {
        let h = weightHH.rows
        require(weightHH.columns == h, "RNNCell: W_hh must be square, got \(weightHH.shape)")
        require(weightIH.rows == h, "RNNCell: W_ih \(weightIH.shape) and W_hh \(weightHH.shape) disagree on H")
        require(biasIH.shape == [1, h] && biasHH.shape == [1, h],
                     "RNNCell: biases \(biasIH.shape) and \(biasHH.shape) must both be [1, \(h)]")
        self.weightIH = weightIH
        self.weightHH = weightHH
        self.biasIH = biasIH
        self.biasHH = biasHH
        self.nonlinearity = nonlinearity
    }

    /// The next hidden state a⟨t⟩, `[B, H]`, from input `x` `[B, D]` and state `a` `[B, H]`.
    public func callAsFunction(_ x: Matrix<Scalar>, _ a: Matrix<Scalar>) -> Matrix<Scalar> {
        require(x.columns == inputSize, "RNNCell: input of shape \(x.shape) needs \(inputSize) columns")
        require(a.shape == [x.rows, hiddenSize],
                     "RNNCell: state of shape \(a.shape) does not match input \(x.shape) and H = \(hiddenSize)")
        var z = matmul(x, weightIH, transposeB: true)   // x W_axᵀ
        z.addProduct(a, weightHH, transposeB: true)      // + a⟨t−1⟩ W_aaᵀ: the same W_aa at every step
        return nonlinearity(z.addingRow(biasIH + biasHH))
    }

    /// Runs the cell over a whole sequence `xs` (T inputs of `[B, D]`) and returns the T states.
    public func forward(_ xs: [Matrix<Scalar>], initialState: Matrix<Scalar>? = nil) -> [Matrix<Scalar>] {
        var a = initialState ?? Matrix(rows: xs.first?.rows ?? 0, columns: hiddenSize)
        return xs.map { x in
            a = self(x, a)
            return a
        }
    }
}
