/// Clips every gradient element to [−maxValue, maxValue]: g ← maxValue · sign(g) when |g| > maxValue.
public func clipByValue<Scalar>(_ gradients: inout Parameters<Scalar>, maxValue: Scalar) {
    require(maxValue > 0, "clipByValue: maxValue must be positive, got \(maxValue)")
    gradients = gradients.mapValues { $0.map { min(max($0, -maxValue), maxValue) } }
}

/// The norm of all gradients taken together, √(Σ g²) over every element of every matrix.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func globalNorm<Scalar>(_ gradients: Parameters<Scalar>) -> Scalar {
    var sumOfSquares: Scalar = 0
    for gradient in gradients {
        gradient.scalars.withUnsafeBufferPointer { g in
            // Sixteen running sums, one per lane, so that the loop runs on vectors; added up at the end.
            var lanes = SIMD16<Scalar>()
            var j = 0
            while j + 16 <= g.count {
                let x = UnsafeRawPointer(g.baseAddress! + j).loadUnaligned(as: SIMD16<Scalar>.self)
                lanes.addProduct(x, x)
                j += 16
            }
            sumOfSquares += lanes.sum()
            while j < g.count { sumOfSquares += g[j] * g[j]; j += 1 }
        }
    }
    return sumOfSquares.squareRoot()
}

/// Scales all gradients by min(1, maxNorm / (norm + 1e-6)), exactly as PyTorch's `clip_grad_norm_`.
///
/// The direction of the update is kept; only its length is capped. Returns the norm before clipping.
@discardableResult
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func clipByGlobalNorm<Scalar>(_ gradients: inout Parameters<Scalar>, maxNorm: Scalar) -> Scalar {
    let norm = globalNorm(gradients)
    let coefficient = maxNorm / (norm + 1e-6)
    if coefficient < 1 {
        for k in gradients.matrices.indices { gradients.matrices[k] = gradients.matrices[k] * coefficient }
    }
    return norm
}
