/// The matrix product `op(a) · op(b)`, where `op` transposes its argument when asked.
///
/// `op(a)` is `[m, k]` and `op(b)` is `[k, n]`; the result is `[m, n]`. It runs through
/// BLAS (`sgemm` for `Float`, `dgemm` for `Double`). Complexity: O(m·n·k).
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func matmul<Scalar>(
    _ a: Matrix<Scalar>, _ b: Matrix<Scalar>,
    transposeA: Bool = false, transposeB: Bool = false
) -> Matrix<Scalar> {
    let m = transposeA ? a.columns : a.rows
    let n = transposeB ? b.rows : b.columns
    var result = Matrix<Scalar>(rows: m, columns: n)
    result.addProduct(a, b, transposeA: transposeA, transposeB: transposeB)
    return result
}

extension Matrix {
    /// `self ← self + alpha · op(a) · op(b)`: the product accumulated in place, as gradients are.
    ///
    /// Complexity: O(m·n·k), with no temporary matrix.
    public mutating func addProduct(
        _ a: Matrix, _ b: Matrix,
        transposeA: Bool = false, transposeB: Bool = false, scaledBy alpha: Scalar = 1
    ) {
        let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (kb, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        require(k == kb,
                     "matmul: shapes \(a.shape)\(transposeA ? "ᵀ" : "") and \(b.shape)\(transposeB ? "ᵀ" : "") do not chain")
        require(rows == m && columns == n,
                     "matmul: result of shape [\(m), \(n)] cannot accumulate into \(shape)")
        guard m > 0, n > 0, k > 0 else { return }
        ProcessSettings.applyOnFirstUse()
        // Large products are split by rows of the result, one part per core, all sharing one prepared B.
        let cores = Parallelism.cores
        let parts = 2 * m * n * k >= 32_000_000 && m >= 2 * cores ? cores : 1
        let operand = ProductOperand(b, transposed: transposeB, expectedRows: m)
        // Row i of op(a) starts at a + i·a.columns, or at column i when a is transposed.
        let (rowStride, columnStride) = transposeA ? (1, a.columns) : (a.columns, 1)
        let ldc = columns
        a.scalars.withUnsafeBufferPointer { pa in
            scalars.withUnsafeMutableBufferPointer { pc in
                let (aBase, cBase) = (pa.baseAddress!, pc.baseAddress!)
                Parallelism.forEachPart(m, parts: parts) { part in
                    operand.addProduct(rows: part.count, aBase + part.lowerBound * rowStride,
                                       rowStride: rowStride, columnStride: columnStride, scaledBy: alpha,
                                       into: cBase + part.lowerBound * ldc, resultRowStride: ldc)
                }
            }
        }
    }

    /// The transpose, `[columns, rows]`. Complexity: O(rows·columns).
    ///
    /// It goes block by block, 16 × 16: a block reads 16 rows of the matrix, which stay in the
    /// cache while it writes 16 consecutive floats (one cache line) of each of 16 result rows.
    /// Written a whole column at a time, a wide matrix's result rows would be a power of two
    /// apart, fall into the same few cache sets, and miss on every write.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func transposed() -> Matrix {
        var result = Matrix(rows: columns, columns: rows)
        let block = 16
        result.scalars.withUnsafeMutableBufferPointer { out in
            scalars.withUnsafeBufferPointer { x in
                for rowStart in stride(from: 0, to: rows, by: block) {
                    for columnStart in stride(from: 0, to: columns, by: block) {
                        for c in columnStart..<min(columnStart + block, columns) {
                            for r in rowStart..<min(rowStart + block, rows) { out[c * rows + r] = x[r * columns + c] }
                        }
                    }
                }
            }
        }
        return result
    }
}
