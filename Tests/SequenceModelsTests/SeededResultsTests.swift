import Testing
@testable import SequenceModels

/// SeededResults against figures worked out by hand.
struct SeededResultsTests {
    @Test func meanRangeAndComparisonsAreTheHandWorkedOnes() {
        var ran: [UInt64] = []
        let low = SeededResults(seeds: [3, 1, 2]) { seed in ran.append(seed); return Double(seed) / 2 }   // 1.5, 0.5, 1.0
        #expect(ran == [3, 1, 2], "each seed runs once, in order")
        #expect(low.values == [1.5, 0.5, 1.0])
        #expect(low.mean == 1.0 && low.smallest == 0.5 && low.largest == 1.5 && low.range == 1.0)
        let high = SeededResults(seeds: [1, 2]) { seed in 1.75 + Double(seed) / 4 }                     // 2.0, 2.25
        #expect(low.allBelow(high) && !high.allBelow(low))
        #expect(low.gapExceedsSpread(high), "means 1.0 and 2.125 differ by 1.125, more than low's range 1.0")
        let near = SeededResults(seeds: [1, 2]) { seed in 1.0 + Double(seed) / 5 }                      // 1.2, 1.4
        #expect(!low.gapExceedsSpread(near), "means 1.0 and 1.3 differ by 0.3, less than low's range 1.0")
        #expect(!near.allBelow(low) && !low.allBelow(near))
        #expect(low.formatted(decimals: 2) == "1.00 (seeds 3, 1, 2: 1.50, 0.50, 1.00; range 1.00)")
    }

    @Test func differencePairsResultsSeedBySeed() {
        let first = SeededResults(seeds: [7, 8]) { seed in Double(seed) }              // 7, 8
        let second = SeededResults(seeds: [7, 8]) { seed in Double(seed * seed) / 8 }  // 6.125, 8
        let difference = first - second
        #expect(difference.seeds == [7, 8] && difference.values == [0.875, 0])
        #expect(difference.mean == 0.4375 && difference.range == 0.875)
    }
}
