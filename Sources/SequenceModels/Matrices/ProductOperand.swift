internal import MatrixPanels
internal import MatrixKernels
internal import MatrixKernelsAVX2
#if canImport(Glibc)
import Glibc
#endif

/// The right operand `op(B)` `[k, n]` of matrix products, prepared once for all the rows that will meet it.
///
/// B may be a block of a larger matrix (a gate's rows of W_hh, or some of its columns), read in place.
/// For `Float`, when the process's ``ProductKernel`` packs it (``ProductKernel/packs(rows:products:)``), it is
/// made into ``PackedPanels`` for ``MatrixKernels``' packed product: gathered into panels, O(k·n), once.
/// Otherwise it keeps the matrix and each product calls BLAS. A recurrence prepares W_hh once and uses it
/// at every step.
struct ProductOperand<Scalar: MatrixScalar>: Sendable {
    /// The matrix that holds B, and where B starts in its storage.
    let matrix: Matrix<Scalar>, offset: Int
    let transposed: Bool
    let packed: PackedPanels?
    /// k and n: the shape of `op(B)`.
    let rows: Int, columns: Int

    /// `op(B)` for the block `B = b[blockRows, blockColumns]` (all of `b` by default), which is `Bᵀ` when
    /// `transposed`, for `products` products that together meet `expectedRows` rows of A (a recurrence's
    /// W_hh: T products of B rows each); packed when the kernel gains from it (``ProductKernel/packs(rows:products:)``).
    init(_ b: Matrix<Scalar>, rows blockRows: Range<Int>? = nil, columns blockColumns: Range<Int>? = nil,
         transposed: Bool, expectedRows: Int, products: Int = 1) {
        let (blockRows, blockColumns) = (blockRows ?? 0..<b.rows, blockColumns ?? 0..<b.columns)
        require(blockRows.clamped(to: 0..<b.rows) == blockRows && blockColumns.clamped(to: 0..<b.columns) == blockColumns,
                "ProductOperand: block \(blockRows) × \(blockColumns) lies outside \(b.shape)")
        let offset = blockRows.lowerBound * b.columns + blockColumns.lowerBound
        (matrix, self.offset) = (b, offset)
        self.transposed = transposed
        let (k, n) = transposed ? (blockColumns.count, blockRows.count) : (blockRows.count, blockColumns.count)
        (rows, columns) = (k, n)
        if Self.isPacked(expectedRows: expectedRows, products: products), let width = ProductKernel.current.panelWidth, k > 0, n > 0 {
            packed = b.scalars.withUnsafeBufferPointer { storage in
                PackedPanels(UnsafeRawPointer(storage.baseAddress! + offset).assumingMemoryBound(to: Float.self),
                             rows: k, columns: n, rowStride: b.columns, transposed: transposed, panelWidth: width)
            }
        } else {
            packed = nil
        }
    }

    /// Whether an operand that `products` products meet, `expectedRows` rows of A in all, is packed: Float
    /// operands where the process's kernel packs (``ProductKernel/packs(rows:products:)``).
    static func isPacked(expectedRows: Int, products: Int) -> Bool {
        Scalar.self == Float.self && ProductKernel.current.packs(rows: expectedRows, products: products)
    }

