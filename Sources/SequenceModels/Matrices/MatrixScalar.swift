@_implementationOnly import COpenBLAS
#if canImport(Glibc)
import Glibc
#endif

/// A floating-point type a ``Matrix`` can hold: `Float` for fast training, `Double` for gradient checks.
///
/// Besides arithmetic, a scalar knows the elementary functions the layers need and how to
/// call the BLAS matrix product of its precision (`sgemm` or `dgemm`).
public protocol MatrixScalar: BinaryFloatingPoint, SIMDScalar, Codable, Sendable, CustomStringConvertible
where Self.RawSignificand: FixedWidthInteger {
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self
    static func pow(_ x: Self, _ y: Self) -> Self

    /// σ(x) and tanh(x) for the gate loops. `Float` uses branch-free approximations that the compiler
    /// vectorises, with a relative error below 3e-7 (2.5 units in the last place) for every input,
    /// tiny ones included (tested against the C library's `tanhf`); `Double`, used for gradient checks,
    /// calls the C library.
    static func gateSigmoid(_ x: Self) -> Self
    static func gateTanh(_ x: Self) -> Self
    /// e^x for loops that must vectorise (softmax): the same approximation for `Float`, the C library's for `Double`.
    static func fastExp(_ x: Self) -> Self

    /// `C ← alpha · op(A) · op(B) + beta · C`, all row-major; `op` transposes when asked.
    ///
    /// `A` is `[m, k]` after `op`, `B` is `[k, n]` after `op`, and `C` is `[m, n]`.
    /// Complexity: O(m·n·k).
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
}

@inline(__always)
private func blasTranspose(_ flag: Bool) -> CBLAS_TRANSPOSE {
    flag ? CblasTrans : CblasNoTrans
}

extension Float: MatrixScalar {
    public static func exp(_ x: Float) -> Float { expf(x) }
    public static func log(_ x: Float) -> Float { logf(x) }
    public static func tanh(_ x: Float) -> Float { tanhf(x) }
    public static func pow(_ x: Float, _ y: Float) -> Float { powf(x, y) }
    @inline(__always) public static func gateSigmoid(_ x: Float) -> Float { 1 / (1 + fastExp(-x)) }
    /// tanh(x): an odd polynomial near zero, where (e^{2x} − 1) / (e^{2x} + 1) would lose its digits to
    /// cancellation (1 − 2 / (e^{2x} + 1) returned 0 for 1e-8), and that formula elsewhere. Both are
    /// computed and one is selected, so that loops calling it still vectorise.
    @inline(__always) public static func gateTanh(_ x: Float) -> Float {
        // tanh x = x − x³/3 + 2x⁵/15 − 17x⁷/315 + 62x⁹/2835 − 1382x¹¹/155925 + 21844x¹³/6081075 − …:
        // for |x| < 0.5 the first omitted term is below 1e-7 of tanh x.
        let x2 = x * x
        var p: Float = 21844.0 / 6_081_075
        p = p * x2 - 1382.0 / 155_925
        p = p * x2 + 62.0 / 2835
        p = p * x2 - 17.0 / 315
        p = p * x2 + 2.0 / 15
        p = p * x2 - 1.0 / 3
        let nearZero = x + x * x2 * p
        let e = fastExp(2 * x)                        // (e − 1) / (e + 1): for |x| ≥ 0.5, e − 1 loses no digits
        let elsewhere = (e - 1) / (e + 1)
        return abs(x) < 0.5 ? nearZero : elsewhere
    }

    /// e^x with no branch and no trapping operation, so that loops calling it vectorise.
    ///
    /// x = n ln 2 + r with |r| ≤ ln 2 / 2; e^r by a degree-6 Taylor polynomial (error below 2e-8);
    /// 2^n written straight into the exponent bits. Adding 1.5·2²³ rounds x / ln 2 to an integer
    /// and leaves that integer in the low bits of the sum, where it is read without a conversion.
    /// Inputs are clamped to [−87, 88], where e^x stays a normal Float.
    @inline(__always)
    public static func fastExp(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -87), 88)
        let shifted = clamped * 1.442_695_04 + 12_582_912                 // 1.5·2²³ + round(x / ln 2)
        let n = shifted - 12_582_912
        let r = (clamped - n * 0.693_359_375) + n * 2.121_944_4e-4       // x − n ln 2, with ln 2 split as Cephes does
        var p: Float = 1.0 / 720
        p = (1.0 / 120 as Float).addingProduct(p, r)
        p = (1.0 / 24 as Float).addingProduct(p, r)
        p = (1.0 / 6 as Float).addingProduct(p, r)
        p = (0.5 as Float).addingProduct(p, r)
        p = (1 as Float).addingProduct(p, r)
        p = (1 as Float).addingProduct(p, r)
        let exponent = (shifted.bitPattern &- 0x4B40_0000 &+ 127) << 23    // n + 127, the biased exponent of 2^n
        return p * Float(bitPattern: exponent)
    }

    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if m == 1 && !transposeA {   // a row vector times a matrix: a matrix–vector product
            cblas_sgemv(CblasRowMajor, transposeB ? CblasNoTrans : CblasTrans, Int32(transposeB ? n : k),
                        Int32(transposeB ? k : n), alpha, b, Int32(ldb), a, 1, beta, c, 1)
            return
        }
        cblas_sgemm(CblasRowMajor, blasTranspose(transposeA), blasTranspose(transposeB),
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
                    beta, c, Int32(ldc))
    }
}

extension Double: MatrixScalar {
    public static func exp(_ x: Double) -> Double { Glibc.exp(x) }
    public static func log(_ x: Double) -> Double { Glibc.log(x) }
    public static func tanh(_ x: Double) -> Double { Glibc.tanh(x) }
    public static func pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
    @inline(__always) public static func gateSigmoid(_ x: Double) -> Double { sigmoid(x) }
    @inline(__always) public static func gateTanh(_ x: Double) -> Double { Glibc.tanh(x) }
    @inline(__always) public static func fastExp(_ x: Double) -> Double { Glibc.exp(x) }

    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        if m == 1 && !transposeA {
            cblas_dgemv(CblasRowMajor, transposeB ? CblasNoTrans : CblasTrans, Int32(transposeB ? n : k),
                        Int32(transposeB ? k : n), alpha, b, Int32(ldb), a, 1, beta, c, 1)
            return
        }
        cblas_dgemm(CblasRowMajor, blasTranspose(transposeA), blasTranspose(transposeB),
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
                    beta, c, Int32(ldc))
    }
}
