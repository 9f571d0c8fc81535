internal import MatrixKernels
#if canImport(Glibc)
import Glibc
#endif

/// The right operand `op(B)` `[k, n]` of matrix products, prepared once for all the rows that will meet it.
///
/// For `Float` on a processor with AVX-512 it is made into ``PackedPanels`` for ``MatrixKernels``'
/// product, which runs about twice as fast there as OpenBLAS's AVX2 kernels (Debian's OpenBLAS
/// is pinned to its Haswell kernels here): a transposed operand is gathered into panels, O(k·n)
/// once, and a row-major one is read in place. Otherwise it keeps the matrix and each product
/// calls BLAS. A recurrence prepares W_hh once and uses it at every step.
struct ProductOperand<Scalar: MatrixScalar>: Sendable {
    let matrix: Matrix<Scalar>
    let transposed: Bool
    let packed: PackedPanels?
    /// k and n: the shape of `op(B)`.
    let rows: Int, columns: Int

    /// `op(b)`, which is `bᵀ` when `transposed`; packed when `expectedRows` rows of A will meet it,
    /// enough to repay the packing (a single product of one row is not).
    init(_ b: Matrix<Scalar>, transposed: Bool, expectedRows: Int) {
        matrix = b
        self.transposed = transposed
        let (k, n) = transposed ? (b.columns, b.rows) : (b.rows, b.columns)
        (rows, columns) = (k, n)
        if Scalar.self == Float.self, expectedRows >= 4, ProductKernel.packed, k > 0, n > 0 {
            packed = b.scalars.withUnsafeBufferPointer { storage in
                PackedPanels(UnsafeRawPointer(storage.baseAddress!).assumingMemoryBound(to: Float.self),
                             rows: k, columns: n, rowStride: b.columns, transposed: transposed)
            }
        } else {
            packed = nil
        }
    }

    /// `c[m, n] += alpha · A[m, k] · op(B)`, where `A[i, r]` is at `a + i·rowStride + r·columnStride`.
    ///
    /// One of the strides must be 1 (A row-major, or A transposed). Single-threaded. Complexity: O(m·n·k).
    func addProduct(rows m: Int, _ a: UnsafePointer<Scalar>, rowStride: Int, columnStride: Int,
                    scaledBy alpha: Scalar = 1, into c: UnsafeMutablePointer<Scalar>, resultRowStride: Int) {
        guard m > 0, rows > 0, columns > 0 else { return }
        matrix.scalars.withUnsafeBufferPointer { b in
            if let packed {
                addPackedProduct(rows: m, floats(a), rowStride: rowStride, columnStride: columnStride,
                                 floats(b.baseAddress!), bRowStride: matrix.columns, packed,
                                 scaledBy: unsafeBitCast(alpha, to: Float.self), into: floats(c), resultRowStride: resultRowStride)
                return
            }
            let transposeA = columnStride != 1
            Scalar.gemm(transposeA: transposeA, transposeB: transposed, m: m, n: columns, k: rows, alpha: alpha,
                        a: a, lda: transposeA ? columnStride : max(rowStride, 1), b: b.baseAddress!,
                        ldb: max(matrix.columns, 1), beta: 1, c: c, ldc: resultRowStride)
        }
    }
}

@inline(__always)
private func floats<Scalar>(_ p: UnsafePointer<Scalar>) -> UnsafePointer<Float> {
    UnsafeRawPointer(p).assumingMemoryBound(to: Float.self)
}

@inline(__always)
private func floats<Scalar>(_ p: UnsafeMutablePointer<Scalar>) -> UnsafeMutablePointer<Float> {
    UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
}

/// Which kernel runs `Float` products.
enum ProductKernel {
    /// Whether the packed AVX-512 product runs: the processor reports every AVX-512 extension
    /// ``MatrixKernels`` is built for, and `SEQUENCEMODELS_PRODUCTS` is not `blas` (which forces
    /// OpenBLAS, to compare the two). Read once, from `/proc/cpuinfo`.
    static let packed: Bool = {
        #if arch(x86_64) && os(Linux)
        if let choice = getenv("SEQUENCEMODELS_PRODUCTS"), String(cString: choice) == "blas" { return false }
        guard let file = fopen("/proc/cpuinfo", "r") else { return false }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>? = nil, capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0 {
            let text = String(cString: line!)
            guard text.hasPrefix("flags") else { continue }
            let flags = Set(text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }))
            return ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy { flags.contains($0) }
        }
        return false
        #else
        return false
        #endif
    }()
}
