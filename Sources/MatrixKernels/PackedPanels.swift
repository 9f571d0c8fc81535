/// The right operand `B [k, n]` of ``addPackedProduct(rows:_:rowStride:columnStride:_:bRowStride:_:scaledBy:into:resultRowStride:)``,
/// as the product reads it: in panels one register wide (16 columns with AVX-512, 8 with AVX2).
///
/// The product reads a panel one row at a time, 16 floats per row. A row-major B already holds
/// its panels that way, 16 floats per row with rows `ldb` apart, so it is read in place; only its
/// last columns, short of a whole tile of 32, are copied out and padded with zeros. A transposed
/// B, `[n, k]` in memory (as `W_hh` in `h W_hhᵀ`), holds each panel's row scattered over w rows,
/// so every panel is gathered here, once, into rows w floats apart, for a panel width w:
///
///     packed panel p, row r  ←  B[r, w·p ..< w·p + w]        at offset (p·k + r)·w
///
/// Packing costs O(k·n) and pays for itself when B meets many rows of A: all the rows of a large
/// product, or the same W_hh at every step of a recurrence.
public struct PackedPanels: Sendable {
    /// Columns per panel: the floats in one register of the product that will read them.
    public let panelWidth: Int
    /// Columns per tile of the product: two panels.
    @inlinable var tileColumns: Int { 2 * panelWidth }

    /// The rows of B, k.
    public let rows: Int
    /// The columns of B, n.
    public let columns: Int
    /// The first column held in `storage`: 0 when all of B is packed; otherwise columns before it are read in place.
    @usableFromInline let firstPackedColumn: Int
    /// Panels of columns `firstPackedColumn ..< n`, padded with zeros to whole tiles.
    @usableFromInline let storage: [Float]

    /// Packs `B`, or `Bᵀ` when `transposed`, from row-major storage at `b` whose rows are `rowStride` apart.
    ///
    /// - Parameters:
    ///   - rows: k, the rows of the operand after any transpose.
    ///   - columns: n, the columns of the operand after any transpose.
    ///   - transposed: whether `b` holds the operand's transpose, `[n, k]`. Only then is all of it
    ///     copied; a row-major operand keeps all but its last, partial tile in place, and the
    ///     product must be given the same `b` again.
    ///   - panelWidth: the floats in one register of the product: 16 for AVX-512, 8 for AVX2.
    public init(_ b: UnsafePointer<Float>, rows k: Int, columns n: Int, rowStride: Int, transposed: Bool, panelWidth width: Int) {
        let tile = 2 * width
        let first = transposed ? 0 : n / tile * tile
        let panels = (n - first + tile - 1) / tile * 2
        panelWidth = width
        rows = k
        columns = n
        firstPackedColumn = first
        storage = [Float](unsafeUninitializedCapacity: panels * k * width) { packed, count in
            packed.initialize(repeating: 0)
            for column in first..<n {
                let panel = packed.baseAddress! + ((column - first) / width) * k * width + column % width
                if transposed {      // column j of the operand is row j of b: read it front to back
                    for r in 0..<k { panel[r * width] = b[column * rowStride + r] }
                } else {
                    for r in 0..<k { panel[r * width] = b[r * rowStride + column] }
                }
            }
            count = packed.count
        }
    }
}
