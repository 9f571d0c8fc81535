/// The four weight matrices of a recurrent layer, in PyTorch's layout, and their gradients.
///
/// With `G` gates (1 for the vanilla RNN, 4 for the LSTM, 3 for the GRU), hidden size H
/// and input size D: `weightIH` is `[G·H, D]`, `weightHH` is `[G·H, H]`, and `biasIH`,
/// `biasHH` are `[1, G·H]`. Gate blocks are stacked by rows in the order of the layer's
/// documentation (LSTM: i, f, g, o; GRU: r, z, n), as in `torch.nn.LSTM` and `torch.nn.GRU`.
public struct RecurrentWeights<Scalar: MatrixScalar>: Sendable, Equatable {
    public var weightIH: Matrix<Scalar>
    public var weightHH: Matrix<Scalar>
    public var biasIH: Matrix<Scalar>
    public var biasHH: Matrix<Scalar>

    /// Weights drawn from U(−1/√H, 1/√H), PyTorch's initialisation, in its draw order.
    public init(gates: Int, inputSize: Int, hiddenSize: Int, generator: inout SeededGenerator) {
        let bound = 1 / Double(hiddenSize).squareRoot()
        weightIH = .uniform(gates * hiddenSize, inputSize, bound: bound, using: &generator)
        weightHH = .uniform(gates * hiddenSize, hiddenSize, bound: bound, using: &generator)
        biasIH = .uniform(1, gates * hiddenSize, bound: bound, using: &generator)
        biasHH = .uniform(1, gates * hiddenSize, bound: bound, using: &generator)
    }

    /// Given weights; the shapes must agree with `gates` as described on the type.
    public init(weightIH: Matrix<Scalar>, weightHH: Matrix<Scalar>, biasIH: Matrix<Scalar>,
                biasHH: Matrix<Scalar>, gates: Int) {
        let h = weightHH.columns
        require(weightHH.rows == gates * h,
                "weight_hh must be [\(gates)·H, H] for \(gates) gate(s), got \(weightHH.shape)")
        require(weightIH.rows == gates * h, "weight_ih \(weightIH.shape) and weight_hh \(weightHH.shape) disagree on \(gates)·H")
        require(biasIH.shape == [1, gates * h] && biasHH.shape == [1, gates * h],
                "biases \(biasIH.shape) and \(biasHH.shape) must both be [1, \(gates * h)]")
        self.weightIH = weightIH
        self.weightHH = weightHH
        self.biasIH = biasIH
        self.biasHH = biasHH
    }

    /// Zeros shaped like `other`: the start of a gradient accumulation.
    public init(zerosLike other: RecurrentWeights) {
        weightIH = .zeros(other.weightIH.rows, other.weightIH.columns)
        weightHH = .zeros(other.weightHH.rows, other.weightHH.columns)
        biasIH = .zeros(1, other.biasIH.columns)
        biasHH = .zeros(1, other.biasHH.columns)
    }

    public var inputSize: Int { weightIH.columns }
    public var hiddenSize: Int { weightHH.columns }

    /// The four matrices under PyTorch's names, in its `parameters()` order: `weight_ih`, `weight_hh`,
    /// `bias_ih`, `bias_hh`. Setting reads these four by name; a layer's other parameters (the LSTM's
    /// peepholes) are left to its kernel.
    public var parameters: Parameters<Scalar> {
        get { ["weight_ih": weightIH, "weight_hh": weightHH, "bias_ih": biasIH, "bias_hh": biasHH] }
        set {
            (weightIH, weightHH) = (newValue["weight_ih"], newValue["weight_hh"])
            (biasIH, biasHH) = (newValue["bias_ih"], newValue["bias_hh"])
        }
    }
}

extension RecurrentWeights {
    /// x W_ihᵀ + b_ih `[N, G·H]` for one-hot rows x, given the column of each row's 1.
    ///
    /// Row n is column `columns[n]` of W_ih plus b_ih, exactly what the product gives, gathered
    /// instead of multiplied. Complexity: O(N·G·H) instead of O(N·G·H·D).
    ///
    /// Fewer rows than D (sampling reads one character at a time) read their columns of W_ih in place,
    /// D floats apart. More rows first transpose W_ih, O(G·H·D) once, so that each row then copies
    /// consecutive floats. Transposing for every single character took half the time of sampling from a
    /// 256-unit LSTM over 65 characters.
    func inputGates(oneHotColumns columns: [Int]) -> Matrix<Scalar> {
        let (g, d) = (weightIH.rows, weightIH.columns)
        let inPlace = columns.count < d
        let table = inPlace ? weightIH : weightIH.transposed()      // transposed: row c is W_ih's column c
        var result = Matrix<Scalar>.unfilled(columns.count, g)          // every row is written below
        result.scalars.withUnsafeMutableBufferPointer { out in
            table.scalars.withUnsafeBufferPointer { weights in
                biasIH.scalars.withUnsafeBufferPointer { bias in
                    let (out, weights, bias) = (out.baseAddress!, weights.baseAddress!, bias.baseAddress!)
                    for (n, c) in columns.enumerated() {
                        let target = out + n * g
                        if inPlace {                                    // W_ih[j, c], D floats apart
                            let column = weights + c
                            for j in 0..<g { target[j] = column[j * d] + bias[j] }
                        } else {
                            let row = weights + c * g
                            for j in 0..<g { target[j] = row[j] + bias[j] }
                        }
                    }
                }
            }
        }
        return result
    }

    /// ∂L/∂W_ih `[G·H, D]` for one-hot inputs: δ_in row n added into column `columns[n]`.
    ///
    /// The product δ_inᵀ X with one-hot X, as a scatter. Complexity: O(N·G·H) instead of O(N·G·H·D).
    static func inputWeightGradient(_ dInputGates: Matrix<Scalar>, oneHotColumns columns: [Int], inputSize: Int) -> Matrix<Scalar> {
        let g = dInputGates.columns
        var transposed = Matrix<Scalar>(rows: inputSize, columns: g)     // [D, G·H]: row d gathers the rows that picked d
        transposed.scalars.withUnsafeMutableBufferPointer { sums in
            dInputGates.scalars.withUnsafeBufferPointer { delta in
                let (sums, delta) = (sums.baseAddress!, delta.baseAddress!)
                // Each core adds up its own columns, over every row in order.
                Parallelism.forEachPart(g, parts: columns.count * g >= 1 << 20 ? Parallelism.cores : 1) { part in
                    for (n, d) in columns.enumerated() {
                        let target = sums + d * g, source = delta + n * g
                        for j in part { target[j] += source[j] }
                    }
                }
            }
        }
        return transposed.transposed()
    }
}
