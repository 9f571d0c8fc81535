/// Multi-head attention, PyTorch's `nn.MultiheadAttention(d, h, batch_first=True)`: h scaled dot-product attentions side by side.
///
///     Q = X_q W_qᵀ + b_q      K = X_kv W_kᵀ + b_k      V = X_kv W_vᵀ + b_v          [B·T, d]
///     head_i = Attention(Q_i, K_i, V_i)     Q_i = columns i·d_h ..< (i+1)·d_h of Q, d_h = d/h, per example
///     Y = [head_1 … head_h] W_oᵀ + b_o                                               [B·Tq, d]
///
/// `inProjectionWeight` is PyTorch's `in_proj_weight`, W_q, W_k and W_v stacked `[3d, d]`;
/// `inProjectionBias` its `in_proj_bias` `[1, 3d]`; `outProjection` its `out_proj` (`out_proj.weight`
/// `[d, d]`, `out_proj.bias`). Inputs are batch-major: row b·T + t is example b at position t. Self-attention
/// passes the same matrix as queries and keys; a decoder's cross-attention passes the encoder's output as keys.
/// Each head attends in its own d_h-dimensional subspace, so different heads can look at different positions.
public struct MultiheadAttention<Scalar: MatrixScalar>: Sendable {
    public var inProjectionWeight: Matrix<Scalar>
    public var inProjectionBias: Matrix<Scalar>
    public var outProjection: Linear<Scalar>
    public let headCount: Int

    /// PyTorch's initialisation: W_q, W_k, W_v Xavier-uniform, U(±√(6/(d + 3d))); the biases 0; W_o U(±1/√d).
    public init(dimension: Int, headCount: Int, generator: inout SeededGenerator) {
        require(dimension % headCount == 0, "MultiheadAttention: \(headCount) heads do not divide the dimension \(dimension)")
        self.headCount = headCount
        inProjectionWeight = .uniform(3 * dimension, dimension, bound: (6 / Double(4 * dimension)).squareRoot(), using: &generator)
        inProjectionBias = .zeros(1, 3 * dimension)
        outProjection = Linear(inputSize: dimension, outputSize: dimension, generator: &generator)
        outProjection.bias = .zeros(1, dimension)
    }

    public var dimension: Int { inProjectionWeight.columns }

    /// `in_proj_weight`, `in_proj_bias`, `out_proj.weight`, `out_proj.bias`, in PyTorch's order.
    public var parameters: Parameters<Scalar> {
        get {
            (["in_proj_weight": inProjectionWeight, "in_proj_bias": inProjectionBias] as Parameters<Scalar>)
                .appending(Parameters(layers: ["out_proj": outProjection.parameters]))
        }
        set {
            newValue.requireMatching(parameters, "MultiheadAttention parameters")
            (inProjectionWeight, inProjectionBias) = (newValue["in_proj_weight"], newValue["in_proj_bias"])
            outProjection.parameters = newValue.layer("out_proj")
        }
    }

    /// What the backward pass needs; `weights[b][i]` is head i's attention `[Tq, Tk]` for example b.
    public struct Cache: Sendable {
        let queryInput: Matrix<Scalar>, keyInput: Matrix<Scalar>
        let queries: Matrix<Scalar>, keys: Matrix<Scalar>, values: Matrix<Scalar>
        let heads: Matrix<Scalar>
        public let weights: [[Matrix<Scalar>]]
        let batch: Int
    }

