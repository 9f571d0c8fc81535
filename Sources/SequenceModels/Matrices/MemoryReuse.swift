@_implementationOnly import COpenBLAS
#if canImport(Glibc)
import Glibc
#endif

/// Keeps the memory of freed matrices in the process, for the next matrices of the same size.
///
/// A training step allocates the same large matrices every time (the gate activations, their
/// gradients), and frees them at its end. By default glibc hands blocks above 128 KB straight
/// back to the kernel, so each step pays again for fresh pages: a page fault and a zeroed page
/// per 4 KB, about a quarter of a step at batch 1. Raising the two thresholds keeps those blocks
/// in the heap: blocks up to 32 MB (glibc's maximum) come from the heap, and free memory at its
/// top is kept until it exceeds 1 GB.
enum MemoryReuse {
    /// Applied once, on first use of the core's products.
    static let applied: Void = {
        #if canImport(Glibc)
        _ = mallopt(M_MMAP_THRESHOLD, 32 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 1 << 30)
        #endif
    }()
}
