/// Stochastic gradient descent: θ ← θ − η ∇θ.
public struct SGD<Scalar: MatrixScalar>: Sendable {
    public var learningRate: Scalar

    public init(learningRate: Scalar) { self.learningRate = learningRate }

    /// Updates `parameters` in place from `gradients`, which must match them one to one.
    public mutating func step(_ parameters: inout [Matrix<Scalar>], _ gradients: [Matrix<Scalar>]) {
        requireMatching(parameters, gradients)
        for k in parameters.indices { parameters[k].add(gradients[k], scaledBy: -learningRate) }
    }
}

/// Adagrad: each parameter's step is divided by the root of its summed squared gradients.
public struct Adagrad<Scalar: MatrixScalar>: Sendable {
    public var learningRate: Scalar
    public var epsilon: Scalar = 1e-8
    private var sumOfSquares: [Matrix<Scalar>] = []

    public init(learningRate: Scalar) { self.learningRate = learningRate }

    public mutating func step(_ parameters: inout [Matrix<Scalar>], _ gradients: [Matrix<Scalar>]) {
        requireMatching(parameters, gradients)
        if sumOfSquares.isEmpty { sumOfSquares = parameters.map { .zeros($0.rows, $0.columns) } }
        for k in parameters.indices {
            sumOfSquares[k] += gradients[k] * gradients[k]
            parameters[k] -= learningRate * gradients[k] / sumOfSquares[k].map { $0.squareRoot() + epsilon }
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
    private var firstMoments: [Matrix<Scalar>] = []
    private var secondMoments: [Matrix<Scalar>] = []
    private var stepCount = 0

    public init(learningRate: Scalar) { self.learningRate = learningRate }

    /// One update. Complexity: O(number of parameters), with no temporary matrices.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func step(_ parameters: inout [Matrix<Scalar>], _ gradients: [Matrix<Scalar>]) {
        requireMatching(parameters, gradients)
        if firstMoments.isEmpty {
            firstMoments = parameters.map { .zeros($0.rows, $0.columns) }
            secondMoments = firstMoments
        }
        stepCount += 1
        let correction1 = 1 - Scalar.pow(beta1, Scalar(stepCount))
        let correction2 = 1 - Scalar.pow(beta2, Scalar(stepCount))
        let (b1, b2, eps, rate) = (beta1, beta2, epsilon, learningRate)
        for k in parameters.indices {
            let count = parameters[k].scalars.count
            gradients[k].scalars.withUnsafeBufferPointer { g in
            firstMoments[k].scalars.withUnsafeMutableBufferPointer { m in
            secondMoments[k].scalars.withUnsafeMutableBufferPointer { v in
            parameters[k].scalars.withUnsafeMutableBufferPointer { theta in
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

func requireMatching<Scalar>(_ parameters: [Matrix<Scalar>], _ gradients: [Matrix<Scalar>]) {
    require(parameters.map(\.shape) == gradients.map(\.shape),
            "optimizer: parameter shapes \(parameters.map(\.shape)) and gradient shapes \(gradients.map(\.shape)) differ")
}

