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
/// eight of the 256 rows a block needs, and the product slows down; packed, each panel is contiguous.
/// A transposed B (W_hh as the forward pass reads it) is gathered in blocks of 8 × 8 transposed in registers,
/// and rows are copied a register at a time, since copying one float at a time made packing W_hh slower,
/// several times so as the forward pass reads it (measured: docs/performance.md).
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
                if transposed {      // column j of the operand is row j of b
                    var j = 0
                    while j + 8 <= valid {                 // eight columns at a time, in blocks of 8 × 8
                        let columns = b + (first + j) * rowStride
                        var r = 0
                        while r + 8 <= k {
                            transposeBlock(columns + r, rowStride: rowStride, into: to + r * width + j, rowStride: width)
                            r += 8
                        }
                        for r in r..<k {
                            for i in 0..<8 { to[r * width + j + i] = columns[i * rowStride + r] }
                        }
                        j += 8
                    }
                    for j in j..<valid {                    // the last few columns, front to back
                        let column = b + (first + j) * rowStride
                        for r in 0..<k { to[r * width + j] = column[r] }
                    }
                } else {             // a row of the panel is `width` consecutive floats of b's row r
                    for r in 0..<k { copyRow(from: b + r * rowStride + first, to: to + r * width, count: valid) }
                }
            }
            count = packed.count
        }
    }
}

/// Copies `count` floats, eight at a time while it can: a panel's row is one register, 8 or 16 floats.
@inline(__always)
private func copyRow(from source: UnsafePointer<Float>, to destination: UnsafeMutablePointer<Float>, count: Int) {
    var c = 0
    while c + 8 <= count {
        UnsafeMutableRawPointer(destination + c).storeBytes(of: UnsafeRawPointer(source + c).loadUnaligned(as: SIMD8<Float>.self),
                                                            as: SIMD8<Float>.self)
        c += 8
    }
    for c in c..<count { destination[c] = source[c] }
}

/// Writes the transpose of the 8 × 8 block at `source` (rows `rowStride` apart) to `destination`.
///
/// Eight registers hold the block's rows. Unzipping them (the even floats of every pair of registers, then
/// the odd ones) moves the float at position 8i + j of the 64 to the position whose six bits are those of
/// 8i + j rotated right by one; three unzips rotate them by three, to 8j + i, which is the transpose.
@inline(__always)
private func transposeBlock(_ source: UnsafePointer<Float>, rowStride: Int,
                            into destination: UnsafeMutablePointer<Float>, rowStride destinationStride: Int) {
    var block = InlineArray<8, SIMD8<Float>>(repeating: .zero)
    for i in 0..<8 { block[i] = UnsafeRawPointer(source + i * rowStride).loadUnaligned(as: SIMD8<Float>.self) }
    for _ in 0..<3 {
        var unzipped = InlineArray<8, SIMD8<Float>>(repeating: .zero)
        for q in 0..<4 {
            let pair = SIMD16(lowHalf: block[2 * q], highHalf: block[2 * q + 1])
            (unzipped[q], unzipped[q + 4]) = (pair.evenHalf, pair.oddHalf)
        }
        block = unzipped
    }
    for j in 0..<8 { UnsafeMutableRawPointer(destination + j * destinationStride).storeBytes(of: block[j], as: SIMD8<Float>.self) }
}
