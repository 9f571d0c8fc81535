@_implementationOnly import COpenBLAS
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// How the core uses the machine's cores.
///
/// OpenBLAS is kept single-threaded: its worker threads spin between calls and would compete
/// with the core's own threads. Parallelism comes from splitting work into independent parts
/// run with `DispatchQueue.concurrentPerform`: large products by rows of the result, and
/// recurrences by examples of the batch.
enum Parallelism {
    /// The cores online: the number of parts work is split into. First use makes OpenBLAS
    /// single-threaded, and turns on ``MemoryReuse``.
    static let cores: Int = {
        openblas_set_num_threads(1)
        MemoryReuse.applied
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }()

    /// Runs `body` on `parts` disjoint ranges of `0..<count` concurrently.
    static func forEachPart(_ count: Int, parts: Int, _ body: (Range<Int>) -> Void) {
        guard parts > 1 else { return body(0..<count) }
        withoutActuallyEscaping(body) { body in
            // Each part touches only its own rows, so sharing the closure across threads is safe.
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                shared.value(part * count / parts ..< (part + 1) * count / parts)
            }
        }
    }
}

/// Runs `body` on disjoint ranges of `0..<batch`, one per core.
///
/// The examples of a batch never interact inside a recurrence, so each range can run the
/// whole time loop on its own, element-wise gate arithmetic and small per-step products alike.
/// Batches with fewer than `minimumPerPart` rows per part run on the calling thread.
func forEachBatchPart(_ batch: Int, minimumPerPart: Int = 8, _ body: (Range<Int>) -> Void) {
    Parallelism.forEachPart(batch, parts: min(Parallelism.cores, max(1, batch / minimumPerPart)), body)
}

/// A value handed to other threads under a guarantee the compiler cannot check.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Results that the parts of a parallel loop hand back, read in the order of their parts.
///
/// Reading in part order, not in the order the threads finished, keeps sums of floating-point
/// parts the same from run to run.
final class PartResults<Value: Sendable>: Sendable {
    private let storage = Mutex<[Int: Value]>([:])

    func set(_ value: Value, forPartStartingAt start: Int) {
        storage.withLock { $0[start] = value }
    }

    var ordered: [Value] {
        storage.withLock { results in results.keys.sorted().map { results[$0]! } }
    }
}
