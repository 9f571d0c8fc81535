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
    /// The cores this process may run on: the number of parts work is split into. First use makes OpenBLAS
    /// single-threaded, and turns on ``MemoryReuse``.
    static let cores: Int = {
        openblas_set_num_threads(1)
        MemoryReuse.applied
        return max(1, allowedCores.isEmpty ? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) : allowedCores.count)
    }()

    /// The cores this process may use, read once: fewer than the machine's under `taskset` or a
    /// cpuset; empty where the system cannot say.
    static let allowedCores = CoreAffinity.allowedCores()

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

extension Parallelism {
    /// Runs `body(0)`, …, `body(parts − 1)` at the same time, each on a thread of its own.
    ///
    /// Parts that wait for each other at a ``StepBarrier`` need this guarantee, which
    /// `concurrentPerform` does not give: it may run two parts one after the other on one
    /// thread, and the first would wait forever. Part 0 runs on the calling thread.
    ///
    /// Each part's thread is held to a core of its own while it runs: parts that meet at every step
    /// lose most of their time when the scheduler puts two of them on one core (a quarter of
    /// the runs at batch 1 did, measured), and that is what they would otherwise be left to.
    static func runTogether(_ parts: Int, _ body: (Int) -> Void) {
        let cores = allowedCores
        let pinned = cores.count >= parts
        withoutActuallyEscaping(body) { body in
            var shared = body
            withUnsafePointer(to: &shared) { pointer in
                // The other threads get a pointer to the closure, never a reference they could keep.
                let closure = UncheckedSendable(pointer), finished = DispatchSemaphore(value: 0)
                for part in 1..<max(parts, 1) {
                    // A queue of its own gets a thread of its own, even when the shared pool is busy.
                    DispatchQueue(label: "SequenceModels.part\(part)").async {
                        CoreAffinity.holding(to: pinned ? cores[part] : nil) { closure.value.pointee(part) }
                        finished.signal()
                    }
                }
                CoreAffinity.holding(to: pinned ? cores[0] : nil) { pointer.pointee(0) }
                for _ in 1..<max(parts, 1) { finished.wait() }
            }
        }
    }
}

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

/// A meeting point for the parts of ``Parallelism/runTogether(_:_:)``: ``wait()`` returns once
/// every part has called it, as many times as it.
///
/// It spins, then yields the core: the wait between two steps of a recurrence is a microsecond
/// or less, much shorter than a sleep and a wake-up.
final class StepBarrier: Sendable {
    private let parties: Int
    private let arrived = Atomic<Int>(0)
    private let round = Atomic<Int>(0)

    init(parties: Int) { self.parties = parties }

    func wait() {
        let current = round.load(ordering: .acquiring)
        if arrived.add(1, ordering: .acquiringAndReleasing).newValue == parties {
            arrived.store(0, ordering: .relaxed)
            round.store(current + 1, ordering: .releasing)       // the last to arrive lets everyone go
            return
        }
        var spins = 0
        while round.load(ordering: .acquiring) == current {
            spins += 1
            if spins > 2_000 { sched_yield() }
        }
    }
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

    func set(_ value: Value, forPart index: Int) {
        storage.withLock { $0[index] = value }
    }

    var ordered: [Value] {
        storage.withLock { results in results.keys.sorted().map { results[$0]! } }
    }
}
