/// A corpus cut into training windows for truncated BPTT: inputs and next-token targets, `[T, B]` each.
///
/// The token stream is split into B equal streams that run side by side (column b of every
/// window continues column b of the previous one), so a model can carry its state from one
/// window to the next. Each window holds T steps, stored time-major: element `t·B + b`.
/// The targets are the inputs shifted by one token: x⟨t⟩ = y⟨t−1⟩ (teacher forcing).
public struct SequenceBatches: Sendable {
    /// One window: `inputs[t·B + b]` is followed by `targets[t·B + b]` in the corpus.
    public struct Window: Sendable, Equatable {
        public var inputs: [Int]
        public var targets: [Int]
        public var steps: Int
    }

    public let windows: [Window]
    public let batch: Int

    /// Cuts `tokens` into streams of `batch` and windows of at most `steps`. Trailing tokens that do
    /// not fill a stream are dropped.
    public init(tokens: [Int], batch: Int, steps: Int) {
        require(batch > 0 && steps > 0, "SequenceBatches: batch \(batch) and steps \(steps) must be positive")
        let streamLength = tokens.count / batch
        require(streamLength >= 2, "SequenceBatches: \(tokens.count) tokens are too few for \(batch) streams")
        self.batch = batch
        var windows: [Window] = []
        var start = 0
        while start < streamLength - 1 {
            let length = min(steps, streamLength - 1 - start)
            var inputs = [Int](), targets = [Int]()
            for t in 0..<length {
                for b in 0..<batch {
                    inputs.append(tokens[b * streamLength + start + t])
                    targets.append(tokens[b * streamLength + start + t + 1])
                }
            }
            windows.append(Window(inputs: inputs, targets: targets, steps: length))
            start += length
        }
        self.windows = windows
    }
}
