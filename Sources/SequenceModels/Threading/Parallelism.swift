import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// How the core uses the machine's cores.
///
/// OpenBLAS is kept single-threaded (``ProcessSettings``): its worker threads spin between calls and
/// would compete with the core's own threads. Parallelism comes from splitting work into independent parts
/// run with `DispatchQueue.concurrentPerform`: large products by rows of the result, and
/// recurrences by examples of the batch.
enum Parallelism {
    /// The cores this process may run on: the number of parts work is split into.
    static let cores = max(1, allowedCores.isEmpty ? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) : allowedCores.count)

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
