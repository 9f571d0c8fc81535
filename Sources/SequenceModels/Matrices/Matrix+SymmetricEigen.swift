extension Matrix where Scalar == Double {
    /// The eigenvalues of a symmetric matrix `[n, n]`, largest first, and its eigenvectors as the columns of `[n, n]`.
    ///
    /// Cyclic Jacobi: each rotation in the (p, q) plane, Jᵀ A J, zeroes the entry a_pq; sweeping over every
    /// pair until all off-diagonal entries are below 10⁻¹⁴ of the matrix's size leaves the eigenvalues on the
    /// diagonal, and the product of the rotations holds the eigenvectors. Complexity: O(n³) per sweep, and a
    /// few sweeps suffice; meant for the small matrices of ``truncatedSVD(rank:oversampling:powerIterations:generator:)``.
    public func symmetricEigen() -> (values: [Double], vectors: Matrix) {
        require(rows == columns, "symmetricEigen: the matrix must be square, got \(shape)")
        let n = rows
        var a = self, vectors = Matrix.identity(n)
        let size = Swift.max(scalars.map(abs).max() ?? 0, Double.leastNormalMagnitude)
        for _ in 0..<100 {
            var offDiagonal = 0.0
            for p in 0..<n { for q in (p + 1)..<Swift.max(n, p + 1) { offDiagonal = Swift.max(offDiagonal, abs(a[p, q])) } }
            if offDiagonal <= 1e-14 * size { break }
            for p in 0..<n {
                for q in (p + 1)..<Swift.max(n, p + 1) where a[p, q] != 0 {
                    // The angle θ with tan 2θ = 2 a_pq / (a_qq − a_pp), through t = tan θ, the smaller root.
                    let ratio = (a[q, q] - a[p, p]) / (2 * a[p, q])
                    let t = (ratio >= 0 ? 1.0 : -1.0) / (abs(ratio) + (ratio * ratio + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {                                           // A ← A J (columns p and q)
                        let (akp, akq) = (a[k, p], a[k, q])
                        a[k, p] = c * akp - s * akq
                        a[k, q] = s * akp + c * akq
                    }
                    for k in 0..<n {                                           // A ← Jᵀ A (rows p and q)
                        let (apk, aqk) = (a[p, k], a[q, k])
                        a[p, k] = c * apk - s * aqk
                        a[q, k] = s * apk + c * aqk
                    }
                    for k in 0..<n {                                           // V ← V J
                        let (vkp, vkq) = (vectors[k, p], vectors[k, q])
                        vectors[k, p] = c * vkp - s * vkq
                        vectors[k, q] = s * vkp + c * vkq
                    }
                }
            }
        }
        let order = (0..<n).sorted { a[$0, $0] > a[$1, $1] }
        var sorted = Matrix(rows: n, columns: n)
        for (j, column) in order.enumerated() { for k in 0..<n { sorted[k, j] = vectors[k, column] } }
        return (order.map { a[$0, $0] }, sorted)
    }
}