    /// `c[m, n] += alpha · A[m, k] · op(B)`, where `A[i, r]` is at `a + i·rowStride + r·columnStride`.
    ///
    /// One of the strides must be 1 (A row-major, or A transposed). Single-threaded. Complexity: O(m·n·k).
    func addProduct(rows m: Int, _ a: UnsafePointer<Scalar>, rowStride: Int, columnStride: Int,
                    scaledBy alpha: Scalar = 1, into c: UnsafeMutablePointer<Scalar>, resultRowStride: Int) {
        guard m > 0, rows > 0, columns > 0 else { return }
        matrix.scalars.withUnsafeBufferPointer { b in
            if let packed {
                let product = ProductKernel.current == .avx512 ? addPackedProductAVX512 : addPackedProductAVX2
                product(m, floats(a), rowStride, columnStride, packed, unsafeBitCast(alpha, to: Float.self), floats(c), resultRowStride)
                return
            }
            let transposeA = columnStride != 1
            Scalar.gemm(transposeA: transposeA, transposeB: transposed, m: m, n: columns, k: rows, alpha: alpha,
                        a: a, lda: transposeA ? columnStride : max(rowStride, 1), b: b.baseAddress! + offset,
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

/// Which kernel runs `Float` products, chosen once for the process.
///
/// By default, the fastest measured: the packed product built for AVX-512 when the processor reports
/// every extension ``MatrixKernels`` is built for; else the packed product built for AVX2 with FMA, when
/// the processor has them, for the products that a recurrence repeats at every step, and OpenBLAS's
/// `sgemm` for the rest (``packs(rows:products:)``); else (arm64, older x86) OpenBLAS alone.
/// `SEQUENCEMODELS_PRODUCTS=avx512`, `avx2` or `blas` forces one, so that every path can be measured and
/// tested on a machine that has its instructions; forcing one the processor lacks stops the program with
/// a message that says so. `Double` products always call `dgemm`.
public enum ProductKernel: String, Sendable {
    case avx512, avx2, blas

    /// The kernel of this process. Read once, from `/proc/cpuinfo` and the environment.
    public static let current: ProductKernel = {
        let requested = getenv("SEQUENCEMODELS_PRODUCTS").map { String(cString: $0) }
        switch choose(requested: requested, processorFlags: processorFlags()) {
        case .success(let kernel): return kernel
        case .failure(let problem): fatalError(problem.message)
        }
    }()

    /// Whether B is packed for this kernel's product, when `products` products meet `rows` rows of A in all.
    ///
    /// AVX-512 packs whenever four rows or more will meet B. AVX2 packs only a recurrence's W_hh, which
    /// every step reads: packed once, it serves every step's product, where OpenBLAS packs W_hh again at
    /// every call. A single large product, where OpenBLAS packs once anyway, and the language model's
    /// head `[3200, 512] · [512, 65]` run faster on OpenBLAS than on the AVX2 build, so they stay there
    /// (measured: docs/performance.md).
    func packs(rows: Int, products: Int) -> Bool {
        switch self {
        case .avx512: rows >= 4
        case .avx2: products > 1 && rows >= 4
        case .blas: false
        }
    }

    /// The panel width of the packed product, or nil for OpenBLAS.
    var panelWidth: Int? {
        switch self {
        case .avx512: 16
        case .avx2: 8
        case .blas: nil
        }
    }

    struct Problem: Error { let message: String }

    /// The kernel for a `SEQUENCEMODELS_PRODUCTS` value (nil or empty: the fastest) on a processor with these flags.
    static func choose(requested: String?, processorFlags flags: Set<String>) -> Result<ProductKernel, Problem> {
        #if arch(x86_64)
        let has: [ProductKernel: Bool] = [.avx512: ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains),
                                          .avx2: flags.contains("avx2") && flags.contains("fma"), .blas: true]
        #else
        let has: [ProductKernel: Bool] = [.avx512: false, .avx2: false, .blas: true]
        #endif
        guard let requested, !requested.isEmpty else {
            return .success(has[.avx512]! ? .avx512 : has[.avx2]! ? .avx2 : .blas)
        }
        guard let kernel = ProductKernel(rawValue: requested) else {
            return .failure(Problem(message: "SEQUENCEMODELS_PRODUCTS=\(requested): expected avx512, avx2 or blas"))
        }
        guard has[kernel]! else {
            return .failure(Problem(message: "SEQUENCEMODELS_PRODUCTS=\(requested), but this processor does not have \(kernel == .avx512 ? "AVX-512" : "AVX2 and FMA")"))
        }
        return .success(kernel)
    }

    /// The words of the first `flags` line of `/proc/cpuinfo`; empty where there is none.
    static func processorFlags() -> Set<String> {
        #if os(Linux)
        guard let file = fopen("/proc/cpuinfo", "r") else { return [] }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>? = nil, capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0 {
            let text = String(cString: line!)
            guard text.hasPrefix("flags") else { continue }
            return Set(text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init))
        }
        #endif
        return []
    }
}
