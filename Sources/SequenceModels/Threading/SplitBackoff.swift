import Synchronization

/// When parts that meet at every step should stop splitting, because a partner keeps them waiting.
///
/// On a busy machine one part's core may be running another program. Its partner then waits at the
/// ``StepBarrier`` until the scheduler gives that part its core back, a time slice (milliseconds) at a time,
/// and a split run can then be slower than one part alone.
///
/// A split run whose parts spent more than an eighth of their time blocked at the barrier found a busy
/// machine: idle runs block for a few percent of it, runs beside a busy core for far more (measured:
/// docs/performance.md). The runs that follow then go on one part: 4, then 8, doubling up to 256 while
/// each retry still finds it busy; a retry that finds it idle ends the backoff.
/// Only the packed product may fall back: there a number is computed the same way whatever the split, so
/// the results do not change with the machine's load (``RecurrenceParts``).
final class SplitBackoff: Sendable {
    /// The backoff of the process's recurrences.
    static let shared = SplitBackoff()

    private struct State {
        /// Runs still to be made on one part.
        var skipping = 0
        /// How many runs the next busy retry skips: 0 while the machine looks idle.
        var length = 0
    }
    private let state = Mutex(State())
    static let firstLength = 4, longestLength = 256

    /// Whether the next run may split. When it may not, the run is counted as one of those to skip.
    func claimSplit() -> Bool {
        state.withLock { state in
            guard state.skipping > 0 else { return true }
            state.skipping -= 1
            return false
        }
    }

    /// Records what a split run found: its parts spent `blocked` of their `time` (the run's, times the parts) blocked.
    func record(blocked: Duration, of time: Duration) {
        state.withLock { state in
            if blocked * 8 > time {                                  // a partner was kept from running
                state.length = state.length == 0 ? Self.firstLength : min(2 * state.length, Self.longestLength)
                state.skipping = state.length
            } else {
                state.length = 0
            }
        }
    }
}
