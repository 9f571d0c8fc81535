extension Matrix {
    /// Rows `range` as a `[range.count, columns]` matrix. Complexity: O(range.count·columns).
    public func rows(_ range: Range<Int>) -> Matrix {
        require(range.lowerBound >= 0 && range.upperBound <= rows,
                     "rows \(range) are outside a matrix of shape \(shape)")
        return Matrix(rows: range.count, columns: columns,
                      scalars: Array(scalars[range.lowerBound * columns ..< range.upperBound * columns]))
    }

    /// Columns `range` as a `[rows, range.count]` matrix: for example one gate's block.
    public func columns(_ range: Range<Int>) -> Matrix {
        require(range.lowerBound >= 0 && range.upperBound <= columns,
                     "columns \(range) are outside a matrix of shape \(shape)")
        return block(rows: 0 ..< rows, columns: range)
    }

    /// Writes `block` into columns starting at `start`: the inverse of ``columns(_:)``.
    public mutating func setColumns(from start: Int, to block: Matrix) {
        require(block.rows == rows && start >= 0 && start + block.columns <= columns,
                     "setColumns: block of shape \(block.shape) does not fit at column \(start) of \(shape)")
        setBlock(row: 0, column: start, to: block)
    }

    /// The `[rows.count, columns.count]` block at `rows`, `columns`: for example one head of one example.
    public func block(rows r: Range<Int>, columns c: Range<Int>) -> Matrix {
        require(r.lowerBound >= 0 && r.upperBound <= rows && c.lowerBound >= 0 && c.upperBound <= columns,
                "block: rows \(r) and columns \(c) are outside a matrix of shape \(shape)")
        var result = Matrix(rows: r.count, columns: c.count)
        guard !result.scalars.isEmpty else { return result }
        let width = columns
        result.scalars.withUnsafeMutableBufferPointer { out in
            scalars.withUnsafeBufferPointer { x in
                for k in 0..<r.count {        // one contiguous piece of each row
                    (out.baseAddress! + k * c.count).update(from: x.baseAddress! + (r.lowerBound + k) * width + c.lowerBound, count: c.count)
                }
            }
        }
        return result
    }

    /// Writes `block` with its top-left corner at (`row`, `column`): the inverse of ``block(rows:columns:)``.
    public mutating func setBlock(row: Int, column: Int, to block: Matrix) {
        require(row >= 0 && column >= 0 && row + block.rows <= rows && column + block.columns <= columns,
                "setBlock: \(block.shape) does not fit at (\(row), \(column)) of \(shape)")
        guard !block.scalars.isEmpty else { return }
        let width = columns
        scalars.withUnsafeMutableBufferPointer { out in
            block.scalars.withUnsafeBufferPointer { x in
                for k in 0..<block.rows {
                    (out.baseAddress! + (row + k) * width + column).update(from: x.baseAddress! + k * block.columns, count: block.columns)
                }
            }
        }
    }

    /// Joins matrices side by side: `[B, D₁] ‖ [B, D₂] → [B, D₁ + D₂]`.
    public static func concatenatingColumns(_ parts: [Matrix]) -> Matrix {
        let rows = parts.first?.rows ?? 0
        require(parts.allSatisfy { $0.rows == rows },
                     "concatenatingColumns: shapes \(parts.map(\.shape)) have different row counts")
        var result = Matrix(rows: rows, columns: parts.reduce(0) { $0 + $1.columns })
        var start = 0
        for part in parts {
            result.setColumns(from: start, to: part)
            start += part.columns
        }
        return result
    }

    /// Stacks matrices on top of each other: `[N₁, D] ; [N₂, D] → [N₁ + N₂, D]`.
    public static func concatenatingRows(_ parts: [Matrix]) -> Matrix {
        let columns = parts.first?.columns ?? 0
        require(parts.allSatisfy { $0.columns == columns },
                "concatenatingRows: shapes \(parts.map(\.shape)) have different column counts")
        return Matrix(rows: parts.reduce(0) { $0 + $1.rows }, columns: columns, scalars: parts.flatMap(\.scalars))
    }
}
