/// How the loop over time of a ``Recurrence`` is shared between cores.
///
/// The examples of a batch never interact, so a batch of 16 or more is split by examples: each
/// core runs the whole loop for its own examples, and never waits for another. A smaller batch
/// (batch 1 above all) is split by hidden units instead, when there are 256 or more. Each core computes the gates
/// of its own units from its own rows of W_hh, so that each step it reads half of W_hh, not all of it; but every
/// step needs all of h⟨t−1⟩, so the cores meet at a ``StepBarrier`` once per step. At batch 1 a step is a
/// matrix–vector product, bound by how fast W_hh reaches the core. Half of a 256-unit W_hh is 512 KB, the whole
/// level-2 cache of a Zen 3 core, so there it cannot stay in level 2; even so, reading half of W_hh per core
/// makes the split train faster than one part at 256×1 and at 512×1 (measured: docs/performance.md).
/// With the packed product each number is computed exactly as by one core, so results do not
/// depend on the split; OpenBLAS may sum a product's terms in another order for another shape.
///
/// On a busy machine a part may wait at every step for a partner whose core runs another program.
/// ``SplitBackoff`` notices, and the runs that follow go on one part, with every unit. Only on the packed
/// product: on OpenBLAS that would make results depend on the machine's load.
struct RecurrenceParts {
    struct Part {
        /// The part's position, which orders the sums of its results.
        let index: Int
        /// The examples of the batch it steps, and the hidden units it computes for them.
        let examples: Range<Int>, units: Range<Int>
    }

    let parts: [Part]
    /// Whether the parts share the examples and split the units.
    let splitsUnits: Bool
    /// Whether the recurrence's products are packed, so that a busy machine may take the split away.
    let packed: Bool

    /// The backoff consulted and fed by the parts: the process's, or one of a test's own.
    @TaskLocal static var backoff = SplitBackoff.shared

    /// The parts of a recurrence over a batch of `batch`, with `hiddenSize` units, whose products are `packed`
    /// (``ProductOperand/isPacked(expectedRows:products:)``).
    init(batch: Int, hiddenSize h: Int, packed: Bool) {
        ProcessSettings.applyOnFirstUse()
        let cores = Parallelism.cores
        let byExamples = min(cores, max(1, batch / 8))              // at least 8 examples a part
        // At least 128 units a part: below that W_hh fits one core's cache anyway, and the barrier costs more than it saves.
        let byUnits = min(cores, h / 128)
        self.packed = packed
        splitsUnits = byExamples == 1 && byUnits > 1 && (!packed || Self.backoff.claimSplit())
        if splitsUnits {
            // Boundaries on multiples of 16, one vector register of Float.
            let bounds = (0...byUnits).map { p in p == byUnits ? h : (p * h / byUnits + 15) / 16 * 16 }
            parts = (0..<byUnits).map { p in Part(index: p, examples: 0..<batch, units: bounds[p] ..< bounds[p + 1]) }
        } else {
            parts = (0..<byExamples).map { p in
                Part(index: p, examples: p * batch / byExamples ..< (p + 1) * batch / byExamples, units: 0..<h)
            }
        }
    }

    /// Runs `body` for every part at once; the barrier is there when the units are split.
    func run(_ body: (Part, StepBarrier?) -> Void) {
        if splitsUnits {
            let barrier = StepBarrier(parties: parts.count)
            let clock = ContinuousClock(), start = clock.now
            Parallelism.runTogether(parts.count) { body(parts[$0], barrier) }
            if packed { Self.backoff.record(blocked: barrier.blockedTime, of: (clock.now - start) * parts.count) }
        } else {
            Parallelism.forEachPart(parts.count, parts: parts.count) { range in
                for p in range { body(parts[p], nil) }
            }
        }
    }
}
