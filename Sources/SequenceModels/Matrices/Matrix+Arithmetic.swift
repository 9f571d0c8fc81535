extension Matrix {
    /// Stops with a message naming both shapes unless `self` and `other` have the same shape.
    @inline(__always)
    func requireSameShape(_ other: Matrix, _ operation: StaticString) {
        require(rows == other.rows && columns == other.columns,
                     "\(operation): shapes \(shape) and \(other.shape) differ")
    }

    /// Combines two same-shaped matrices element by element. Complexity: O(rows·columns).
    @inlinable
    public func zipMap(_ other: Matrix, _ combine: (Scalar, Scalar) -> Scalar) -> Matrix {
        require(rows == other.rows && columns == other.columns,
                     "element-wise operation: shapes \(shape) and \(other.shape) differ")
        var result = scalars
        result.withUnsafeMutableBufferPointer { out in
            other.scalars.withUnsafeBufferPointer { rhs in
                for i in out.indices { out[i] = combine(out[i], rhs[i]) }
            }
        }
        return Matrix(rows: rows, columns: columns, scalars: result)
    }

    /// Applies `transform` to every element. Complexity: O(rows·columns).
    @inlinable
    public func map(_ transform: (Scalar) -> Scalar) -> Matrix {
        var result = scalars
        result.withUnsafeMutableBufferPointer { out in
            for i in out.indices { out[i] = transform(out[i]) }
        }
        return Matrix(rows: rows, columns: columns, scalars: result)
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix { lhs.zipMap(rhs, +) }
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func - (lhs: Matrix, rhs: Matrix) -> Matrix { lhs.zipMap(rhs, -) }
    /// The element-wise (Hadamard) product `⊙`. The matrix product is ``matmul(_:_:transposeA:transposeB:)``.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix { lhs.zipMap(rhs, *) }
    public static func / (lhs: Matrix, rhs: Matrix) -> Matrix { lhs.zipMap(rhs, /) }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func * (lhs: Scalar, rhs: Matrix) -> Matrix { rhs.map { lhs * $0 } }
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func * (lhs: Matrix, rhs: Scalar) -> Matrix { lhs.map { $0 * rhs } }
    public static func + (lhs: Matrix, rhs: Scalar) -> Matrix { lhs.map { $0 + rhs } }
    public static func - (lhs: Scalar, rhs: Matrix) -> Matrix { rhs.map { lhs - $0 } }
    public static prefix func - (m: Matrix) -> Matrix { m.map { -$0 } }

    /// `self ← self + alpha · other`, in place (BLAS's axpy). Complexity: O(rows·columns).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func add(_ other: Matrix, scaledBy alpha: Scalar = 1) {
        requireSameShape(other, "add")
        scalars.withUnsafeMutableBufferPointer { out in
            other.scalars.withUnsafeBufferPointer { rhs in
                for i in out.indices { out[i] += alpha * rhs[i] }
            }
        }
    }

    public static func += (lhs: inout Matrix, rhs: Matrix) { lhs.add(rhs) }
    public static func -= (lhs: inout Matrix, rhs: Matrix) { lhs.add(rhs, scaledBy: -1) }

    /// Adds a `[1, columns]` row to every row: the broadcast of a bias over a batch.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func addingRow(_ bias: Matrix) -> Matrix {
        require(bias.rows == 1 && bias.columns == columns,
                     "broadcast add: bias of shape \(bias.shape) does not fit rows of shape \(shape)")
        var result = scalars
        result.withUnsafeMutableBufferPointer { out in
            bias.scalars.withUnsafeBufferPointer { b in
                for r in 0..<rows {
                    let base = r * columns
                    for c in 0..<columns { out[base + c] += b[c] }
                }
            }
        }
        return Matrix(rows: rows, columns: columns, scalars: result)
    }
}
