#if canImport(Glibc)
import Glibc
#endif

/// Window functions, which taper a frame to zero at its ends before a Fourier transform.
///
/// Cutting a frame out of a signal multiplies it by a rectangle; its sharp edges spread a pure tone's energy over
/// many frequency bins ("leakage"). A smooth window that goes to zero at both ends spreads it far less.
public enum Window {
    /// The periodic Hann window of length N: w[n] = 0.5 − 0.5 cos(2πn/N), n = 0 … N−1 (w[0] = 0, w[N/2] = 1),
    /// the form used for spectral analysis (`scipy.signal.get_window("hann", N)`, `torch.hann_window(N)`).
    public static func hann(_ length: Int) -> [Double] {
        (0..<length).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(length)) }
    }
}
