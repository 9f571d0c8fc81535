import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A meeting point for the parts of ``Parallelism/runTogether(_:_:)``: ``wait()`` returns once
/// every part has called it, as many times as it.
///
/// It spins first: between two steps of a recurrence the wait is a microsecond or less, much shorter
/// than a sleep and a wake-up. Past about 20 µs it blocks on a condition variable instead, so that on a
/// busy machine, where a partner may not be running at all, a waiting part gives its core to the partner
/// (or to the other program) rather than spinning through its time slice. The time spent blocked is
/// counted (``blockedTime``), for ``SplitBackoff`` to see whether a partner was running.
final class StepBarrier: @unchecked Sendable {
    private let parties: Int
    private let arrived = Atomic<Int>(0)
    private let round = Atomic<Int>(0)
    /// Parts asleep on the condition, which the last to arrive must wake.
    private let sleepers = Atomic<Int>(0)
    /// Nanoseconds spent blocked so far, summed over the parts.
    private let blockedNanoseconds = Atomic<Int>(0)
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let woken = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Spins before blocking: about 20 µs of atomic loads.
    static let spinLimit = 20_000

    init(parties: Int) {
        self.parties = parties
        pthread_mutex_init(lock, nil)
        pthread_cond_init(woken, nil)
    }

    deinit {
        pthread_cond_destroy(woken)
        pthread_mutex_destroy(lock)
        lock.deallocate()
        woken.deallocate()
    }

    /// The time the parts have spent blocked so far, summed over them: microseconds a run when the parts
    /// run together, as much as a time slice (milliseconds) at a step where a partner was not running.
    var blockedTime: Duration { .nanoseconds(blockedNanoseconds.load(ordering: .relaxed)) }

    func wait() {
        let current = round.load(ordering: .acquiring)
        if arrived.add(1, ordering: .acquiringAndReleasing).newValue == parties {
            arrived.store(0, ordering: .relaxed)
            round.store(current + 1, ordering: .sequentiallyConsistent)    // the last to arrive lets everyone go
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(lock)
                pthread_cond_broadcast(woken)
                pthread_mutex_unlock(lock)
            }
            return
        }
        for _ in 0..<Self.spinLimit where round.load(ordering: .acquiring) != current { return }
        // Asleep only after saying so: the last part stores the round before it reads the sleepers, and a
        // sleeper counts itself before it reads the round, so one of the two always sees the other.
        let blockedSince = ContinuousClock.now
        defer {
            let (seconds, attoseconds) = (ContinuousClock.now - blockedSince).components
            blockedNanoseconds.add(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000), ordering: .relaxed)
        }
        pthread_mutex_lock(lock)
        sleepers.add(1, ordering: .sequentiallyConsistent)
        while round.load(ordering: .sequentiallyConsistent) == current { pthread_cond_wait(woken, lock) }
        sleepers.subtract(1, ordering: .relaxed)
        pthread_mutex_unlock(lock)
    }
}
