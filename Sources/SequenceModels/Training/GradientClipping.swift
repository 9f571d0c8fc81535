/// Clips every gradient element to [−maxValue, maxValue]: g ← maxValue · sign(g) when |g| > maxValue.
public func clipByValue<Scalar>(_ gradients: inout [Matrix<Scalar>], maxValue: Scalar) {
    require(maxValue > 0, "clipByValue: maxValue must be positive, got \(maxValue)")
    for k in gradients.indices { gradients[k] = gradients[k].map { min(max($0, -maxValue), maxValue) } }
}

/// The norm of all gradients taken together, √(Σ g²) over every element of every matrix.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func globalNorm<Scalar>(_ gradients: [Matrix<Scalar>]) -> Scalar {
    gradients.reduce(0) { total, g in total + g.scalars.reduce(0) { $0 + $1 * $1 } }.squareRoot()
}

/// Scales all gradients by min(1, maxNorm / (norm + 1e-6)), exactly as PyTorch's `clip_grad_norm_`.
///
/// The direction of the update is kept; only its length is capped. Returns the norm before clipping.
@discardableResult
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func clipByGlobalNorm<Scalar>(_ gradients: inout [Matrix<Scalar>], maxNorm: Scalar) -> Scalar {
    let norm = globalNorm(gradients)
    let coefficient = maxNorm / (norm + 1e-6)
    if coefficient < 1 {
        for k in gradients.indices { gradients[k] = gradients[k] * coefficient }
    }
    return norm
}
