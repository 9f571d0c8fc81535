/// `C[m, n] += alpha · A[m, k] · B[k, n]`: the matrix product for AVX-512 processors.
///
/// `panels` is B prepared by ``PackedPanels``, and `b` (rows `bRowStride` apart) is the row-major
/// B it was made from, whose whole tiles are read in place; it is unused for a transposed B.
/// A is read through two strides: `A[i, r]` is at `a + i·rowStride + r·columnStride`, so
/// `(rowStride, columnStride)` is `(k, 1)` for a row-major A and `(1, m)` for a transposed one.
/// C is row-major with rows `resultRowStride` apart.
///
/// The loops, outermost first, as in GotoBLAS:
/// 1. blocks of ``depthBlock`` rows of B, so that a tile's two panels of the block (32 KB) stay
///    in the level-1 cache while the rows of A pass over them;
/// 2. blocks of ``rowBlock`` rows of A, copied into tiles of 8 rows stored column after column,
///    so that a tile reads its A front to back whatever A's strides (a transposed A with
///    a power-of-two stride would otherwise map every read to the same cache set). An A that meets
///    only a few tiles of columns is read in place: there the copy costs more than it saves;
/// 3. tiles of 32 columns;
/// 4. tiles of 8 rows, then one tile for the rows left over.
///
/// A single row (a matrix–vector product, as in a recurrence with batch 1) is read in place and
/// takes eight panels at a time, so that it still keeps eight sums in flight.
/// Complexity: O(m·n·k). Single-threaded: callers split the rows of C across cores.
public func addPackedProduct(rows m: Int, _ a: UnsafePointer<Float>, rowStride: Int, columnStride: Int,
                             _ b: UnsafePointer<Float>, bRowStride: Int, _ panels: PackedPanels, scaledBy alpha: Float = 1,
                             into c: UnsafeMutablePointer<Float>, resultRowStride: Int) {
    let (k, n, width) = (panels.rows, panels.columns, PackedPanels.panelWidth)
    guard m > 0, k > 0, n > 0 else { return }
    // Copying A costs a read and a write per element; it pays only when A meets many tiles of columns.
    let copiesA = m > 1 && n > 4 * PackedPanels.tileColumns
    let copyRows = copiesA ? (min(m, rowBlock) + 7) / 8 * 8 : 0
    panels.storage.withUnsafeBufferPointer { packed in
    withUnsafeTemporaryAllocation(of: Float.self, capacity: copyRows * min(k, depthBlock)) { aCopy in
        for depthStart in stride(from: 0, to: k, by: depthBlock) {
            let depth = min(depthBlock, k - depthStart)
            var block = Block(rowStride: 1, columnStride: 8, b: b, bRowStride: bRowStride, panelStride: width,
                              depth: depth, alpha: alpha, c: c, resultRowStride: resultRowStride, columns: n)
            /// Points the block at the tile of columns from `column`: in place, or in the packed panels.
            func moveTo(column: Int) {
                if column < panels.firstPackedColumn {
                    (block.b, block.bRowStride, block.panelStride) = (b + depthStart * bRowStride + column, bRowStride, width)
                } else {
                    let panel = (column - panels.firstPackedColumn) / width
                    (block.b, block.bRowStride, block.panelStride) = (packed.baseAddress! + (panel * k + depthStart) * width, width, k * width)
                }
                block.c = c + column
                block.columns = n - column
            }
            if !copiesA { (block.rowStride, block.columnStride) = (rowStride, columnStride) }
            if m == 1 {
                let aRow = a + depthStart * columnStride
                var column = 0
                // Eight panels at a time, none of them straddling the end of the columns read in place.
                while column + 8 * width <= (column < panels.firstPackedColumn ? panels.firstPackedColumn : n) {
                    moveTo(column: column)
                    Tile<1, 8>.add(block, row: 0, a: aRow)
                    column += 8 * width
                }
                while column < n {
                    moveTo(column: column)
                    Tile<1, 2>.add(block, row: 0, a: aRow)
                    column += PackedPanels.tileColumns
                }
                continue
            }
            for rowStart in stride(from: 0, to: m, by: rowBlock) {
                let rows = min(rowBlock, m - rowStart), aBlock = a + rowStart * rowStride + depthStart * columnStride
                // A tile's rows of A: copied, or in place for a row-major A that meets few columns of B.
                let tileStart: (Int) -> UnsafePointer<Float>
                if copiesA {
                    copyTiles(of: aBlock, rows: rows, depth: depth, rowStride: rowStride, columnStride: columnStride,
                              into: aCopy.baseAddress!)
                    tileStart = { i in UnsafePointer(aCopy.baseAddress! + i * depth) }
                } else {
                    tileStart = { i in aBlock + i * rowStride }
                }
                for column in stride(from: 0, to: n, by: PackedPanels.tileColumns) {
                    moveTo(column: column)
                    var i = 0
                    while i + 8 <= rows {
                        Tile<8, 2>.add(block, row: rowStart + i, a: tileStart(i))
                        i += 8
                    }
                    let tileA = tileStart(i)
                    switch rows - i {
                    case 7: Tile<7, 2>.add(block, row: rowStart + i, a: tileA)
                    case 6: Tile<6, 2>.add(block, row: rowStart + i, a: tileA)
                    case 5: Tile<5, 2>.add(block, row: rowStart + i, a: tileA)
                    case 4: Tile<4, 2>.add(block, row: rowStart + i, a: tileA)
                    case 3: Tile<3, 2>.add(block, row: rowStart + i, a: tileA)
                    case 2: Tile<2, 2>.add(block, row: rowStart + i, a: tileA)
                    case 1: Tile<1, 2>.add(block, row: rowStart + i, a: tileA)
                    default: break
                    }
                }
            }
        }
    }
    }
}

/// Copies `rows` × `depth` of A into tiles of 8 rows, each stored column after column:
/// A[i, r] goes to `(i / 8 · depth + r) · 8 + i % 8`, so a tile's column r is 8 consecutive floats.
@inline(__always)
private func copyTiles(of a: UnsafePointer<Float>, rows: Int, depth: Int, rowStride: Int, columnStride: Int,
                       into copy: UnsafeMutablePointer<Float>) {
    if rowStride == 1 {              // a transposed A: read each column of the block front to back
        for r in 0..<depth {
            let column = a + r * columnStride
            for i in 0..<rows { copy[(i / 8 * depth + r) * 8 + i % 8] = column[i] }
        }
    } else {
        for i in 0..<rows {
            let tile = copy + (i / 8 * depth) * 8 + i % 8, row = a + i * rowStride
            for r in 0..<depth { tile[r * 8] = row[r * columnStride] }
        }
    }
}

/// Rows of B per block of the product: 256 rows of two panels are 32 KB.
let depthBlock = 256
/// Rows of A per copied block: 128 rows of a block's depth are 128 KB, well inside the level-2 cache.
let rowBlock = 128
