/// How a loss over N examples is reduced to what it returns.
public enum LossReduction: Sendable {
    /// The average over examples (PyTorch's default).
    case mean
    /// The total over examples: for a sequence, the loss summed over time steps.
    case sum
}

/// Softmax followed by cross-entropy, L = −log softmax(z)[y], computed stably from logits.
///
/// Logits are `[N, V]`, targets are N class indices. The reduction is always explicit.
/// The gradient with respect to the logits is (softmax(z) − onehot(y)), divided by N for `.mean`.
public struct SoftmaxCrossEntropy: Sendable {
    public var reduction: LossReduction

    public init(reduction: LossReduction) { self.reduction = reduction }

    /// The loss of every example, `[N]`, unreduced: −log p(y_n).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func perExample<Scalar>(_ logits: Matrix<Scalar>, targets: [Int]) -> [Scalar] {
        require(targets.count == logits.rows, "cross-entropy: \(targets.count) targets for logits of shape \(logits.shape)")
        return (0..<logits.rows).map { n in
            let row = logits.scalars[n * logits.columns ..< (n + 1) * logits.columns]
            let target = targets[n]
            require(target >= 0 && target < logits.columns, "cross-entropy: target \(target) is outside 0..<\(logits.columns)")
            let largest = row.max()!
            let logSumExp = largest + Scalar.log(row.reduce(0) { $0 + Scalar.exp($1 - largest) })
            return logSumExp - row[row.startIndex + target]
        }
    }

    /// The reduced loss and its gradient with respect to the logits, `[N, V]`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func callAsFunction<Scalar>(_ logits: Matrix<Scalar>, targets: [Int]) -> (loss: Scalar, gradient: Matrix<Scalar>) {
        let losses = Self.perExample(logits, targets: targets)
        let total = losses.reduce(0, +)
        let scale: Scalar = reduction == .mean ? 1 / Scalar(max(logits.rows, 1)) : 1
        var gradient = softmax(logits)
        for (n, target) in targets.enumerated() { gradient[n, target] -= 1 }   // softmax(z) − onehot(y)
        return (total * scale, gradient * scale)
    }
}
