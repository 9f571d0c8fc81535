/// A seeded random number generator that gives the same numbers on every machine.
///
/// It is SplitMix64 (Steele, Lea and Flood, 2014): a 64-bit counter advanced by the
/// golden-ratio constant and then scrambled by two xor-shift-multiply rounds. It uses only
/// integer arithmetic, so the stream for a seed is fixed forever, and it passes BigCrush.
/// Floating-point draws go through ``nextUniform()``, never through the standard
/// library's `random(in:)`, whose algorithm may change between Swift releases.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose stream is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform draw from [0, 1) with 53 random bits.
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform draw from `range`.
    public mutating func uniform(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * nextUniform()
    }

    /// A standard normal draw, by the Box–Muller transform.
    public mutating func nextNormal() -> Double {
        let u1 = 1 - nextUniform()          // in (0, 1], so the log is finite
        let u2 = nextUniform()
        return (-2 * Double.log(u1)).squareRoot() * Double.cos(2 * Double.pi * u2)
    }

    /// A uniform integer in `0..<count`, by rejection so that no value is favoured.
    public mutating func nextIndex(below count: Int) -> Int {
        require(count > 0, "nextIndex(below:) needs a positive count, got \(count)")
        let bound = UInt64(count)
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let x = next()
            if x < limit { return Int(x % bound) }
        }
    }
}

extension Double {
    fileprivate static func cos(_ x: Double) -> Double { _cos(x) }
}

#if canImport(Glibc)
import Glibc
private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#endif

extension Matrix {
    /// A `[rows, columns]` matrix of draws from U(−bound, bound), PyTorch's recurrent initialisation
    /// with `bound = 1/√H`.
    public static func uniform(
        _ rows: Int, _ columns: Int, bound: Double, using generator: inout SeededGenerator
    ) -> Matrix {
        Matrix(rows: rows, columns: columns,
               scalars: (0..<rows * columns).map { _ in Scalar(generator.uniform(in: -bound...bound)) })
    }

    /// A `[rows, columns]` matrix of draws from N(0, standardDeviation²).
    public static func normal(
        _ rows: Int, _ columns: Int, standardDeviation: Double = 1, using generator: inout SeededGenerator
    ) -> Matrix {
        Matrix(rows: rows, columns: columns,
               scalars: (0..<rows * columns).map { _ in Scalar(standardDeviation * generator.nextNormal()) })
    }
}
