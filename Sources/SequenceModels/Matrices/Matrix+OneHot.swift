extension Matrix {
    /// The column of the single 1 in each row, when every row is one-hot (one 1, zeros elsewhere); nil otherwise.
    ///
    /// A product with one-hot rows only picks rows of the other matrix, so the recurrent layers
    /// check their inputs with this and gather instead of multiplying. Complexity: O(rows·columns),
    /// stopping at the first row that is not one-hot.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func oneHotColumns() -> [Int]? {
        guard rows > 0 else { return nil }
        var ones = [Int]()
        ones.reserveCapacity(rows)
        return scalars.withUnsafeBufferPointer { x in
            for r in 0..<rows {
                var one = -1
                for c in 0..<columns {
                    let value = x[r * columns + c]
                    if value == 0 { continue }
                    if value != 1 || one >= 0 { return nil }
                    one = c
                }
                if one < 0 { return nil }
                ones.append(one)
            }
            return ones
        }
    }
}
