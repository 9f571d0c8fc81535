#if canImport(Glibc)
import Glibc
#endif

/// The log-power spectrogram: how much energy a signal has at each frequency, frame by frame.
///
/// The signal is cut into windowed frames of N samples every H samples (`Framing`), each frame's power spectrum
/// |X_f[k]|² is taken by the FFT (N/2 + 1 bins, bin k at k·r/N Hz for a sample rate r), neighbouring bins are averaged
/// into B bands (`bands`), and the log is taken: S[f, b] = log₁₀(mean of |X_f[k]|² over band b's bins + ε).
/// The result is `[F, B]`: one row per frame, time-major like every sequence in this library.
public enum Spectrogram {
    /// The power spectra of `signal`'s frames, `[F, N/2 + 1]`. The frame length must be a power of two.
    public static func power(_ signal: [Double], frameLength: Int, hop: Int, window: [Double]) -> Matrix<Double> {
        let frames = Framing.frames(signal, length: frameLength, hop: hop, window: window)
        let fft = FFT(length: frameLength), bins = frameLength / 2 + 1
        var power = [Double](repeating: 0, count: frames.rows * bins)
        for f in 0..<frames.rows {
            let spectrum = fft.powerSpectrum(Array(frames.scalars[f * frameLength..<(f + 1) * frameLength]))
            power.replaceSubrange(f * bins..<(f + 1) * bins, with: spectrum)
        }
        return Matrix(rows: frames.rows, columns: bins, scalars: power)
    }

    /// Averages the K columns (bins) of `power` into `count` bands of equal width: band b covers bins
    /// ⌊bK/count⌋ ..< ⌊(b+1)K/count⌋. `[F, K]` → `[F, count]`.
    public static func bands(_ power: Matrix<Double>, count: Int) -> Matrix<Double> {
        let bins = power.columns
        require(count > 0 && count <= bins, "spectrogram: \(count) bands from \(bins) bins")
        var out = [Double](repeating: 0, count: power.rows * count)
        for b in 0..<count {
            let (low, high) = (b * bins / count, (b + 1) * bins / count)
            for f in 0..<power.rows {
                var sum = 0.0
                for k in low..<high { sum += power.scalars[f * bins + k] }
                out[f * count + b] = sum / Double(high - low)
            }
        }
        return Matrix(rows: power.rows, columns: count, scalars: out)
    }

    /// The log-power spectrogram `[F, bands]`: Hann-windowed frames of `frameLength` samples every `hop`, power by
    /// the FFT, averaged into `bands` equal-width bands, then log₁₀(· + `floor`).
    public static func logPower(_ signal: [Double], frameLength: Int, hop: Int, bands count: Int,
                                floor: Double = 1e-10) -> Matrix<Float> {
        let power = bands(power(signal, frameLength: frameLength, hop: hop, window: Window.hann(frameLength)), count: count)
        return Matrix<Float>(rows: power.rows, columns: power.columns, scalars: power.scalars.map { Float(log10($0 + floor)) })
    }

    /// The same for samples as `WAV` holds them.
    public static func logPower(_ signal: [Float], frameLength: Int, hop: Int, bands count: Int,
                                floor: Double = 1e-10) -> Matrix<Float> {
        logPower(signal.map(Double.init), frameLength: frameLength, hop: hop, bands: count, floor: floor)
    }
}
