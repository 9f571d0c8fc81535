import MatrixKernels
import Testing
@testable import SequenceModels

/// The AVX-512 product against the textbook triple loop in Double, on shapes that exercise
/// every tile: 8-row tiles and each leftover row count, partial panels, single rows (eight
/// panels at a time), depths beyond one block, and A copied in blocks of rows (n > 128).
@Suite(.enabled(if: ProductKernel.packed, "the processor has no AVX-512; products run on OpenBLAS"))
struct PackedProductTests {
    @Test(arguments: [(1, 130, 300), (1, 5, 7), (3, 45, 1), (8, 32, 256), (13, 160, 300), (17, 16, 513), (64, 65, 40), (137, 150, 300)])
    func packedProductMatchesTheTripleLoop(m: Int, n: Int, k: Int) {
        var g = SeededGenerator(seed: UInt64(m * 1000 + n + k))
        for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
            let a = Matrix<Float>.normal(transposeA ? k : m, transposeA ? m : k, using: &g)
            let b = Matrix<Float>.normal(transposeB ? n : k, transposeB ? k : n, using: &g)
            let guardColumns = 3                                  // C has spare columns that must stay untouched
            var c = Matrix<Float>.normal(m, n + guardColumns, using: &g)
            let before = c
            let panels = b.scalars.withUnsafeBufferPointer {
                PackedPanels($0.baseAddress!, rows: k, columns: n, rowStride: b.columns, transposed: transposeB)
            }
            let (rowStride, columnStride) = transposeA ? (1, m) : (k, 1)
            a.scalars.withUnsafeBufferPointer { pa in
                b.scalars.withUnsafeBufferPointer { pb in
                    c.scalars.withUnsafeMutableBufferPointer { pc in
                        addPackedProduct(rows: m, pa.baseAddress!, rowStride: rowStride, columnStride: columnStride,
                                         pb.baseAddress!, bRowStride: b.columns, panels, scaledBy: 2,
                                         into: pc.baseAddress!, resultRowStride: n + guardColumns)
                    }
                }
            }
            var worst = 0.0
            for i in 0..<m {
                for j in 0..<(n + guardColumns) {
                    var expected = Double(before[i, j]), scale = abs(expected)
                    if j < n {
                        for r in 0..<k {
                            let x = Double(transposeA ? a[r, i] : a[i, r]), y = Double(transposeB ? b[j, r] : b[r, j])
                            expected += 2 * x * y
                            scale += abs(2 * x * y)
                        }
                    }
                    // Float rounding grows with the sum of the magnitudes; one missing term would be ~1/k of it.
                    worst = max(worst, abs(Double(c[i, j]) - expected) / scale)
                }
            }
            #expect(worst < 2e-6, "m=\(m) n=\(n) k=\(k) Aᵀ=\(transposeA) Bᵀ=\(transposeB): worst relative error \(worst)")
        }
    }
}
