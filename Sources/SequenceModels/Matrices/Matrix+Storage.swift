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
