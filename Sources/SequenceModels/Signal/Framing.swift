/// Framing: cutting a signal into short, overlapping, windowed frames, the first step of a spectrogram.
///
/// Frame f of a signal x, with frame length N, hop H and window w, is x[fH + n]·w[n] for n = 0 … N−1. Only whole
/// frames are kept, so a signal of L ≥ N samples gives F = ⌊(L − N)/H⌋ + 1 frames (none when L < N); the samples
/// after the last whole frame are dropped.
public enum Framing {
    /// The number of whole frames, ⌊(L − N)/H⌋ + 1, or 0 when the signal is shorter than a frame.
    public static func frameCount(sampleCount: Int, length: Int, hop: Int) -> Int {
        require(length > 0 && hop > 0, "framing: the frame length \(length) and hop \(hop) must be positive")
        return sampleCount < length ? 0 : (sampleCount - length) / hop + 1
    }

    /// The windowed frames of `signal`, `[F, N]`: row f is x[fH ..< fH + N] times `window` (length N).
    public static func frames(_ signal: [Double], length: Int, hop: Int, window: [Double]) -> Matrix<Double> {
        require(window.count == length, "framing: a window of \(window.count) samples for frames of \(length)")
        let count = frameCount(sampleCount: signal.count, length: length, hop: hop)
        var frames = Matrix<Double>.zeros(count, length)
        frames.scalars.withUnsafeMutableBufferPointer { out in
            for f in 0..<count {
                for n in 0..<length { out[f * length + n] = signal[f * hop + n] * window[n] }
            }
        }
        return frames
    }
}
