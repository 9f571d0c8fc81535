/// `C[m, n] += alpha · A[m, k] · B[k, n]`: the matrix product for AVX-512 processors.
///
/// `panels` is B prepared by ``PackedPanels``, and `b` (rows `bRowStride` apart) is the row-major
/// B it was made from, whose whole tiles are read in place; it is unused for a transposed B.
/// A is read in place through two strides: `A[i, r]` is at `a + i·rowStride + r·columnStride`,
/// so `(rowStride, columnStride)` is `(k, 1)` for a row-major A and `(1, m)` for a transposed one.
/// C is row-major with rows `resultRowStride` apart.
///
/// The loops, outermost first, as in GotoBLAS:
/// 1. blocks of ``depthBlock`` rows of B, so that a tile's two panels of the block (32 KB) stay
///    in the level-1 cache while every row of A passes over them;
/// 2. tiles of 32 columns;
/// 3. tiles of 8 rows, then one tile for the rows left over.
///
/// A single row (a matrix–vector product, as in a recurrence with batch 1) takes eight panels
/// at a time instead, so that it still keeps eight sums in flight.
/// Complexity: O(m·n·k). Single-threaded: callers split the rows of C across cores.
public func addPackedProduct(rows m: Int, _ a: UnsafePointer<Float>, rowStride: Int, columnStride: Int,
                             _ b: UnsafePointer<Float>, bRowStride: Int, _ panels: PackedPanels, scaledBy alpha: Float = 1,
                             into c: UnsafeMutablePointer<Float>, resultRowStride: Int) {
    let (k, n, width) = (panels.rows, panels.columns, PackedPanels.panelWidth)
    panels.storage.withUnsafeBufferPointer { packed in
        for depthStart in stride(from: 0, to: k, by: depthBlock) {
            var block = Block(a: a + depthStart * columnStride, rowStride: rowStride, columnStride: columnStride,
                              b: b, bRowStride: bRowStride, panelStride: width, depth: min(depthBlock, k - depthStart),
                              alpha: alpha, c: c, resultRowStride: resultRowStride, columns: 0)
            var column = 0
            func moveTo(_ start: Int) {
                column = start
                if column < panels.firstPackedColumn {       // in place
                    (block.b, block.bRowStride, block.panelStride) = (b + depthStart * bRowStride + column, bRowStride, width)
                } else {
                    let panel = (column - panels.firstPackedColumn) / width
                    (block.b, block.bRowStride, block.panelStride) = (packed.baseAddress! + (panel * k + depthStart) * width, width, k * width)
                }
                block.c = c + column
                block.columns = n - column
            }
            if m == 1 {
                // Eight panels at a time, none of them straddling the end of the columns read in place.
                while column + 8 * width <= (column < panels.firstPackedColumn ? panels.firstPackedColumn : n) {
                    moveTo(column)
                    Tile<1, 8>.add(block, row: 0)
                    column += 8 * width
                }
            }
            while column < n {
                moveTo(column)
                let i = Tile<8, 2>.addRows(block, from: 0, to: m)
                switch m - i {
                case 7: Tile<7, 2>.add(block, row: i)
                case 6: Tile<6, 2>.add(block, row: i)
                case 5: Tile<5, 2>.add(block, row: i)
                case 4: Tile<4, 2>.add(block, row: i)
                case 3: Tile<3, 2>.add(block, row: i)
                case 2: Tile<2, 2>.add(block, row: i)
                case 1: Tile<1, 2>.add(block, row: i)
                default: break
                }
                column += PackedPanels.tileColumns
            }
        }
    }
}

/// Rows of B per block of the packed product: 256 rows of two panels are 32 KB.
let depthBlock = 256
