extension Matrix where Scalar == Double {
    /// The `rank` largest singular values of a matrix `[m, n]`, with their left and right singular vectors:
    /// A ≈ U diag(σ) Vᵀ, U `[m, k]`, V `[n, k]`, σ largest first.
    ///
    /// Randomised subspace iteration (Halko, Martinsson and Tropp, 2011), which is power iteration on a block
    /// of k + p vectors at once:
    ///
    ///     Y = A Ω                        Ω `[n, k + p]` Gaussian
    ///     repeat q times:  Y = A (Aᵀ Y)   each product's columns orthonormalised, so that no direction swamps the rest
    ///     B = Qᵀ A                       Q the orthonormalised Y, `[m, k + p]`; B is small, `[k + p, n]`
    ///     B Bᵀ = Ũ Σ² Ũᵀ                 an eigen-decomposition of `[k + p, k + p]` (``symmetricEigen()``)
    ///     U = Q Ũ,  V = Bᵀ Ũ Σ⁻¹
    ///
    /// Each iteration multiplies the gap between σ_k and σ_{k+p+1} into the error: a few suffice when the
    /// singular values fall off. Complexity: O(m·n·(k + p)·(2q + 2)), all in matrix products.
    public func truncatedSVD(rank k: Int, oversampling p: Int = 10, powerIterations q: Int = 4,
                             generator: inout SeededGenerator) -> (u: Matrix, singularValues: [Double], v: Matrix) {
        let width = Swift.min(k + p, rows, columns)
        require(k >= 1 && k <= width, "truncatedSVD: rank \(k) must be 1…\(Swift.min(rows, columns)) for a matrix of shape \(shape)")
        var basis = matmul(self, Matrix.normal(columns, width, using: &generator)).orthonormalColumns()    // Q, [m, k + p]
        for _ in 0..<q {
            let right = matmul(self, basis, transposeA: true).orthonormalColumns()                          // [n, k + p]
            basis = matmul(self, right).orthonormalColumns()
        }
        let small = matmul(basis, self, transposeA: true)                                                   // B = Qᵀ A
        let (squares, vectors) = matmul(small, small, transposeB: true).symmetricEigen()                    // B Bᵀ = Ũ Σ² Ũᵀ
        let leading = vectors.columns(0..<k)
        let singularValues = squares.prefix(k).map { Swift.max($0, 0).squareRoot() }
        var v = matmul(small, leading, transposeA: true)                                                    // Bᵀ Ũ, [n, k]
        for r in 0..<v.rows { for j in 0..<k { v[r, j] /= Swift.max(singularValues[j], .leastNormalMagnitude) } }
        return (matmul(basis, leading), singularValues, v)
    }

    /// An orthonormal basis of the column space, column by column (modified Gram–Schmidt): `[m, n]`, m ≥ n.
    /// A column that depends on the ones before it becomes zero.
    public func orthonormalColumns() -> Matrix {
        var columnsAsRows = transposed()                                // each column contiguous, as a row
        let (count, length) = (columnsAsRows.rows, columnsAsRows.columns)
        columnsAsRows.scalars.withUnsafeMutableBufferPointer { buffer in
            let q = buffer.baseAddress!
            for i in 0..<count {
                let column = q + i * length
                for j in 0..<i {                                        // remove the part along each earlier column
                    let earlier = q + j * length
                    var dot = 0.0
                    for r in 0..<length { dot += column[r] * earlier[r] }
                    for r in 0..<length { column[r] -= dot * earlier[r] }
                }
                var norm = 0.0
                for r in 0..<length { norm += column[r] * column[r] }
                let scale = norm > 0 ? 1 / norm.squareRoot() : 0
                for r in 0..<length { column[r] *= scale }
            }
        }
        return columnsAsRows.transposed()
    }
}
