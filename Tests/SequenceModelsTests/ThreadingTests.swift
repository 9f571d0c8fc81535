import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import SequenceModels

/// The threading room: the step barrier, with partners that arrive late, and the process-wide settings.
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
    }

    /// The settings are visible, can be undone, are not applied again once undone, and can be applied again.
    @Test func processSettingsCanBeSeenAndUndone() {
        _ = matmul(Matrix<Float>.zeros(4, 4), Matrix<Float>.zeros(4, 4))
        let before = ProcessSettings.isApplied
        #expect(before || getenv("SEQUENCEMODELS_PROCESS_SETTINGS") != nil, "the first product applies them")
        ProcessSettings.restore()
        #expect(!ProcessSettings.isApplied)
        _ = matmul(Matrix<Float>.zeros(4, 4), Matrix<Float>.zeros(4, 4))
        #expect(!ProcessSettings.isApplied, "a product after restore() leaves them undone")
        ProcessSettings.apply()
        #expect(ProcessSettings.isApplied)
        _ = Parallelism.cores                              // a getter: it changes nothing
        #expect(ProcessSettings.isApplied)
    }
}
