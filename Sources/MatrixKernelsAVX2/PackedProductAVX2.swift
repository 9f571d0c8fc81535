public import MatrixPanels
import MatrixKernels

/// `C[m, n] += alpha · A[m, k] · B[k, n]` on a processor with AVX2 and FMA: MatrixKernels' packed product,
/// generic over its shape, inlined here with ``AVX2Shape`` and so compiled for AVX2 (this module is built
/// for Haswell). `panels` must be 8 wide. Complexity: O(m·n·k); single-threaded.
public func addPackedProductAVX2(rows m: Int, _ a: UnsafePointer<Float>, rowStride: Int, columnStride: Int,
                                 _ panels: PackedPanels, scaledBy alpha: Float = 1,
                                 into c: UnsafeMutablePointer<Float>, resultRowStride: Int) {
    addPackedProduct(AVX2Shape.self, rows: m, a, rowStride: rowStride, columnStride: columnStride, panels, scaledBy: alpha, into: c, resultRowStride: resultRowStride)
}
