import MatrixPanels
import MatrixKernels
import MatrixKernelsAVX2
import Testing
@testable import SequenceModels

/// The packed products, AVX-512 and AVX2 (each where the processor has it), against the textbook triple
/// loop in Double, on shapes that exercise every tile: full tiles and each leftover row count, partial
/// panels, single rows (eight panels at a time), depths beyond one block, and A copied in blocks of rows.
struct PackedProductTests {
    static let kernels: [ProductKernel] = [.avx512, .avx2].filter {
        (try? ProductKernel.choose(requested: $0.rawValue, processorFlags: ProductKernel.processorFlags()).get()) != nil
    }
    static let shapes = [(1, 130, 300), (1, 5, 7), (3, 45, 1), (8, 32, 256), (13, 160, 300), (17, 16, 513), (64, 65, 40), (137, 150, 300)]

    @Test(.enabled(if: !kernels.isEmpty, "the processor has neither AVX-512 nor AVX2; products run on OpenBLAS"),
          arguments: kernels, shapes)
    func packedProductMatchesTheTripleLoop(kernel: ProductKernel, shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        let product = kernel == .avx512 ? addPackedProductAVX512 : addPackedProductAVX2
        var g = SeededGenerator(seed: UInt64(m * 1000 + n + k))
        for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
            let a = Matrix<Float>.normal(transposeA ? k : m, transposeA ? m : k, using: &g)
            let b = Matrix<Float>.normal(transposeB ? n : k, transposeB ? k : n, using: &g)
            let guardColumns = 3                                  // C has spare columns that must stay untouched
            var c = Matrix<Float>.normal(m, n + guardColumns, using: &g)
            let before = c
            let panels = b.scalars.withUnsafeBufferPointer {
                PackedPanels($0.baseAddress!, rows: k, columns: n, rowStride: b.columns, transposed: transposeB, panelWidth: kernel.panelWidth!)
            }
            let (rowStride, columnStride) = transposeA ? (1, m) : (k, 1)
            a.scalars.withUnsafeBufferPointer { pa in
                c.scalars.withUnsafeMutableBufferPointer { pc in
                    product(m, pa.baseAddress!, rowStride, columnStride, panels, 2, pc.baseAddress!, n + guardColumns)
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
            #expect(worst < 2e-6, "\(kernel) m=\(m) n=\(n) k=\(k) Aᵀ=\(transposeA) Bᵀ=\(transposeB): worst relative error \(worst)")
        }
    }

    /// The panels' layout, for either width on any processor: panel p's row r holds B[r, w·p ..< w·p + w], and
    /// zeros past B's last column, to a whole tile of two panels. Shapes with leftover rows and columns of 8 × 8 blocks.
    @Test(arguments: [8, 16])
    func panelsHoldBRowByRowPaddedWithZeros(width: Int) {
        var g = SeededGenerator(seed: UInt64(width))
        for (k, n) in [(1, 1), (7, 9), (8, 8), (21, 35), (64, 48), (130, 17)] {
            for transposed in [false, true] {
                let stored = Matrix<Float>.normal(transposed ? n : k, (transposed ? k : n) + 3, using: &g)   // 3 spare columns: a row stride past the operand
                let panels = stored.scalars.withUnsafeBufferPointer {
                    PackedPanels($0.baseAddress!, rows: k, columns: n, rowStride: stored.columns, transposed: transposed, panelWidth: width)
                }
                let panelCount = (n + 2 * width - 1) / (2 * width) * 2
                #expect(panels.storage.count == panelCount * k * width)
                var misplaced = 0
                for p in 0..<panelCount {
                    for r in 0..<k {
                        for j in 0..<width {
                            let column = p * width + j
                            let expected: Float = column < n ? (transposed ? stored[column, r] : stored[r, column]) : 0
                            if panels.storage[(p * k + r) * width + j] != expected { misplaced += 1 }
                        }
                    }
                }
                #expect(misplaced == 0, "width \(width), k=\(k), n=\(n), transposed: \(transposed)")
            }
        }
    }

    /// AVX-512 when the processor has it, else AVX2 with FMA, else OpenBLAS; a forced path only where its instructions exist.
    @Test func theKernelIsChosenFromTheProcessorAndTheEnvironment() throws {
        let avx512: Set<String> = ["fma", "avx2", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]
        #if arch(x86_64)
        #expect(try ProductKernel.choose(requested: nil, processorFlags: avx512).get() == .avx512)
        #expect(try ProductKernel.choose(requested: nil, processorFlags: ["avx2", "fma"]).get() == .avx2)
        #expect(try ProductKernel.choose(requested: "avx2", processorFlags: avx512).get() == .avx2)
        #expect(try ProductKernel.choose(requested: "blas", processorFlags: avx512).get() == .blas)
        #expect(throws: (any Error).self) { try ProductKernel.choose(requested: "avx512", processorFlags: ["avx2", "fma"]).get() }
        #endif
        #expect(try ProductKernel.choose(requested: nil, processorFlags: []).get() == .blas)
        #expect(throws: (any Error).self) { try ProductKernel.choose(requested: "fast", processorFlags: avx512).get() }
    }

    /// The AVX2 product packs only what a recurrence reads at every step; OpenBLAS is faster on single products.
    @Test func avx2PacksOnlyTheOperandsOfARecurrence() {
        #expect(ProductKernel.avx2.packs(rows: 32 * 100, products: 100))
        #expect(!ProductKernel.avx2.packs(rows: 3200, products: 1))
        #expect(ProductKernel.avx512.packs(rows: 3200, products: 1))
        #expect(!ProductKernel.blas.packs(rows: 3200, products: 100))
    }
}
