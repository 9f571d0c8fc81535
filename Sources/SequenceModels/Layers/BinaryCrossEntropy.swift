/// Sigmoid followed by binary cross-entropy, computed stably from logits: for binary tagging.
///
/// For a logit z and a label y ∈ {0, 1}: L = −[y log σ(z) + (1 − y) log(1 − σ(z))]
/// = max(z, 0) − z·y + log(1 + e^(−|z|)), which never overflows. ∂L/∂z = σ(z) − y.
/// Logits and labels are `[N, K]`; the reduction is over all N·K entries.
public struct BinaryCrossEntropy: Sendable {
    public var reduction: LossReduction

    public init(reduction: LossReduction) { self.reduction = reduction }

    /// The reduced loss and its gradient with respect to the logits.
    public func callAsFunction<Scalar>(_ logits: Matrix<Scalar>, labels: Matrix<Scalar>) -> (loss: Scalar, gradient: Matrix<Scalar>) {
        let (losses, gradient) = Self.unreduced(logits, labels: labels)
        let scale: Scalar = reduction == .mean ? 1 / Scalar(max(logits.scalars.count, 1)) : 1
        return (losses.sum() * scale, gradient * scale)
    }

    /// No reduction: every entry's loss, `[N, K]`, and the gradient of each with respect to its own logit.
    public static func unreduced<Scalar>(_ logits: Matrix<Scalar>, labels: Matrix<Scalar>) -> (losses: Matrix<Scalar>, gradient: Matrix<Scalar>) {
        require(logits.shape == labels.shape, "binary cross-entropy: logits \(logits.shape) and labels \(labels.shape) differ")
        return (logits.zipMap(labels) { z, y in max(z, 0) - z * y + Scalar.log(1 + Scalar.exp(-abs(z))) },
                sigmoid(logits) - labels)
    }
}
