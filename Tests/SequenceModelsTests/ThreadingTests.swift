import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import SequenceModels

/// The threading room: the step barrier, with partners that arrive late, the backoff from splitting on a
/// busy machine, and the process-wide settings.
@Suite(.serialized) struct ThreadingTests {
    /// Every part passes every step only once all parts reached it, whether a partner is a moment late
    /// (the spinning path) or far later than the spin limit (the blocking path).
    @Test(arguments: [0, 2_000])
    func theBarrierHoldsEveryPartAtEveryStep(lateMicroseconds: Int) {
        let parts = 3, steps = 200
        let barrier = StepBarrier(parties: parts)
        let arrivals = Atomic<Int>(0)
        let mistakes = Atomic<Int>(0)
        Parallelism.runTogether(parts) { part in
            for step in 0..<steps {
                if part == parts - 1 && step % 10 == 0 { usleep(UInt32(lateMicroseconds)) }
                arrivals.add(1, ordering: .sequentiallyConsistent)
                barrier.wait()
                // Past the barrier, every part has arrived at this step.
                if arrivals.load(ordering: .sequentiallyConsistent) < (step + 1) * parts { mistakes.add(1, ordering: .relaxed) }
                barrier.wait()
            }
        }
        #expect(mistakes.load(ordering: .relaxed) == 0)
        #expect(arrivals.load(ordering: .relaxed) == parts * steps)
        // The late part napped 20 times; each nap can keep the other two parts blocked for its whole length.
        // At least half of that: 20 naps' worth of blocked time.
        if lateMicroseconds > 0 { #expect(barrier.blockedTime >= .microseconds(20 * lateMicroseconds)) }
    }

    /// A run blocked for more than an eighth of its parts' time sends the next runs to one part: 4, then 8
    /// after another busy retry; a retry that finds the machine idle splits again from then on.
    @Test func aBusyMachineBacksOffSplitsForLongerEachTime() {
        let backoff = SplitBackoff()
        func claims(_ count: Int) -> [Bool] { (0..<count).map { _ in backoff.claimSplit() } }
        #expect(claims(3) == [true, true, true])
        backoff.record(blocked: .milliseconds(1), of: .milliseconds(8))             // an eighth: not busy
        #expect(claims(2) == [true, true])
        backoff.record(blocked: .milliseconds(2), of: .milliseconds(8))
        #expect(claims(5) == [false, false, false, false, true])
        backoff.record(blocked: .milliseconds(5), of: .milliseconds(8))             // still busy: twice as long
        #expect(claims(9) == Array(repeating: false, count: 8) + [true])
        backoff.record(blocked: .microseconds(50), of: .milliseconds(8))            // idle again
        #expect(claims(3) == [true, true, true])
        backoff.record(blocked: .milliseconds(3), of: .milliseconds(8))             // and the next backoff starts short
        #expect(claims(5) == [false, false, false, false, true])
        for _ in 0..<20 { backoff.record(blocked: .milliseconds(3), of: .milliseconds(8)) }
        #expect(claims(SplitBackoff.longestLength + 1).filter { !$0 }.count == SplitBackoff.longestLength)
    }

    /// The settings are visible, can be undone, are not applied again once undone, and can be applied again.
    @Test func processSettingsCanBeSeenAndUndone() {
        // As at a process's start: the first use applies them, unless the environment says off.
        ProcessSettings.restore()
        ProcessSettings.forgetChoice()
        ProcessSettings.applyUnlessChosen(setting: "off")
        #expect(!ProcessSettings.isApplied, "SEQUENCEMODELS_PROCESS_SETTINGS=off leaves them off")
        ProcessSettings.forgetChoice()
        _ = (Parallelism.cores, ProcessSettings.isApplied)                    // getters: they change nothing
        #expect(!ProcessSettings.isApplied)
        ProcessSettings.applyUnlessChosen(setting: nil)
        #expect(ProcessSettings.isApplied, "the first use applies them")
        ProcessSettings.restore()
        #expect(!ProcessSettings.isApplied)
        _ = matmul(Matrix<Float>.zeros(4, 4), Matrix<Float>.zeros(4, 4))
        #expect(!ProcessSettings.isApplied, "a product after restore() leaves them undone")
        ProcessSettings.apply()
        #expect(ProcessSettings.isApplied)
    }
}
