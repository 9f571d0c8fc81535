#if canImport(Glibc)
import Glibc
#endif

/// The discrete Fourier transform by the radix-2 fast Fourier transform (Cooley–Tukey), for lengths that are powers of two.
///
/// For x of length N, X[k] = Σₙ x[n] e^(−2πi·kn/N), k = 0 … N−1. The radix-2 algorithm splits x into its even and
/// odd samples, E and O, each of length N/2, so that X[k] = E[k] + e^(−2πi·k/N) O[k] and X[k + N/2] = E[k] − e^(−2πi·k/N) O[k]:
/// log₂N levels of N/2 such "butterflies", O(N log N) work where the sum as written is O(N²). This version works in
/// place: it reorders x by bit-reversed index, then combines blocks of length 2, 4, …, N.
public enum FFT {
    /// The DFT of the complex signal `(real, imaginary)` in place; both arrays have the same power-of-two length.
    public static func transform(real: inout [Double], imaginary: inout [Double]) {
        let n = real.count
        require(imaginary.count == n, "FFT: \(n) real and \(imaginary.count) imaginary parts")
        require(n > 0 && n & (n - 1) == 0, "FFT: the length \(n) is not a power of two")
        // Bit-reversal permutation: element i goes to the index whose log₂N bits are i's reversed.
        var j = 0
        for i in 1..<max(n, 1) {
            var bit = n >> 1
            while j & bit != 0 { j ^= bit; bit >>= 1 }
            j |= bit
            if i < j { real.swapAt(i, j); imaginary.swapAt(i, j) }
        }
        var length = 2
        while length <= n {
            let angle = -2 * Double.pi / Double(length)
            for k in 0..<length / 2 {
                let (wr, wi) = (cos(angle * Double(k)), sin(angle * Double(k)))      // e^(−2πi·k/length)
                for start in stride(from: 0, to: n, by: length) {
                    let (e, o) = (start + k, start + k + length / 2)
                    let tr = wr * real[o] - wi * imaginary[o], ti = wr * imaginary[o] + wi * real[o]
                    real[o] = real[e] - tr; imaginary[o] = imaginary[e] - ti
                    real[e] += tr; imaginary[e] += ti
                }
            }
            length <<= 1
        }
    }

    /// The power spectrum |X[k]|² of a real signal for k = 0 … N/2 (the other half mirrors it): N/2 + 1 values.
    public static func powerSpectrum(_ signal: [Double]) -> [Double] {
        var real = signal, imaginary = [Double](repeating: 0, count: signal.count)
        transform(real: &real, imaginary: &imaginary)
        return (0...signal.count / 2).map { real[$0] * real[$0] + imaginary[$0] * imaginary[$0] }
    }
}
