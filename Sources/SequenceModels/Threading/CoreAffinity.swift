// sched_getaffinity and sched_setaffinity are GNU extensions, which Glibc's module leaves out; OpenBLAS's header declares them.
@_implementationOnly import COpenBLAS
#if canImport(Glibc)
import Glibc
#endif

/// Which cores a thread may run on (Linux's `sched_setaffinity`), set for a while and then given back.
enum CoreAffinity {
    /// Linux's `cpu_set_t`: one bit per core, 1,024 cores.
    typealias CoreSet = InlineArray<16, UInt64>

    /// The cores the calling thread may run on, in order; empty where that cannot be asked.
    static func allowedCores() -> [Int] {
        guard let set = current() else { return [] }
        return (0..<1024).filter { set[$0 / 64] & (1 << UInt64($0 % 64)) != 0 }
    }

    /// Runs `body` with the calling thread held to `core` (when there is one), then lets it run where it could before.
    static func holding(to core: Int?, _ body: () -> Void) {
        guard let core, let saved = current() else { return body() }
        var only = CoreSet(repeating: 0)
        only[core / 64] = 1 << UInt64(core % 64)
        apply(only)
        body()
        apply(saved)
    }

    /// The calling thread's set, or nil where the system cannot say.
    private static func current() -> CoreSet? {
        #if os(Linux)
        var set = CoreSet(repeating: 0)
        let status = withUnsafeMutableBytes(of: &set) { sched_getaffinity(0, UInt(MemoryLayout<CoreSet>.size), $0.baseAddress) }
        return status == 0 ? set : nil
        #else
        return nil
        #endif
    }

    /// Sets the calling thread's set (only where ``current()`` answered).
    private static func apply(_ set: CoreSet) {
        #if os(Linux)
        var set = set
        _ = withUnsafeBytes(of: &set) { sched_setaffinity(0, UInt(MemoryLayout<CoreSet>.size), $0.baseAddress) }
        #endif
    }
}
