/// The hyperbolic tangent of every element.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func tanh<Scalar>(_ m: Matrix<Scalar>) -> Matrix<Scalar> { m.map(Scalar.tanh) }

/// The logistic sigmoid σ(x) = 1 / (1 + e^(−x)) of every element, computed without overflow.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func sigmoid<Scalar>(_ m: Matrix<Scalar>) -> Matrix<Scalar> { m.map(sigmoid) }

/// The logistic sigmoid of one scalar; for x < 0 it uses e^x / (1 + e^x) so e^(−x) never overflows.
@inlinable
public func sigmoid<Scalar: MatrixScalar>(_ x: Scalar) -> Scalar {
    if x >= 0 { return 1 / (1 + Scalar.exp(-x)) }
    let e = Scalar.exp(x)
    return e / (1 + e)
}

/// max(0, x) for every element.
public func relu<Scalar>(_ m: Matrix<Scalar>) -> Matrix<Scalar> { m.map { max(0, $0) } }

/// The exponential of every element.
public func exp<Scalar>(_ m: Matrix<Scalar>) -> Matrix<Scalar> { m.map(Scalar.exp) }

/// The natural logarithm of every element.
public func log<Scalar>(_ m: Matrix<Scalar>) -> Matrix<Scalar> { m.map(Scalar.log) }

/// The softmax of each row: `exp(z − max z) / Σ exp(z − max z)`.
///
/// Subtracting the row maximum changes nothing mathematically and keeps `exp` from
/// overflowing. Input and output are `[B, V]`; every output row sums to 1.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func softmax<Scalar>(_ logits: Matrix<Scalar>) -> Matrix<Scalar> {
    softmaxAndLogSumExp(logits).probabilities
}

/// The softmax of each row, and each row's log Σ exp(z), which cross-entropy needs.
///
/// One exponential per element, in a loop of its own so that it vectorises. Complexity: O(B·V).
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func softmaxAndLogSumExp<Scalar>(_ logits: Matrix<Scalar>) -> (probabilities: Matrix<Scalar>, logSumExp: [Scalar]) {
    var result = logits
    var logSumExp = [Scalar](repeating: 0, count: logits.rows)
    let columns = logits.columns
    result.scalars.withUnsafeMutableBufferPointer { p in
        for r in 0..<logits.rows {
            let row = p.baseAddress! + r * columns
            var largest = -Scalar.infinity
            for c in 0..<columns { largest = max(largest, row[c]) }
            for c in 0..<columns { row[c] = Scalar.fastExp(row[c] - largest) }
            var total: Scalar = 0
            for c in 0..<columns { total += row[c] }
            for c in 0..<columns { row[c] /= total }
            logSumExp[r] = largest + Scalar.log(total)
        }
    }
    return (result, logSumExp)
}
