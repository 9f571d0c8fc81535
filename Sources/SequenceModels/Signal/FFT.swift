#if canImport(Glibc)
import Glibc
#endif

/// The discrete Fourier transform by the radix-2 fast Fourier transform (Cooley–Tukey), for lengths that are powers of two.
///
/// For x of length N, X[k] = Σₙ x[n] e^(−2πi·kn/N), k = 0 … N−1. The radix-2 algorithm splits x into its even and
/// odd samples, E and O, each of length N/2, so that X[k] = E[k] + e^(−2πi·k/N) O[k] and X[k + N/2] = E[k] − e^(−2πi·k/N) O[k]:
/// log₂N levels of N/2 such "butterflies", O(N log N) work where the sum as written is O(N²). This version works in
/// place: it reorders x by bit-reversed index, then combines blocks of length 2, 4, …, N.
///
/// An `FFT` is a plan for one length: it computes the twiddle factors e^(−2πi·k/N), k < N/2, once, so that a
/// spectrogram's thousands of frames share them.
public struct FFT: Sendable {
    /// The transform length N, a power of two.
    public let length: Int
    private let cosines: [Double], sines: [Double]

    public init(length: Int) {
        require(length > 0 && length & (length - 1) == 0, "FFT: the length \(length) is not a power of two")
        self.length = length
        cosines = (0..<max(length / 2, 1)).map { cos(-2 * Double.pi * Double($0) / Double(length)) }
        sines = (0..<max(length / 2, 1)).map { sin(-2 * Double.pi * Double($0) / Double(length)) }
    }

    /// The DFT of the complex signal `(real, imaginary)`, each of length N, in place.
    public func transform(real: inout [Double], imaginary: inout [Double]) {
        let n = length
        require(real.count == n && imaginary.count == n, "FFT: \(real.count) real and \(imaginary.count) imaginary parts for length \(n)")
        real.withUnsafeMutableBufferPointer { re in
            imaginary.withUnsafeMutableBufferPointer { im in
                // Bit-reversal permutation: element i goes to the index whose log₂N bits are i's reversed.
                var j = 0
                for i in 1..<max(n, 1) {
                    var bit = n >> 1
                    while j & bit != 0 { j ^= bit; bit >>= 1 }
                    j |= bit
                    if i < j { re.swapAt(i, j); im.swapAt(i, j) }
                }
                var size = 2
                while size <= n {
                    let half = size / 2, stride = n / size           // e^(−2πi·k/size) = twiddle k·(N/size)
                    for k in 0..<half {
                        let (wr, wi) = (cosines[k * stride], sines[k * stride])
                        var start = 0
                        while start < n {
                            let (e, o) = (start + k, start + k + half)
                            let tr = wr * re[o] - wi * im[o], ti = wr * im[o] + wi * re[o]
                            re[o] = re[e] - tr; im[o] = im[e] - ti
                            re[e] += tr; im[e] += ti
                            start += size
                        }
                    }
                    size <<= 1
                }
            }
        }
    }

    /// The power spectrum |X[k]|² of a real signal of length N for k = 0 … N/2 (the rest mirrors it): N/2 + 1 values.
    public func powerSpectrum(_ signal: [Double]) -> [Double] {
        var real = signal, imaginary = [Double](repeating: 0, count: signal.count)
        transform(real: &real, imaginary: &imaginary)
        return (0...length / 2).map { real[$0] * real[$0] + imaginary[$0] * imaginary[$0] }
    }

    /// The DFT in place, with a plan made for this call.
    public static func transform(real: inout [Double], imaginary: inout [Double]) {
        FFT(length: real.count).transform(real: &real, imaginary: &imaginary)
    }

    /// The power spectrum, with a plan made for this call.
    public static func powerSpectrum(_ signal: [Double]) -> [Double] {
        FFT(length: signal.count).powerSpectrum(signal)
    }
}
