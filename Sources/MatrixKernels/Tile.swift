/// The innermost loop of the packed product: a tile of `rows` × `panels` registers of results, kept in registers.
///
/// For each r of the block's depth, it loads one register of each panel (16 columns of B's row r with
/// AVX-512, 8 with AVX2), broadcasts A[i, r] for each row i of the tile, and adds the products:
///
///     C[i, j] += A[i, r] · B[r, j]        for every i and j of the tile, a register's width per instruction
///
/// Eight rows of two panels (six with AVX2's 16 registers) keep enough independent additions in flight
/// to hide the latency of a fused multiply-add, and leave registers for the operands. With AVX-512 it
/// runs at about 220 GFLOP/s on one Zen 5 core. Every sum runs over r in order, whatever the tile's
/// shape, so a row's results do not depend on how the rows were split.
@usableFromInline
struct Tile<Shape: ProductShape, let rows: Int, let panels: Int> {
    @usableFromInline typealias Register = Shape.Register

    /// Adds the block's products for rows `i ..< i + rows` of C, whose rows of A start at `a`.
    @inlinable @inline(__always)
    static func add(_ block: Block, row i: Int, a: UnsafePointer<Float>) {
        var sums = InlineArray<rows, InlineArray<panels, Register>>(repeating: .init(repeating: .zero))
        var aColumn = a
        var bRow = UnsafeRawPointer(block.b)
        let panelBytes = block.panelStride &* MemoryLayout<Float>.stride
        let rowBytes = Shape.panelWidth &* MemoryLayout<Float>.stride             // a packed panel's rows are one register apart
        for _ in 0..<block.depth {
            var bRegisters = InlineArray<panels, Register>(repeating: .zero)
            for p in 0..<panels { bRegisters[p] = bRow.loadUnaligned(fromByteOffset: p &* panelBytes, as: Register.self) }
            for r in 0..<rows {
                let aValue = Register(repeating: aColumn[r &* block.rowStride])
                for p in 0..<panels { sums[r][p] = sums[r][p].addingProduct(aValue, bRegisters[p]) }   // the line that matters
            }
            aColumn = aColumn.advanced(by: block.columnStride)
            bRow = bRow.advanced(by: rowBytes)
        }
        let width = Shape.panelWidth
        for r in 0..<rows {
            for p in 0..<panels {
                let result = block.c.advanced(by: (i &+ r) &* block.resultRowStride &+ p &* width)
                let valid = block.columns &- p &* width
                if valid >= width {
                    let raw = UnsafeMutableRawPointer(result)
                    raw.storeBytes(of: raw.loadUnaligned(as: Register.self) + block.alpha * sums[r][p], as: Register.self)
                } else if valid > 0 {                                   // the last panel, padded with zeros
                    for j in 0..<valid { result[j] += block.alpha * sums[r][p][j] }
                }
            }
        }
    }
}

/// What the tiles of one block of the packed product share: a range of B's rows (the depth)
/// and a range of its columns, against every row of A.
public struct Block {
    /// A tile's A[i, r] is `rowStride`·i + `columnStride`·r floats from its first.
    @usableFromInline var rowStride: Int, columnStride: Int
    /// The block's first row of its first packed panel of B; the next row is one register on, the next panel `panelStride` floats.
    @usableFromInline var b: UnsafePointer<Float>
    @usableFromInline var panelStride: Int
    /// The rows of B in this block.
    @usableFromInline var depth: Int
    @usableFromInline var alpha: Float
    /// C[i, j] of this block is at `c + i·resultRowStride + j`, and only `columns` columns are written.
    @usableFromInline var c: UnsafeMutablePointer<Float>
    @usableFromInline var resultRowStride: Int, columns: Int

    @inlinable
    init(rowStride: Int, columnStride: Int, b: UnsafePointer<Float>, panelStride: Int, depth: Int,
         alpha: Float, c: UnsafeMutablePointer<Float>, resultRowStride: Int, columns: Int) {
        (self.rowStride, self.columnStride, self.b, self.panelStride) = (rowStride, columnStride, b, panelStride)
        (self.depth, self.alpha, self.c, self.resultRowStride, self.columns) = (depth, alpha, c, resultRowStride, columns)
    }
}
