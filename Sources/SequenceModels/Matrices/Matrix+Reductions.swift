extension Matrix {
    /// The sum of all elements. Complexity: O(rows·columns).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func sum() -> Scalar { scalars.reduce(0, +) }

    /// The mean of all elements.
    public func mean() -> Scalar { sum() / Scalar(scalars.count) }

    /// The sum of each column, as a `[1, columns]` row: the gradient of a broadcast bias.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func columnSums() -> Matrix {
        var result = Matrix(rows: 1, columns: columns)
        result.scalars.withUnsafeMutableBufferPointer { total in
            scalars.withUnsafeBufferPointer { x in
                for r in 0..<rows {
                    let row = x.baseAddress! + r * columns
                    for c in 0..<columns { total[c] += row[c] }
                }
            }
        }
        return result
    }

    /// The sum of each row, as a `[rows, 1]` column.
    public func rowSums() -> Matrix {
        Matrix(rows: rows, columns: 1,
               scalars: (0..<rows).map { r in scalars[r * columns ..< (r + 1) * columns].reduce(0, +) })
    }

    /// The column index of the largest element of each row.
    public func argmaxPerRow() -> [Int] {
        (0..<rows).map { r in
            var best = 0
            for c in 1..<Swift.max(columns, 1) where scalars[r * columns + c] > scalars[r * columns + best] {
                best = c
            }
            return best
        }
    }

    /// The Frobenius norm √(Σ x²).
    public func norm() -> Scalar { (scalars.reduce(0) { $0 + $1 * $1 }).squareRoot() }
}
