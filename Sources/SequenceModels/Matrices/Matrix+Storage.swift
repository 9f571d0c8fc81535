extension Matrix {
    /// Lends the storage of several matrices at once, for the length of `body`: `reading`'s as pointers to
    /// read and `writing`'s as pointers to write, each in the order given (nil for an empty matrix).
    ///
    /// One scope for all of them, where `withUnsafeBufferPointer` would nest one closure per matrix.
    static func lendingStorage<Result>(reading: [Matrix], writing: inout [Matrix],
                                       _ body: (_ reading: [UnsafePointer<Scalar>?], _ writing: [UnsafeMutablePointer<Scalar>?]) -> Result)
        -> Result {
        func lendReading(_ index: Int, _ read: [UnsafePointer<Scalar>?], _ written: [UnsafeMutablePointer<Scalar>?]) -> Result {
            guard index < reading.count else { return body(read, written) }
            return reading[index].scalars.withUnsafeBufferPointer { lendReading(index + 1, read + [$0.baseAddress], written) }
        }
        // Through the array's own buffer, so that lending one element is not an access to the others.
        return writing.withUnsafeMutableBufferPointer { matrices in
            func lendWriting(_ index: Int, _ written: [UnsafeMutablePointer<Scalar>?]) -> Result {
                guard index < matrices.count else { return lendReading(0, [], written) }
                return matrices[index].scalars.withUnsafeMutableBufferPointer { lendWriting(index + 1, written + [$0.baseAddress]) }
            }
            return lendWriting(0, [])
        }
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
