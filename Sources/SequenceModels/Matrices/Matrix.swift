/// A dense matrix of `rows × columns` scalars, stored row by row.
///
/// Row-major storage matches PyTorch's, so a batch of `B` vectors of size `D` is a
/// `[B, D]` matrix whose row `b` is example `b`. Value semantics: copies share storage
/// until one of them is written (copy-on-write, through `Array`).
public struct Matrix<Scalar: MatrixScalar>: Equatable, Sendable {
    /// Number of rows.
    public private(set) var rows: Int
    /// Number of columns.
    public private(set) var columns: Int
    /// The scalars in row-major order: element `(r, c)` is at `r * columns + c`.
    public internal(set) var scalars: [Scalar]

    /// The shape as `[rows, columns]`, the form used in every error message.
    public var shape: [Int] { [rows, columns] }

    /// Creates a matrix from row-major scalars.
    public init(rows: Int, columns: Int, scalars: [Scalar]) {
        require(rows >= 0 && columns >= 0, "a matrix cannot have shape [\(rows), \(columns)]")
        require(scalars.count == rows * columns,
                     "\(scalars.count) scalars cannot fill a matrix of shape [\(rows), \(columns)]")
        self.rows = rows
        self.columns = columns
        self.scalars = scalars
    }

    /// Creates a matrix with every element equal to `value`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public init(rows: Int, columns: Int, repeating value: Scalar = 0) {
        self.init(rows: rows, columns: columns,
                  scalars: Array(repeating: value, count: rows * columns))
    }

    /// Creates a matrix from nested rows, such as `[[1, 2], [3, 4]]`.
    public init(_ nestedRows: [[Scalar]]) {
        let columns = nestedRows.first?.count ?? 0
        require(nestedRows.allSatisfy { $0.count == columns },
                     "every row of a matrix literal needs \(columns) elements")
        self.init(rows: nestedRows.count, columns: columns, scalars: nestedRows.flatMap { $0 })
    }

    /// A `[rows, columns]` matrix of zeros.
    public static func zeros(_ rows: Int, _ columns: Int) -> Matrix {
        Matrix(rows: rows, columns: columns)
    }

    /// The identity matrix `[n, n]`: ones on the diagonal.
    public static func identity(_ n: Int) -> Matrix {
        var result = Matrix(rows: n, columns: n)
        for i in 0..<n { result.scalars[i * n + i] = 1 }
        return result
    }

    /// A `[1, n]` row vector.
    public init(row: [Scalar]) {
        self.init(rows: 1, columns: row.count, scalars: row)
    }

    /// Element `(row, column)`.
    public subscript(row: Int, column: Int) -> Scalar {
        get {
            require(row >= 0 && row < rows && column >= 0 && column < columns,
                         "index (\(row), \(column)) is outside a matrix of shape \(shape)")
            return scalars[row * columns + column]
        }
        set {
            require(row >= 0 && row < rows && column >= 0 && column < columns,
                         "index (\(row), \(column)) is outside a matrix of shape \(shape)")
            scalars[row * columns + column] = newValue
        }
    }

    /// Row `r` as an array.
    public func row(_ r: Int) -> [Scalar] {
        require(r >= 0 && r < rows, "row \(r) is outside a matrix of shape \(shape)")
        return Array(scalars[r * columns ..< (r + 1) * columns])
    }

    /// The same scalars read as a `[rows, columns]` matrix.
    public func reshaped(_ rows: Int, _ columns: Int) -> Matrix {
        require(rows * columns == scalars.count, "cannot reshape \(shape) to [\(rows), \(columns)]")
        return Matrix(rows: rows, columns: columns, scalars: scalars)
    }

    /// Converts every scalar to another precision.
    public func converted<Other: MatrixScalar>(to _: Other.Type = Other.self) -> Matrix<Other> {
        Matrix<Other>(rows: rows, columns: columns, scalars: scalars.map { Other($0) })
    }
}

extension Matrix: CustomStringConvertible {
    /// The matrix printed row by row, with 4 decimals, as the lessons show it.
    public var description: String {
        formatted(decimals: 4)
    }

    /// The matrix printed row by row with a fixed number of decimals.
    public func formatted(decimals: Int) -> String {
        let cells = scalars.map { formatScalar($0, decimals: decimals) }
        let width = cells.map(\.count).max() ?? 0
        var lines: [String] = []
        for r in 0..<rows {
            let line = (0..<columns).map { c -> String in
                let cell = cells[r * columns + c]
                return String(repeating: " ", count: width - cell.count) + cell
            }
            lines.append("[" + line.joined(separator: " ") + "]")
        }
        return lines.isEmpty ? "[]" : lines.joined(separator: "\n")
    }
}

/// Formats `x` with a fixed number of decimals, without Foundation, so output is the same everywhere.
public func formatScalar<S: BinaryFloatingPoint>(_ x: S, decimals: Int) -> String {
    let value = Double(x)
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded(.toNearestOrEven)
    if scaled >= 9.0e15 { return String(value) }
    let integer = UInt64(scaled)
    let whole = integer / UInt64(scale)
    var fraction = String(integer % UInt64(scale))
    fraction = String(repeating: "0", count: max(0, decimals - fraction.count)) + fraction
    let sign = (value < 0 && integer != 0) ? "-" : ""
    return decimals == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
}

/// Formats a fraction as a percentage, `0.875` as `87.5%`, for prose and tables.
public func percent<S: BinaryFloatingPoint>(_ fraction: S, decimals: Int = 1) -> String {
    formatScalar(Double(fraction) * 100, decimals: decimals) + "%"
}
