@_implementationOnly import COpenBLAS
import Dispatch

/// Runs `body` on disjoint ranges of `0..<batch`, one per core, with BLAS single-threaded inside.
///
/// The examples of a batch never interact inside a recurrence, so each range can run the
/// whole time loop on its own; this parallelises the element-wise gate arithmetic as well
/// as the small per-step products, which BLAS's own threads handle poorly. Batches smaller
/// than `minimumPerPart` rows per part run on the calling thread.
func forEachBatchPart(_ batch: Int, minimumPerPart: Int = 8, _ body: (Range<Int>) -> Void) {
    let parts = min(2, max(1, batch / minimumPerPart))
    guard parts > 1 else { return body(0..<batch) }
    let threads = openblas_get_num_threads()
    openblas_set_num_threads(1)
    defer { openblas_set_num_threads(threads) }
    withoutActuallyEscaping(body) { body in
        // Each part writes only its own rows, so sharing the closure across threads is safe.
        let shared = UncheckedSendable(body)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            shared.value(part * batch / parts ..< (part + 1) * batch / parts)
        }
    }
}

/// A value handed to other threads under a guarantee the compiler cannot check.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
