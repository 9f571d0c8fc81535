public import MatrixPanels

/// `C[m, n] += alpha · A[m, k] · B[k, n]` on an AVX-512 processor: ``addPackedProduct(_:rows:_:rowStride:columnStride:_:scaledBy:into:resultRowStride:)``
/// built for AVX-512 in this module. `panels` must be 16 wide.
public func addPackedProductAVX512(rows m: Int, _ a: UnsafePointer<Float>, rowStride: Int, columnStride: Int,
                                   _ panels: PackedPanels, scaledBy alpha: Float = 1,
                                   into c: UnsafeMutablePointer<Float>, resultRowStride: Int) {
    addPackedProduct(AVX512Shape.self, rows: m, a, rowStride: rowStride, columnStride: columnStride,
                     panels, scaledBy: alpha, into: c, resultRowStride: resultRowStride)
}

/// `C[m, n] += alpha · A[m, k] · B[k, n]`: the packed matrix product, for the instruction set of `Shape`.
///
/// It is inlined into, and so compiled for the instruction set of, the module that names a shape:
/// this one for ``AVX512Shape``, `MatrixKernelsAVX2` for ``AVX2Shape``.
///
/// `panels` is B prepared by ``PackedPanels``. A is read through two strides: `A[i, r]` is at `a + i·rowStride + r·columnStride`, so
/// `(rowStride, columnStride)` is `(k, 1)` for a row-major A and `(1, m)` for a transposed one.
/// C is row-major with rows `resultRowStride` apart.
///
/// The loops, outermost first, as in GotoBLAS:
/// 1. blocks of 256 rows of B, so that a tile's two panels of the block (32 KB with AVX-512) stay
///    in the level-1 cache while the rows of A pass over them;
/// 2. blocks of 16 tiles of rows of A. A transposed A is copied into tiles of `Shape.tileRows` rows stored
///    column after column, so that a tile reads its A front to back (in place, its reads of one column
///    would be a power-of-two stride apart and map to the same cache set), unless it meets only a few
///    tiles of columns, where the copy costs more than it saves. A row-major A is read in place: each of a
///    tile's rows is already read front to back, and the copy, one float at a time, made products such as
///    `[16, 512] · [512, 128]` (a backward step of a 128-unit LSTM) a quarter slower on Zen 3;
/// 3. tiles of two panels of columns;
/// 4. full tiles of rows, then one tile for the rows left over.
///
/// A single row (a matrix–vector product, as in a recurrence with batch 1) is read in place (no copy of A) and
/// takes eight panels at a time, so that it still keeps eight sums in flight.
/// Complexity: O(m·n·k). Single-threaded: callers split the rows of C across cores.
@inlinable @inline(__always)
public func addPackedProduct<Shape: ProductShape>(
    _: Shape.Type, rows m: Int, _ a: UnsafePointer<Float>, rowStride: Int, columnStride: Int,
    _ panels: PackedPanels, scaledBy alpha: Float = 1,
    into c: UnsafeMutablePointer<Float>, resultRowStride: Int
) {
    let (k, n, width, tileRows) = (panels.rows, panels.columns, Shape.panelWidth, Shape.tileRows)
    precondition(panels.panelWidth == width, "panels \(panels.panelWidth) wide for a product \(width) wide")
    guard m > 0, k > 0, n > 0 else { return }
    let rowBlock = 16 * tileRows, depthBlock = 256
    // Copying a transposed A costs a read and a write per element; it pays only when A meets many tiles of columns.
    let copiesA = m > 1 && rowStride == 1 && columnStride != 1 && n > 4 * panels.tileColumns
    let copyRows = copiesA ? (min(m, rowBlock) + tileRows - 1) / tileRows * tileRows : 0
    panels.storage.withUnsafeBufferPointer { packed in
    withUnsafeTemporaryAllocation(of: Float.self, capacity: copyRows * min(k, depthBlock)) { aCopy in
        for depthStart in stride(from: 0, to: k, by: depthBlock) {
            let depth = min(depthBlock, k - depthStart)
            var block = Block(rowStride: 1, columnStride: tileRows, b: packed.baseAddress!, panelStride: k * width,
                              depth: depth, alpha: alpha, c: c, resultRowStride: resultRowStride, columns: n)
            /// Points the block at the tile of columns from `column`, in the packed panels.
            func moveTo(column: Int) {
                block.b = packed.baseAddress! + (column / width * k + depthStart) * width
                block.c = c + column
                block.columns = n - column
            }
            if !copiesA { (block.rowStride, block.columnStride) = (rowStride, columnStride) }
            if m == 1 {
                let aRow = a + depthStart * columnStride
                var column = 0
                // Eight panels at a time, then two (the last padded with zeros).
                while column + 8 * width <= n {
                    moveTo(column: column)
                    Tile<Shape, 1, 8>.add(block, row: 0, a: aRow)
                    column += 8 * width
                }
                while column < n {
                    moveTo(column: column)
                    Tile<Shape, 1, 2>.add(block, row: 0, a: aRow)
                    column += panels.tileColumns
                }
                continue
            }
            for rowStart in stride(from: 0, to: m, by: rowBlock) {
                let rows = min(rowBlock, m - rowStart), aBlock = a + rowStart * rowStride + depthStart * columnStride
                // A tile's rows of A: copied for a transposed A that meets many columns of B, else in place.
                let tileStart: (Int) -> UnsafePointer<Float>
                if copiesA {
                    copyTiles(of: aBlock, rows: rows, depth: depth, columnStride: columnStride,
                              tileRows: tileRows, into: aCopy.baseAddress!)
                    tileStart = { i in UnsafePointer(aCopy.baseAddress! + i * depth) }
                } else {
                    tileStart = { i in aBlock + i * rowStride }
                }
                for column in stride(from: 0, to: n, by: panels.tileColumns) {
                    moveTo(column: column)
                    var i = 0
                    while i + tileRows <= rows {
                        Shape.addFullTile(block, row: rowStart + i, a: tileStart(i))
                        i += tileRows
                    }
                    let tileA = tileStart(i)
                    switch rows - i {
                    case 7: Tile<Shape, 7, 2>.add(block, row: rowStart + i, a: tileA)
                    case 6: Tile<Shape, 6, 2>.add(block, row: rowStart + i, a: tileA)
                    case 5: Tile<Shape, 5, 2>.add(block, row: rowStart + i, a: tileA)
                    case 4: Tile<Shape, 4, 2>.add(block, row: rowStart + i, a: tileA)
                    case 3: Tile<Shape, 3, 2>.add(block, row: rowStart + i, a: tileA)
                    case 2: Tile<Shape, 2, 2>.add(block, row: rowStart + i, a: tileA)
                    case 1: Tile<Shape, 1, 2>.add(block, row: rowStart + i, a: tileA)
                    default: break
                    }
                }
            }
        }
    }
    }
}

/// Copies `rows` × `depth` of a transposed A (its rows 1 float apart, its columns `columnStride`) into tiles of
/// t = `tileRows` rows, each stored column after column:
/// A[i, r] goes to `(i / t · depth + r) · t + i % t`, so a tile's column r is t consecutive floats.
/// Each of the block's columns of A is read front to back, once, a tile's rows at a time, so that no element
/// pays for a division.
@inlinable @inline(__always)
func copyTiles(of a: UnsafePointer<Float>, rows: Int, depth: Int, columnStride: Int, tileRows t: Int,
               into copy: UnsafeMutablePointer<Float>) {
    for r in 0..<depth {
        let column = a + r * columnStride
        for first in stride(from: 0, to: rows, by: t) {
            let to = copy + first * depth + r * t
            for i in 0..<min(t, rows - first) { to[i] = column[first + i] }
        }
    }
}
