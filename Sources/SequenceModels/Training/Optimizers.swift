/// Stochastic gradient descent, with optional momentum, exactly as `torch.optim.SGD`:
///
///     θ ← θ − η g                                   without momentum (μ = 0)
///     v ← μ v + g,   θ ← θ − η v                    with momentum μ (v starts at 0)
///
/// The velocity v is a running sum of past gradients, each weighted by μ per step that has passed since:
/// directions in which the gradients agree speed up (by up to 1 / (1 − μ)), directions in which they alternate cancel.
public struct SGD<Scalar: MatrixScalar>: Sendable {
    public var learningRate: Scalar
    public var momentum: Scalar
    /// v of each parameter, under its name; empty until the first step with momentum.
    private var velocities: Parameters<Scalar> = [:]

    public init(learningRate: Scalar, momentum: Scalar = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
    }

    /// Updates `parameters` in place from `gradients`, which must have the same names, in the same order,
    /// with the same shapes; with momentum, so must the parameters of every later step.
    public mutating func step(_ parameters: inout Parameters<Scalar>, _ gradients: Parameters<Scalar>) {
        requireMatching(parameters, gradients, "SGD")
        guard momentum != 0 else {
            for k in parameters.matrices.indices { parameters.matrices[k].add(gradients.matrices[k], scaledBy: -learningRate) }
            return
        }
        if velocities.isEmpty { velocities = parameters.mapValues { .zeros($0.rows, $0.columns) } }
        requireMatching(parameters, state: velocities, "SGD")
        for k in parameters.matrices.indices {
            velocities.matrices[k] = momentum * velocities.matrices[k] + gradients.matrices[k]   // v ← μ v + g
            parameters.matrices[k].add(velocities.matrices[k], scaledBy: -learningRate)           // θ ← θ − η v
        }
    }
}

/// Adagrad: each parameter's step is divided by the root of its summed squared gradients.
public struct Adagrad<Scalar: MatrixScalar>: Sendable {
    public var learningRate: Scalar
    public var epsilon: Scalar = 1e-8
    /// Each parameter's summed squared gradients, under its name.
    private var sumOfSquares: Parameters<Scalar> = [:]

    public init(learningRate: Scalar) { self.learningRate = learningRate }

    /// Updates `parameters` in place from `gradients`, which must have the same names, in the same order,
    /// with the same shapes; so must the parameters of every later step.
    public mutating func step(_ parameters: inout Parameters<Scalar>, _ gradients: Parameters<Scalar>) {
        requireMatching(parameters, gradients, "Adagrad")
        if sumOfSquares.isEmpty { sumOfSquares = parameters.mapValues { .zeros($0.rows, $0.columns) } }
        requireMatching(parameters, state: sumOfSquares, "Adagrad")
        for k in parameters.matrices.indices {
            sumOfSquares.matrices[k] += gradients.matrices[k] * gradients.matrices[k]
            parameters.matrices[k] -= learningRate * gradients.matrices[k] / sumOfSquares.matrices[k].map { $0.squareRoot() + epsilon }
        }
    }
}

/// Adam (Kingma and Ba, 2015), exactly as `torch.optim.Adam` with its defaults.
///
///     m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²
///     θ ← θ − η · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
public struct Adam<Scalar: MatrixScalar>: Sendable {
    public var learningRate: Scalar
    public var beta1: Scalar = 0.9
    public var beta2: Scalar = 0.999
    public var epsilon: Scalar = 1e-8
    /// m and v of each parameter, under its name.
    private var firstMoments: Parameters<Scalar> = [:]
    private var secondMoments: Parameters<Scalar> = [:]
    private var stepCount = 0

    public init(learningRate: Scalar) { self.learningRate = learningRate }

    /// One update of `parameters` from `gradients`, which must have the same names, in the same order, with
    /// the same shapes; so must the parameters of every later step. Complexity: O(number of parameters), with
    /// no temporary matrices.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func step(_ parameters: inout Parameters<Scalar>, _ gradients: Parameters<Scalar>) {
        requireMatching(parameters, gradients, "Adam")
        if firstMoments.isEmpty {
            firstMoments = parameters.mapValues { .zeros($0.rows, $0.columns) }
            secondMoments = firstMoments
        }
        requireMatching(parameters, state: firstMoments, "Adam")
        stepCount += 1
        let correction1 = 1 - Scalar.pow(beta1, Scalar(stepCount))
        let correction2 = 1 - Scalar.pow(beta2, Scalar(stepCount))
        let (b1, b2, eps, rate) = (beta1, beta2, epsilon, learningRate)
        for k in parameters.matrices.indices {                 // the names agree, checked above
            let count = parameters.matrices[k].scalars.count
            gradients.matrices[k].scalars.withUnsafeBufferPointer { g in
            firstMoments.matrices[k].scalars.withUnsafeMutableBufferPointer { m in
            secondMoments.matrices[k].scalars.withUnsafeMutableBufferPointer { v in
            parameters.matrices[k].scalars.withUnsafeMutableBufferPointer { theta in
                // One pass that vectorises (the pointers are locals, so the compiler can check they do not
                // overlap); large matrices split across cores.
                Parallelism.forEachPart(count, parts: count >= 1 << 19 ? Parallelism.cores : 1) { part in
                    let (g, m, v, theta) = (g.baseAddress!, m.baseAddress!, v.baseAddress!, theta.baseAddress!)
                    for j in part {
                        let mean = b1 * m[j] + (1 - b1) * g[j], variance = b2 * v[j] + (1 - b2) * g[j] * g[j]
                        m[j] = mean
                        v[j] = variance
                        theta[j] -= rate * (mean / correction1) / ((variance / correction2).squareRoot() + eps)
                    }
                }
            }}}}
        }
    }
}

/// Stops unless `gradients` have `parameters`' names, in the same order, with the same shapes, naming the first
/// mismatch: a gradient is applied to the parameter of its own name, never to whichever stands in its place.
func requireMatching<Scalar>(_ parameters: Parameters<Scalar>, _ gradients: Parameters<Scalar>, _ optimizer: String) {
    gradients.requireMatching(parameters, "\(optimizer): the gradients do not match the parameters")
}

/// Stops unless `parameters` are those an optimizer's `state` (its moments, or its sums) was kept for.
func requireMatching<Scalar>(_ parameters: Parameters<Scalar>, state: Parameters<Scalar>, _ optimizer: String) {
    parameters.requireMatching(state, "\(optimizer): these parameters are not the ones its state was kept for")
}