    /// Y `[B·Tq, d]` for queries from `query` `[B·Tq, d]` and keys and values from `keyValue` `[B·Tk, d]`.
    /// Complexity: O(B·(Tq + Tk)·d² + B·Tq·Tk·d).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func callAsFunction(query: Matrix<Scalar>, keyValue: Matrix<Scalar>, batch: Int, mask: AttentionMask? = nil)
        -> (output: Matrix<Scalar>, cache: Cache)
    {
        let d = dimension, dh = d / headCount
        require(query.columns == d && keyValue.columns == d && query.rows % batch == 0 && keyValue.rows % batch == 0,
                "MultiheadAttention: inputs \(query.shape) and \(keyValue.shape) must be [B·T, \(d)] for B = \(batch)")
        let (tq, tk) = (query.rows / batch, keyValue.rows / batch)
        let q = project(query, part: 0), k = project(keyValue, part: 1), v = project(keyValue, part: 2)
        var heads = Matrix<Scalar>(rows: query.rows, columns: d)
        var weights: [[Matrix<Scalar>]] = []
        for b in 0..<batch {
            var perHead: [Matrix<Scalar>] = []
            for i in 0..<headCount {
                let columns = i * dh ..< (i + 1) * dh
                let (o, a) = ScaledDotProductAttention.forward(
                    queries: q.block(rows: b * tq ..< (b + 1) * tq, columns: columns),
                    keys: k.block(rows: b * tk ..< (b + 1) * tk, columns: columns),
                    values: v.block(rows: b * tk ..< (b + 1) * tk, columns: columns), mask: mask, example: b)
                heads.setBlock(row: b * tq, column: i * dh, to: o)
                perHead.append(a)
            }
            weights.append(perHead)
        }
        return (outProjection(heads), Cache(queryInput: query, keyInput: keyValue, queries: q, keys: k, values: v,
                                            heads: heads, weights: weights, batch: batch))
    }

    /// X W_partᵀ + b_part for part 0 (queries), 1 (keys) or 2 (values) of the stacked in-projection.
    func project(_ x: Matrix<Scalar>, part: Int) -> Matrix<Scalar> {
        let d = dimension, rows = part * d ..< (part + 1) * d
        return matmul(x, inProjectionWeight.rows(rows), transposeB: true).addingRow(inProjectionBias.columns(rows))
    }

    /// ∂L/∂query, ∂L/∂keyValue (add them for self-attention) and the parameter gradients, from ∂L/∂Y `[B·Tq, d]`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ outputGradient: Matrix<Scalar>, cache: Cache)
        -> (queryGradient: Matrix<Scalar>, keyValueGradient: Matrix<Scalar>, parameterGradients: Parameters<Scalar>)
    {
        let d = dimension, dh = d / headCount, batch = cache.batch
        let (tq, tk) = (cache.queries.rows / batch, cache.keys.rows / batch)
        let (dHeads, outGradients) = outProjection.backward(outputGradient, input: cache.heads)
        var dq = Matrix<Scalar>(rows: cache.queries.rows, columns: d)
        var dk = Matrix<Scalar>(rows: cache.keys.rows, columns: d), dv = dk
        for b in 0..<batch {
            for i in 0..<headCount {
                let columns = i * dh ..< (i + 1) * dh
                let (qRows, kRows) = (b * tq ..< (b + 1) * tq, b * tk ..< (b + 1) * tk)
                let g = ScaledDotProductAttention.backward(
                    dHeads.block(rows: qRows, columns: columns), queries: cache.queries.block(rows: qRows, columns: columns),
                    keys: cache.keys.block(rows: kRows, columns: columns), values: cache.values.block(rows: kRows, columns: columns),
                    weights: cache.weights[b][i])
                dq.setBlock(row: qRows.lowerBound, column: columns.lowerBound, to: g.queries)
                dk.setBlock(row: kRows.lowerBound, column: columns.lowerBound, to: g.keys)
                dv.setBlock(row: kRows.lowerBound, column: columns.lowerBound, to: g.values)
            }
        }
        let w = (q: inProjectionWeight.rows(0 ..< d), k: inProjectionWeight.rows(d ..< 2 * d), v: inProjectionWeight.rows(2 * d ..< 3 * d))
        let dWeight = Matrix.concatenatingRows([matmul(dq, cache.queryInput, transposeA: true),     // ∂L/∂W_q = dQᵀ X_q
                                                matmul(dk, cache.keyInput, transposeA: true),
                                                matmul(dv, cache.keyInput, transposeA: true)])
        let dBias = Matrix.concatenatingColumns([dq.columnSums(), dk.columnSums(), dv.columnSums()])
        var dKeyValue = matmul(dk, w.k)
        dKeyValue.addProduct(dv, w.v)
        let gradients = (["in_proj_weight": dWeight, "in_proj_bias": dBias] as Parameters<Scalar>)
            .appending(Parameters(layers: ["out_proj": outGradients]))
        return (matmul(dq, w.q), dKeyValue, gradients)
    }
}
