/// One experiment run once per seed: each seed's result, their mean and their range.
///
/// A comparison drawn from one seed can be luck. Run both sides over the same seeds, then claim what holds
/// across them: `a.allBelow(b)` (every seed of `a` beats every seed of `b`) or `a.gapExceedsSpread(b)`
/// (the means differ by more than either side's range).
///
/// ```swift
/// let lstm = SeededResults(seeds: [1, 2, 3]) { seed in trainLSTM(seed: seed).loss }
/// print(lstm)          // 0.412 (seeds 1, 2, 3: 0.405, 0.420, 0.411; range 0.015)
/// ```
public struct SeededResults: CustomStringConvertible, Sendable {
    /// The seeds, in the order they ran.
    public let seeds: [UInt64]
    /// The experiment's result for each seed, in the same order.
    public let values: [Double]

    /// Runs `experiment` once for each of `seeds` (at least one).
    public init(seeds: [UInt64], _ experiment: (UInt64) throws -> Double) rethrows {
        precondition(!seeds.isEmpty, "SeededResults needs at least one seed")
        self.seeds = seeds
        values = try seeds.map(experiment)
    }

    private init(seeds: [UInt64], values: [Double]) {
        (self.seeds, self.values) = (seeds, values)
    }

    /// Seed by seed, `lhs`'s result minus `rhs`'s: for example how much one model loses between two tests.
    public static func - (lhs: SeededResults, rhs: SeededResults) -> SeededResults {
        require(lhs.seeds == rhs.seeds, "SeededResults: seeds \(lhs.seeds) and \(rhs.seeds) differ, so the results cannot be paired")
        return SeededResults(seeds: lhs.seeds, values: zip(lhs.values, rhs.values).map(-))
    }

    public var mean: Double { values.reduce(0, +) / Double(values.count) }
    public var smallest: Double { values.min()! }
    public var largest: Double { values.max()! }
    /// The largest result minus the smallest: how far apart two seeds can land.
    public var range: Double { largest - smallest }

    /// Whether every seed's result here is below every seed's result of `other`.
    public func allBelow(_ other: SeededResults) -> Bool { largest < other.smallest }

    /// Whether the two means differ by more than the larger of the two ranges.
    public func gapExceedsSpread(_ other: SeededResults) -> Bool { abs(mean - other.mean) > max(range, other.range) }

    /// `MEAN (seeds S1, S2: V1, V2; range R)`, with `decimals` digits after the point.
    public func formatted(decimals: Int = 3) -> String {
        let each = values.map { formatScalar($0, decimals: decimals) }.joined(separator: ", ")
        return "\(formatScalar(mean, decimals: decimals)) (seeds \(seeds.map(String.init).joined(separator: ", ")): \(each); "
            + "range \(formatScalar(range, decimals: decimals)))"
    }

    public var description: String { formatted() }
}
