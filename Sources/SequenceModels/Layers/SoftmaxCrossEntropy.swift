/// How a loss over N examples is reduced to one number. For no reduction, each loss has an
/// `unreduced` function that returns the N losses themselves.
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

    /// The reduced loss and its gradient with respect to the logits, `[N, V]`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func callAsFunction<Scalar>(_ logits: Matrix<Scalar>, targets: [Int]) -> (loss: Scalar, gradient: Matrix<Scalar>) {
        let (losses, gradient) = Self.unreduced(logits, targets: targets)
        let scale: Scalar = reduction == .mean ? 1 / Scalar(max(logits.rows, 1)) : 1
        return (losses.reduce(0, +) * scale, gradient * scale)
    }

    /// No reduction: the N losses −log p(y_n), and the gradient of each with respect to its own row of logits.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func unreduced<Scalar>(_ logits: Matrix<Scalar>, targets: [Int]) -> (losses: [Scalar], gradient: Matrix<Scalar>) {
        require(targets.count == logits.rows, "cross-entropy: \(targets.count) targets for logits of shape \(logits.shape)")
        var (gradient, logSumExp) = softmaxAndLogSumExp(logits)
        let losses = targets.enumerated().map { n, target -> Scalar in
            require(target >= 0 && target < logits.columns, "cross-entropy: target \(target) is outside 0..<\(logits.columns)")
            gradient[n, target] -= 1                                       // softmax(z) − onehot(y)
            // −log softmax(z)[y] = logsumexp(z) − z_y, stable because the largest logit was taken out first.
            return logSumExp[n] - logits[n, target]
        }
        return (losses, gradient)
    }
}
