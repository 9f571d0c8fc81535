/// The result of comparing an analytic gradient with centred finite differences.
public struct GradientCheckResult: Sendable, CustomStringConvertible {
    /// ‖analytic − numerical‖ / (‖analytic‖ + ‖numerical‖), over every checked element.
    public var relativeError: Double
    /// How many elements were perturbed.
    public var checkedElements: Int

    public var description: String {
        "relative error \(relativeError) over \(checkedElements) element(s)"
    }
}

/// Checks `analytic` gradients of `loss` with respect to `parameters` by centred differences.
///
/// For every element θ, the numerical derivative is (L(θ + ε) − L(θ − ε)) / 2ε, whose error is
/// O(ε²). The function compares the two gradients as whole vectors, with the relative error
/// ‖a − n‖ / (‖a‖ + ‖n‖), which is below 1e-7 for a correct backward pass in Double.
/// `analytic` names its gradients as `parameters` names the matrices, in the same order; `loss` reads
/// them by name, and may name inputs too: `["weight_ih": w, "x": x]`.
/// Complexity: two evaluations of `loss` per element.
public func checkGradients(
    of loss: (Parameters<Double>) -> Double, at parameters: Parameters<Double>,
    analytic: Parameters<Double>, epsilon: Double = 1e-5
) -> GradientCheckResult {
    analytic.requireMatching(parameters, "checkGradients: the gradients do not match the parameters")
    var probe = parameters
    var difference = 0.0, analyticNorm = 0.0, numericalNorm = 0.0, count = 0
    for k in parameters.matrices.indices {
        for j in parameters.matrices[k].scalars.indices {
            let original = probe.matrices[k].scalars[j]
            probe.matrices[k].scalars[j] = original + epsilon
            let plus = loss(probe)
            probe.matrices[k].scalars[j] = original - epsilon
            let minus = loss(probe)
            probe.matrices[k].scalars[j] = original
            let numerical = (plus - minus) / (2 * epsilon)
            let a = analytic.matrices[k].scalars[j]
            difference += (a - numerical) * (a - numerical)
            analyticNorm += a * a
            numericalNorm += numerical * numerical
            count += 1
        }
    }
    let denominator = analyticNorm.squareRoot() + numericalNorm.squareRoot()
    return GradientCheckResult(relativeError: denominator == 0 ? 0 : difference.squareRoot() / denominator,
                               checkedElements: count)
}
