import Testing
@testable import SequenceModels

/// A block of a larger matrix used as an operand in place, packed or through BLAS, against the triple loop
/// over the block copied out.
struct ProductOperandTests {
    @Test(arguments: [(1, 1), (64, 8)])   // expected rows and products: BLAS at one row; packed where the kernel packs
    func anOperandReadsItsBlockInPlace(expectedRows: Int, products: Int) {
        var g = SeededGenerator(seed: 21)
        let whole = Matrix<Float>.normal(9, 11, using: &g)
        let (blockRows, blockColumns) = (2..<7, 3..<10)
        let block = whole.rows(blockRows).columns(blockColumns)              // [5, 7], copied
        for transposed in [false, true] {
            let operand = ProductOperand(whole, rows: blockRows, columns: blockColumns, transposed: transposed,
                                         expectedRows: expectedRows, products: products)
            let (k, n) = transposed ? (block.columns, block.rows) : (block.rows, block.columns)
            #expect((operand.rows, operand.columns) == (k, n))
            let m = 3
            let a = Matrix<Float>.normal(m, k, using: &g)
            var c = Matrix<Float>.zeros(m, n)
            a.scalars.withUnsafeBufferPointer { pa in
                c.scalars.withUnsafeMutableBufferPointer { pc in
                    operand.addProduct(rows: m, pa.baseAddress!, rowStride: k, columnStride: 1, into: pc.baseAddress!, resultRowStride: n)
                }
            }
            var worst = 0.0
            for i in 0..<m {
                for j in 0..<n {
                    let expected = (0..<k).reduce(0.0) { $0 + Double(a[i, $1]) * Double(transposed ? block[j, $1] : block[$1, j]) }
                    worst = max(worst, abs(Double(c[i, j]) - expected))
                }
            }
            #expect(worst < 1e-5, "transposed: \(transposed), packed: \(operand.packed != nil): worst error \(worst)")
        }
    }
}
