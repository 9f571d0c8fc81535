/// The right operand `B [k, n]` of MatrixKernels' `addPackedProduct`, as the product reads it: in panels
/// one register wide (16 columns with AVX-512, 8 with AVX2).
///
/// The product reads a panel one row at a time, one register per row. Each panel is gathered here, once,
/// into rows w floats apart, for a panel width w, and the last ones padded with zeros to a whole tile:
///
///     packed panel p, row r  ←  B[r, w·p ..< w·p + w]        at offset (p·k + r)·w
///
/// Read in place instead, a row-major B's panel would have its rows `ldb` floats apart: with a power of
/// two such as 2048, every row of a panel falls in the same set of the level-1 cache, which then holds
/// eight of the 256 rows a block needs, and a 2048³ product ran at 53–72 GFLOP/s against 75–87 packed.
/// Packing costs O(k·n) and pays for itself when B meets many rows of A: all the rows of a large
/// product, or the same W_hh at every step of a recurrence.
public struct PackedPanels: Sendable {
    /// Columns per panel: the floats in one register of the product that will read them.
    public let panelWidth: Int
    /// Columns per tile of the product: two panels.
    @inlinable public var tileColumns: Int { 2 * panelWidth }

    /// The rows of B, k.
    public let rows: Int
    /// The columns of B, n.
    public let columns: Int
    /// The panels, padded with zeros to whole tiles.
    public let storage: [Float]

    /// Packs `B`, or `Bᵀ` when `transposed`, from row-major storage at `b` whose rows are `rowStride` apart.
    ///
    /// - Parameters:
    ///   - rows: k, the rows of the operand after any transpose.
    ///   - columns: n, the columns of the operand after any transpose.
    ///   - transposed: whether `b` holds the operand's transpose, `[n, k]`.
    ///   - panelWidth: the floats in one register of the product: 16 for AVX-512, 8 for AVX2.
    public init(_ b: UnsafePointer<Float>, rows k: Int, columns n: Int, rowStride: Int, transposed: Bool, panelWidth width: Int) {
        let tile = 2 * width
        let panels = (n + tile - 1) / tile * 2
        panelWidth = width
        rows = k
        columns = n
        storage = [Float](unsafeUninitializedCapacity: panels * k * width) { packed, count in
            let base = packed.baseAddress!
            for panel in 0..<panels {
                let to = base + panel * k * width, first = panel * width, valid = max(0, min(width, n - first))
                if valid < width {                 // the padding: zeros to the whole tile
                    to.initialize(repeating: 0, count: k * width)
                }
                if transposed {      // column j of the operand is row j of b: read it front to back
                    for j in 0..<valid {
                        let column = b + (first + j) * rowStride
                        for r in 0..<k { to[r * width + j] = column[r] }
                    }
                } else {             // a row of the panel is `width` consecutive floats of b's row r
                    for r in 0..<k { (to + r * width).initialize(from: b + r * rowStride + first, count: valid) }
                }
            }
            count = packed.count
        }
    }
}
