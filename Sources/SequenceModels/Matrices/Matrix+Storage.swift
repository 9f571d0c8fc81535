extension Matrix {
    /// Lends the storage of this matrix, which must not be empty, to `body` as a pointer to read.
    ///
    /// A loop over time reads and writes several matrices through raw pointers; each is lent by name,
    /// one scope inside the other: `inputs.withStorage { inputs in outputs.withMutableStorage { outputs in … } }`.
    func withStorage(_ body: (UnsafePointer<Scalar>) -> Void) {
        scalars.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// Lends the storage of this matrix, which must not be empty, to `body` as a pointer to write.
    mutating func withMutableStorage(_ body: (UnsafeMutablePointer<Scalar>) -> Void) {
        scalars.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }
}

extension Optional {
    /// The storage of the matrix, when there is one, as a pointer to read; nil when there is none
    /// (the cell state of a layer without one).
    func withStorage<Scalar>(_ body: (UnsafePointer<Scalar>?) -> Void) where Wrapped == Matrix<Scalar> {
        guard case .some(let matrix) = self else { return body(nil) }
        matrix.withStorage { body($0) }
    }

    /// The storage of the matrix, when there is one, as a pointer to write; nil when there is none.
    mutating func withMutableStorage<Scalar>(_ body: (UnsafeMutablePointer<Scalar>?) -> Void) where Wrapped == Matrix<Scalar> {
        guard case .some = self else { return body(nil) }
        self!.withMutableStorage { body($0) }
    }
}

extension Matrix {
    /// A `[rows, columns]` matrix whose every entry the caller writes before any is read: its storage is not zeroed.
    ///
    /// For the buffers a loop fills completely (a recurrence's cache, outputs and gate gradients), where
    /// zeroing first writes every entry twice, a cost that showed in a training step's time (measured:
    /// docs/performance.md). In debug builds, which the tests use, every entry starts as NaN instead, so
    /// that one left unwritten shows in every result computed from it.
    static func unfilled(_ rows: Int, _ columns: Int) -> Matrix {
        #if DEBUG
        return Matrix(rows: rows, columns: columns, repeating: .nan)
        #else
        let count = rows * columns
        return Matrix(rows: rows, columns: columns, scalars: [Scalar](unsafeUninitializedCapacity: count) { _, written in written = count })
        #endif
    }
}
