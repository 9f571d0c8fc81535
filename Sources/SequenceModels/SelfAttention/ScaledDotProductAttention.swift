/// Scaled dot-product attention (Vaswani et al., 2017): every query reads a weighted mean of the values.
///
///     S = Q Kᵀ / √d_k                    [Tq, Tk]  scores: query i against key j
///     S_ij = −∞ where the mask forbids j
///     A = softmax(S) over j (each row)   [Tq, Tk]  attention weights, each row sums to 1
///     O = A V                            [Tq, d_v]
///
/// Q is `[Tq, d_k]`, K `[Tk, d_k]`, V `[Tk, d_v]`, for one sequence (one head of one example). Dividing by
/// √d_k keeps the scores' variance near 1 when the entries of q and k have variance 1, so that the
/// softmax does not saturate as d_k grows. Backward, with dO = ∂L/∂O:
///
///     dV = Aᵀ dO        dA = dO Vᵀ        dS_ij = A_ij (dA_ij − Σ_j′ A_ij′ dA_ij′)
///     dQ = dS K / √d_k  dK = dSᵀ Q / √d_k
public enum ScaledDotProductAttention {
    /// O `[Tq, d_v]` and A `[Tq, Tk]` for one example (`example` picks its row of `mask.keyLengths`).
    /// Complexity: O(Tq·Tk·(d_k + d_v)).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func forward<Scalar: MatrixScalar>(queries: Matrix<Scalar>, keys: Matrix<Scalar>, values: Matrix<Scalar>,
                                                     mask: AttentionMask? = nil, example: Int = 0)
        -> (output: Matrix<Scalar>, weights: Matrix<Scalar>)
    {
        require(queries.columns == keys.columns, "attention: queries \(queries.shape) and keys \(keys.shape) need the same width d_k")
        require(keys.rows == values.rows, "attention: keys \(keys.shape) and values \(values.shape) need one row per position")
        let scale = 1 / Scalar(queries.columns).squareRoot()
        var weights = matmul(queries, keys, transposeB: true)                 // Q Kᵀ, [Tq, Tk]
        let (tq, tk) = (weights.rows, weights.columns)
        weights.scalars.withUnsafeMutableBufferPointer { p in
            for i in 0..<tq {
                let row = p.baseAddress! + i * tk
                var largest = -Scalar.infinity
                for j in 0..<tk where mask?.allows(query: i, key: j, example: example) ?? true {
                    row[j] *= scale
                    largest = max(largest, row[j])
                }
                require(largest > -Scalar.infinity, "attention: the mask leaves query \(i) no key to attend to")
                var total: Scalar = 0
                for j in 0..<tk {
                    let allowed = mask?.allows(query: i, key: j, example: example) ?? true
                    row[j] = allowed ? Scalar.exp(row[j] - largest) : 0               // a forbidden key: exp(−∞) = 0
                    total += row[j]
                }
                for j in 0..<tk { row[j] /= total }
            }
        }
        return (matmul(weights, values), weights)
    }

    /// ∂L/∂Q, ∂L/∂K and ∂L/∂V from ∂L/∂O `[Tq, d_v]`, the inputs and the weights A that ``forward`` returned.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func backward<Scalar: MatrixScalar>(_ outputGradient: Matrix<Scalar>, queries: Matrix<Scalar>,
                                                      keys: Matrix<Scalar>, values: Matrix<Scalar>, weights: Matrix<Scalar>)
        -> (queries: Matrix<Scalar>, keys: Matrix<Scalar>, values: Matrix<Scalar>)
    {
        require(outputGradient.shape == [weights.rows, values.columns],
                "attention backward: gradient \(outputGradient.shape) must be [\(weights.rows), \(values.columns)]")
        let scale = 1 / Scalar(queries.columns).squareRoot()
        let dValues = matmul(weights, outputGradient, transposeA: true)           // Aᵀ dO
        var dScores = matmul(outputGradient, values, transposeB: true)            // dA = dO Vᵀ, then dS in place
        let tk = weights.columns
        dScores.scalars.withUnsafeMutableBufferPointer { d in
            weights.scalars.withUnsafeBufferPointer { a in
                for i in 0..<weights.rows {
                    var dot: Scalar = 0
                    for j in 0..<tk { dot += a[i * tk + j] * d[i * tk + j] }
                    for j in 0..<tk { d[i * tk + j] = a[i * tk + j] * (d[i * tk + j] - dot) * scale }   // softmax backward, then 1/√d_k
                }
            }
        }
        return (matmul(dScores, keys), matmul(dScores, queries, transposeA: true), dValues)
    }
}
