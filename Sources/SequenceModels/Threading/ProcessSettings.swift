@_implementationOnly import COpenBLAS
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The settings the core makes for the whole process, in one place, so that a program can see them and undo them.
///
/// The core's first matrix product or recurrence applies them, once, unless the program restored them
/// before, or `SEQUENCEMODELS_PROCESS_SETTINGS=off` is in the environment:
/// - **OpenBLAS runs single-threaded** (`openblas_set_num_threads(1)`). Its worker threads spin between
///   calls and would compete with the core's own threads, which split the work instead.
/// - **Freed memory is kept for reuse** (`mallopt(M_MMAP_THRESHOLD, 32 MB)` and `mallopt(M_TRIM_THRESHOLD,
///   1 GB)`). A training step allocates the same large matrices every time and frees them at its end; by
///   default glibc hands blocks above 128 KB straight back to the kernel, so each step pays again for fresh
///   pages, about a quarter of a step at batch 1.
///
/// ``isApplied`` tells whether they are in force; ``restore()`` puts back OpenBLAS's thread count and
/// glibc's thresholds as they were; ``apply()`` applies them at any time.
public enum ProcessSettings {
    struct State {
        var applied = false
        /// Set once a program has chosen (applied or restored): the first product then leaves things alone.
        var chosen = false
        var previousOpenBLASThreads: Int32 = 0
    }
    static let state = Mutex(State())
    /// A quick look before taking the lock, on every product.
    static let settled = Atomic<Bool>(false)

    /// Whether the core's settings are in force.
    public static var isApplied: Bool { state.withLock { $0.applied } }

    /// Makes OpenBLAS single-threaded and keeps freed memory for reuse.
    public static func apply() {
        state.withLock { state in
            if !state.applied {
                state.previousOpenBLASThreads = openblas_get_num_threads()
                openblas_set_num_threads(1)
                #if canImport(Glibc)
                _ = mallopt(M_MMAP_THRESHOLD, 32 << 20)
                _ = mallopt(M_TRIM_THRESHOLD, 1 << 30)
                #endif
                state.applied = true
            }
            state.chosen = true
        }
        settled.store(true, ordering: .releasing)
    }

    /// Puts back OpenBLAS's thread count and glibc's thresholds (128 KB, its defaults), and keeps the core from applying them again.
    public static func restore() {
        state.withLock { state in
            if state.applied {
                openblas_set_num_threads(state.previousOpenBLASThreads)
                #if canImport(Glibc)
                _ = mallopt(M_MMAP_THRESHOLD, 128 << 10)
                _ = mallopt(M_TRIM_THRESHOLD, 128 << 10)
                #endif
                state.applied = false
            }
            state.chosen = true
        }
        settled.store(true, ordering: .releasing)
    }

    /// The library's initialisation, made by its first product or recurrence: ``apply()``, unless the
    /// program chose already or the environment turns it off.
    static func applyOnFirstUse() {
        guard !settled.load(ordering: .acquiring) else { return }
        applyUnlessChosen(setting: getenv("SEQUENCEMODELS_PROCESS_SETTINGS").map { String(cString: $0) })
    }

    /// ``apply()``, unless the program chose already or `setting`, the environment's, is `off`.
    static func applyUnlessChosen(setting: String?) {
        if setting == "off" || state.withLock({ $0.chosen }) {
            settled.store(true, ordering: .releasing)
        } else {
            apply()
        }
    }

    /// Forgets the program's choice, as at the start of a process (the settings stay as they are): for tests.
    static func forgetChoice() {
        state.withLock { $0.chosen = false }
        settled.store(false, ordering: .releasing)
    }
}
