/// Additive attention (Bahdanau, Cho and Bengio, 2014): how much each input position matters to one output step.
///
///     e⟨t,j⟩ = vᵀ tanh(W_q s⟨t−1⟩ + W_k h⟨j⟩)        score of input position j for output step t
///     α⟨t,j⟩ = exp(e⟨t,j⟩) / Σ_j′ exp(e⟨t,j′⟩)        attention weights, a softmax over j
///     c⟨t⟩   = Σ_j α⟨t,j⟩ h⟨j⟩                        the context vector
///
/// `queryWeight` W_q is `[A, S]`, `keyWeight` W_k is `[A, E]`, `scoreVector` v is `[1, A]`.
/// The annotations h⟨j⟩ are the encoder's outputs, time-major `[Tx·B, E]`; the query s is `[B, S]`.
/// Padded input positions can be masked out so that they receive no attention.
public struct AdditiveAttention<Scalar: MatrixScalar>: Sendable {
    public var queryWeight: Matrix<Scalar>
    public var keyWeight: Matrix<Scalar>
    public var scoreVector: Matrix<Scalar>

    public init(querySize: Int, keySize: Int, attentionSize: Int, generator: inout SeededGenerator) {
        queryWeight = .uniform(attentionSize, querySize, bound: 1 / Double(querySize).squareRoot(), using: &generator)
        keyWeight = .uniform(attentionSize, keySize, bound: 1 / Double(keySize).squareRoot(), using: &generator)
        scoreVector = .uniform(1, attentionSize, bound: 1 / Double(attentionSize).squareRoot(), using: &generator)
    }

    /// Zeros shaped like `other`'s weights: the start of a gradient accumulation.
    public init(zerosLike other: AdditiveAttention) {
        queryWeight = .zeros(other.queryWeight.rows, other.queryWeight.columns)
        keyWeight = .zeros(other.keyWeight.rows, other.keyWeight.columns)
        scoreVector = .zeros(1, other.scoreVector.columns)
    }

    /// W_q, W_k and v, named `query_weight`, `key_weight` and `score_vector`. Setting requires the same names,
    /// in the same order, with the same shapes.
    public var parameters: Parameters<Scalar> {
        get { ["query_weight": queryWeight, "key_weight": keyWeight, "score_vector": scoreVector] }
        set {
            newValue.requireMatching(parameters, "AdditiveAttention parameters")
            (queryWeight, keyWeight, scoreVector) = (newValue["query_weight"], newValue["key_weight"], newValue["score_vector"])
        }
    }

    /// W_k h⟨j⟩ for every annotation, `[Tx·B, A]`: computed once per input sequence, reused at every output step.
    public func projectedKeys(_ annotations: Matrix<Scalar>) -> Matrix<Scalar> {
        matmul(annotations, keyWeight, transposeB: true)
    }

    /// What one step keeps for its backward pass.
    public struct StepCache: Sendable {
        let query: Matrix<Scalar>          // s⟨t−1⟩, [B, S]
        let hiddenScores: Matrix<Scalar>   // tanh(W_q s + W_k h⟨j⟩), [Tx·B, A]
        /// α⟨t, j⟩, `[B, Tx]`: row b holds example b's weights over the input positions.
        public let weights: Matrix<Scalar>
    }

