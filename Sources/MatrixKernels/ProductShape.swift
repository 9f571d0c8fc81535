#if arch(x86_64)
@_implementationOnly import CMatrixKernels   // as COpenBLAS in the core: a program built against it never needs the C module
#endif

/// The register a packed product computes with, and its tiles: one per instruction set.
///
/// The product's code is written once, generic over its shape, and built twice: in this module, for
/// AVX-512 (``AVX512Shape``), and in `MatrixKernelsAVX2`, for AVX2 with FMA (``AVX2Shape``), each
/// module compiled for its own instruction set. A tile of `tileRows` rows and two panels keeps
/// 2·`tileRows` sums in registers, and needs two more for B and one for the broadcast A.
public protocol ProductShape {
    /// One register of Float: its width is a panel's width.
    associatedtype Register: SIMD where Register.Scalar == Float
    /// Rows of a full tile.
    static var tileRows: Int { get }
    /// Adds a full tile: `tileRows` rows × two panels.
    static func addFullTile(_ block: Block, row: Int, a: UnsafePointer<Float>)
}

extension ProductShape {
    /// Columns per panel: the floats in one register.
    @inlinable static var panelWidth: Int { Register.scalarCount }
}

/// AVX-512: 32 zmm registers of 16 floats; tiles of 8 rows × 2 panels keep 16 sums.
public enum AVX512Shape: ProductShape {
    public typealias Register = SIMD16<Float>
    @inlinable public static var tileRows: Int { 8 }
    @inlinable @inline(__always)
    public static func addFullTile(_ block: Block, row: Int, a: UnsafePointer<Float>) { Tile<Self, 8, 2>.add(block, row: row, a: a) }
}

/// AVX2 with FMA: 16 ymm registers of 8 floats; tiles of 6 rows × 2 panels keep 12 sums, 15 registers in all.
///
/// Its full tile is the C function `sequencemodels_tile_avx2_6x16`, the same loop written with intrinsics: the
/// generic ``Tile`` of 6 × 2 spills its sums to the stack when built for AVX2's 16 registers.
public enum AVX2Shape: ProductShape {
    public typealias Register = SIMD8<Float>
    @inlinable public static var tileRows: Int { 6 }
    @inlinable @inline(__always)
    public static func addFullTile(_ block: Block, row: Int, a: UnsafePointer<Float>) { addFullTileAVX2(block, row: row, a: a) }
}

/// The AVX2 full tile: the C function, called through this function, which is not inlined, so that the C
/// module stays an internal import.
@usableFromInline
func addFullTileAVX2(_ block: Block, row: Int, a: UnsafePointer<Float>) {
    #if arch(x86_64)
    sequencemodels_tile_avx2_6x16(block.depth, a, block.rowStride, block.columnStride, block.b, block.panelStride, block.alpha, block.c + row * block.resultRowStride,
                                  block.resultRowStride, block.columns)
    #else
    Tile<AVX2Shape, 6, 2>.add(block, row: row, a: a)
    #endif
}
