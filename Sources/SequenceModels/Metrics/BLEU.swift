/// How BLEU treats an n-gram order with no matches, following sacreBLEU's four methods.
public enum BLEUSmoothing: Sendable, Equatable {
    /// No smoothing: any zero precision makes BLEU 0.
    case none
    /// A zero match count is replaced by `value` (sacreBLEU's default 0.1).
    case floor(Double)
    /// For n ≥ 2, `value` is added to both matches and totals (sacreBLEU's default 1).
    case addK(Double)
    /// The k-th order with no matches gets precision 1 / (2^k · total) (NIST's mteval, sacreBLEU's default).
    case exponential
}

/// The counts behind BLEU: clipped matches and totals for n = 1…4, and the two lengths.
///
/// Counts add up over sentences: corpus BLEU is BLEU of the summed counts, not the mean of
/// sentence BLEU scores.
public struct BLEUStatistics: Sendable, Equatable {
    public var matches: [Int]
    public var totals: [Int]
    /// c, the candidate length in tokens.
    public var candidateLength: Int
    /// r, the length of the reference closest in length to the candidate (the shorter on a tie).
    public var referenceLength: Int

    public static func + (a: BLEUStatistics, b: BLEUStatistics) -> BLEUStatistics {
        BLEUStatistics(matches: zip(a.matches, b.matches).map(+), totals: zip(a.totals, b.totals).map(+),
                       candidateLength: a.candidateLength + b.candidateLength,
                       referenceLength: a.referenceLength + b.referenceLength)
    }
}

/// The n-grams of `tokens` with their counts.
public func ngramCounts(_ tokens: [String], order n: Int) -> [[String]: Int] {
    var counts: [[String]: Int] = [:]
    if tokens.count >= n {
        for start in 0...(tokens.count - n) { counts[Array(tokens[start ..< start + n]), default: 0] += 1 }
    }
    return counts
}

/// Clipped n-gram precision's two counts: each candidate n-gram counts at most as often as it
/// appears in any single reference.
///
/// "The cat the cat on the mat" against "The cat is on the mat" and "There is a cat on the mat":
/// unigrams give 5 matches of 7, bigrams 4 of 6.
public func clippedMatches(candidate: [String], references: [[String]], order n: Int) -> (matches: Int, total: Int) {
    let candidateCounts = ngramCounts(candidate, order: n)
    var largestInAReference: [[String]: Int] = [:]
    for reference in references {
        for (gram, count) in ngramCounts(reference, order: n) {
            largestInAReference[gram] = max(largestInAReference[gram] ?? 0, count)
        }
    }
    let matches = candidateCounts.reduce(0) { $0 + min($1.value, largestInAReference[$1.key] ?? 0) }
    return (matches, max(candidate.count - n + 1, 0))
}

/// The brevity penalty: 1 when the candidate is longer than the reference (c > r), else exp(1 − r/c).
///
/// It punishes candidates too short to be judged by precision alone; an empty candidate gets 0.
public func brevityPenalty(candidateLength c: Int, referenceLength r: Int) -> Double {
    if c > r { return 1 }
    if c == 0 { return 0 }
    return Double.exp(1 - Double(r) / Double(c))
}

/// The counts of one candidate against its references, for orders 1…`maxOrder`.
public func bleuStatistics(candidate: [String], references: [[String]], maxOrder: Int = 4) -> BLEUStatistics {
    require(!references.isEmpty, "BLEU needs at least one reference")
    let counts = (1...maxOrder).map { clippedMatches(candidate: candidate, references: references, order: $0) }
    let closest = references.map(\.count).min { a, b in
        (abs(a - candidate.count), a) < (abs(b - candidate.count), b)
    }!
    return BLEUStatistics(matches: counts.map(\.matches), totals: counts.map(\.total),
                          candidateLength: candidate.count, referenceLength: closest)
}

/// BLEU = BP · exp(Σₙ wₙ log pₙ) with uniform weights wₙ = 1/N, on a 0–100 scale, as sacreBLEU computes it.
///
/// With `effectiveOrder`, orders the candidate is too short to have are left out of the mean
/// (sacreBLEU's sentence-level default).
public func bleu(_ statistics: BLEUStatistics, smoothing: BLEUSmoothing = .exponential,
                 effectiveOrder: Bool = false) -> Double {
    let maxOrder = statistics.matches.count
    // No candidate, or not a single matching n-gram of any order: 0, before any smoothing
    // (sacreBLEU's early stop, so that smoothing cannot give credit to a wholly wrong candidate).
    guard statistics.candidateLength > 0, statistics.matches.contains(where: { $0 > 0 }) else { return 0 }
    var precisions = [Double](repeating: 0, count: maxOrder)
    var matches = statistics.matches.map(Double.init), totals = statistics.totals.map(Double.init)
    var halvings = 1.0
    var order = maxOrder
    for n in 0..<maxOrder {
        if case .addK(let k) = smoothing, n > 0 {
            matches[n] += k
            totals[n] += k
        }
        if totals[n] == 0 { break }
        if effectiveOrder { order = n + 1 }
        if matches[n] == 0 {
            switch smoothing {
            case .exponential:
                halvings *= 2
                precisions[n] = 100 / (halvings * totals[n])
            case .floor(let value):
                precisions[n] = 100 * value / totals[n]
            case .none, .addK:
                precisions[n] = 0
            }
        } else {
            precisions[n] = 100 * matches[n] / totals[n]
        }
    }
    // sacreBLEU's log of 0 is −9 999 999 999, which makes BLEU 0 without a NaN.
    let logSum = precisions[..<order].reduce(0.0) { $0 + ($1 > 0 ? Double.log($1) : -9_999_999_999) }
    let penalty = brevityPenalty(candidateLength: statistics.candidateLength, referenceLength: statistics.referenceLength)
    return penalty * Double.exp(logSum / Double(order))
}

/// Sentence BLEU of one tokenised candidate against its references, as sacreBLEU's `sentence_bleu`.
public func sentenceBLEU(candidate: [String], references: [[String]], smoothing: BLEUSmoothing = .exponential) -> Double {
    bleu(bleuStatistics(candidate: candidate, references: references), smoothing: smoothing, effectiveOrder: true)
}

/// Corpus BLEU: the counts of every sentence summed first, then one BLEU, as sacreBLEU's `corpus_bleu`.
public func corpusBLEU(candidates: [[String]], references: [[[String]]], smoothing: BLEUSmoothing = .exponential) -> Double {
    require(candidates.count == references.count,
            "corpusBLEU: \(candidates.count) candidates but \(references.count) reference sets")
    guard let first = candidates.indices.first else { return 0 }
    let total = candidates.indices.dropFirst().reduce(bleuStatistics(candidate: candidates[first], references: references[first])) {
        $0 + bleuStatistics(candidate: candidates[$1], references: references[$1])
    }
    return bleu(total, smoothing: smoothing)
}