    /// The context vector `[B, E]` for query `[B, S]`, and the step's cache (which holds α).
    ///
    /// `mask[j·B + b]` false leaves input position j of example b out (padding).
    /// Complexity: O(Tx·B·A + B·S·A).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func callAsFunction(query: Matrix<Scalar>, annotations: Matrix<Scalar>, keys: Matrix<Scalar>,
                               mask: [Bool]? = nil) -> (context: Matrix<Scalar>, cache: StepCache) {
        let batch = query.rows, positions = stepCount(annotations, batch: batch), a = scoreVector.columns
        require(keys.shape == [annotations.rows, a], "attention: keys \(keys.shape) must be [\(annotations.rows), \(a)]")
        require(mask == nil || mask!.count == annotations.rows, "attention: mask has \(mask?.count ?? 0) entries for \(annotations.rows) positions")
        let projectedQuery = matmul(query, queryWeight, transposeB: true)      // W_q s, [B, A]
        var hiddenScores = keys
        var scores = Matrix<Scalar>(rows: batch, columns: positions)
        for j in 0..<positions {
            for b in 0..<batch {
                let row = j * batch + b
                var e: Scalar = 0
                for k in 0..<a {
                    let u = Scalar.tanh(keys.scalars[row * a + k] + projectedQuery.scalars[b * a + k])
                    hiddenScores.scalars[row * a + k] = u
                    e += scoreVector.scalars[k] * u                          // vᵀ tanh(…)
                }
                scores[b, j] = (mask?[row] ?? true) ? e : -Scalar.infinity
            }
        }
        let weights = softmax(scores)                                            // α, [B, Tx]
        return (context(weights: weights, annotations: annotations),
                StepCache(query: query, hiddenScores: hiddenScores, weights: weights))
    }

    /// c = Σ_j α_j h⟨j⟩ for each example: weights `[B, Tx]`, annotations `[Tx·B, E]`, result `[B, E]`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func context(weights: Matrix<Scalar>, annotations: Matrix<Scalar>) -> Matrix<Scalar> {
        let batch = weights.rows, e = annotations.columns
        var result = Matrix<Scalar>(rows: batch, columns: e)
        for j in 0..<weights.columns {
            for b in 0..<batch {
                let alpha = weights[b, j], row = j * batch + b
                for k in 0..<e { result.scalars[b * e + k] += alpha * annotations.scalars[row * e + k] }
            }
        }
        return result
    }

    /// Gradients flowing out of one step.
    public struct StepGradients {
        /// ∂L/∂s⟨t−1⟩, `[B, S]`.
        public var query: Matrix<Scalar>
        /// ∂L/∂h⟨j⟩ through the weighted sum, `[Tx·B, E]`.
        public var annotations: Matrix<Scalar>
        /// ∂L/∂(W_k h⟨j⟩), `[Tx·B, A]`; turned into W_k's and h's gradients once per sequence by ``keyBackward``.
        public var keys: Matrix<Scalar>
        /// ∂L/∂W_q and ∂L/∂v.
        public var queryWeight: Matrix<Scalar>
        public var scoreVector: Matrix<Scalar>
    }

    /// The backward pass of one step, from ∂L/∂c `[B, E]`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ contextGradient: Matrix<Scalar>, cache: StepCache, annotations: Matrix<Scalar>) -> StepGradients {
        let batch = cache.weights.rows, positions = cache.weights.columns, e = annotations.columns, a = scoreVector.columns
        var dAnnotations = Matrix<Scalar>(rows: annotations.rows, columns: e)
        var dWeights = Matrix<Scalar>(rows: batch, columns: positions)
        for j in 0..<positions {
            for b in 0..<batch {
                let row = j * batch + b, alpha = cache.weights[b, j]
                var dot: Scalar = 0
                for k in 0..<e {
                    dot += contextGradient.scalars[b * e + k] * annotations.scalars[row * e + k]   // ∂L/∂α = ∂L/∂c · h⟨j⟩
                    dAnnotations.scalars[row * e + k] += alpha * contextGradient.scalars[b * e + k]
                }
                dWeights[b, j] = dot
            }
        }
        // Softmax backward: ∂L/∂e_j = α_j (∂L/∂α_j − Σ_j′ α_j′ ∂L/∂α_j′).
        var dScores = Matrix<Scalar>(rows: batch, columns: positions)
        for b in 0..<batch {
            var mean: Scalar = 0
            for j in 0..<positions { mean += cache.weights[b, j] * dWeights[b, j] }
            for j in 0..<positions { dScores[b, j] = cache.weights[b, j] * (dWeights[b, j] - mean) }
        }
        var dPre = Matrix<Scalar>(rows: annotations.rows, columns: a)       // ∂L/∂(W_q s + W_k h⟨j⟩)
        var dProjectedQuery = Matrix<Scalar>(rows: batch, columns: a)
        var dScoreVector = Matrix<Scalar>(rows: 1, columns: a)
        for j in 0..<positions {
            for b in 0..<batch {
                let row = j * batch + b, de = dScores[b, j]
                guard de != 0 else { continue }
                for k in 0..<a {
                    let u = cache.hiddenScores.scalars[row * a + k]
                    dScoreVector.scalars[k] += de * u
                    let d = de * scoreVector.scalars[k] * (1 - u * u)
                    dPre.scalars[row * a + k] = d
                    dProjectedQuery.scalars[b * a + k] += d
                }
            }
        }
        return StepGradients(query: matmul(dProjectedQuery, queryWeight),
                             annotations: dAnnotations, keys: dPre,
                             queryWeight: matmul(dProjectedQuery, cache.query, transposeA: true),
                             scoreVector: dScoreVector)
    }

    /// ∂L/∂W_k and the part of ∂L/∂annotations that flows through the keys, from the summed ∂L/∂keys.
    public func keyBackward(_ keysGradient: Matrix<Scalar>, annotations: Matrix<Scalar>)
        -> (keyWeight: Matrix<Scalar>, annotations: Matrix<Scalar>) {
        (matmul(keysGradient, annotations, transposeA: true), matmul(keysGradient, keyWeight))
    }
}
