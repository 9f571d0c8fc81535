import Synchronization

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

/// A value handed to other threads under a guarantee the compiler cannot check.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
