/// Token sequences of different lengths in one batch: padded at the end to the longest, T, and laid out
/// time-major, as ``RecurrentLayer/forward(_:batch:lengths:initialState:)`` reads them.
///
///     sequences  [[5, 6, 7], [8, 9]]      B = 2, T = 3, lengths [3, 2]
///     tokens     [5, 8,  6, 9,  7, pad]   row t·B + b is example b's token t; pad where t ≥ L_b
///
/// Run a layer on `embedding(batch.tokens)` `[T·B, D]` with `lengths: batch.lengths`; then
/// `outputs.rows(at: batch.lastStepRows)` `[B, H]` are the outputs of each example's true last step, and
/// `matmul(batch.averagingMatrix(), inputs)` `[B, D]` is the mean of each example's rows over its true length.
public struct PaddedBatch: Sendable, Equatable {
    /// The token ids, time-major, `[T·B]`: row t·B + b is example b's token t, or `padding` when t ≥ L_b.
    public let tokens: [Int]
    /// Each example's true length L_b, 1…T, `[B]`.
    public let lengths: [Int]
    /// B, the number of sequences.
    public let batch: Int
    /// T, the padded length.
    public let steps: Int

    /// Pads `sequences` (each at least one token) with `padding` to `steps`, or to the longest when `steps` is nil.
    public init(_ sequences: [[Int]], padding: Int = 0, steps: Int? = nil) {
        require(!sequences.isEmpty, "PaddedBatch: no sequences")
        require(sequences.allSatisfy { !$0.isEmpty }, "PaddedBatch: every sequence needs at least one token")
        let longest = sequences.map(\.count).max()!
        let steps = steps ?? longest
        require(steps >= longest, "PaddedBatch: a sequence of \(longest) tokens does not fit in \(steps) steps")
        var tokens = [Int](repeating: padding, count: steps * sequences.count)
        for (b, sequence) in sequences.enumerated() {
            for (t, token) in sequence.enumerated() { tokens[t * sequences.count + b] = token }
        }
        self.tokens = tokens
        self.lengths = sequences.map(\.count)
        self.batch = sequences.count
        self.steps = steps
    }

    /// The row of each example's true last step in a time-major `[T·B, n]` matrix, (L_b − 1)·B + b, `[B]`.
    public var lastStepRows: [Int] { lengths.enumerated().map { b, length in (length - 1) * batch + b } }

    /// A `[B, T·B]` matrix A with A[b, t·B + b] = 1 / L_b for t < L_b and zeros elsewhere: A·X is the mean of
    /// each example's true rows of a time-major X `[T·B, n]`, padding left out, and Aᵀ·G spreads a gradient
    /// `[B, n]` on the means back over those rows.
    public func averagingMatrix<Scalar: MatrixScalar>(as _: Scalar.Type = Scalar.self) -> Matrix<Scalar> {
        var result = Matrix<Scalar>.zeros(batch, steps * batch)
        for (b, length) in lengths.enumerated() {
            for t in 0..<length { result.scalars[b * steps * batch + t * batch + b] = 1 / Scalar(length) }
        }
        return result
    }
}

extension Matrix {
    /// The rows at `indices`, in that order, as a `[indices.count, columns]` matrix: a gather. Complexity: O(indices.count·columns).
    public func rows(at indices: [Int]) -> Matrix {
        var result = Matrix(rows: indices.count, columns: columns)
        for (n, r) in indices.enumerated() {
            require(r >= 0 && r < rows, "row \(r) is outside a matrix of shape \(shape)")
            result.scalars.replaceSubrange(n * columns ..< (n + 1) * columns, with: scalars[r * columns ..< (r + 1) * columns])
        }
        return result
    }

    /// A `[rows, columns]` matrix of zeros with row `indices[n]` set to row n of `self`: the gradient of ``rows(at:)``
    /// (rows named twice receive the sum).
    public func scattered(toRows indices: [Int], of rows: Int) -> Matrix {
        require(indices.count == self.rows, "scattered: \(indices.count) indices for \(self.rows) rows")
        var result = Matrix.zeros(rows, columns)
        for (n, r) in indices.enumerated() {
            require(r >= 0 && r < rows, "row \(r) is outside \(rows) rows")
            for j in 0..<columns { result.scalars[r * columns + j] += scalars[n * columns + j] }
        }
        return result
    }
}
