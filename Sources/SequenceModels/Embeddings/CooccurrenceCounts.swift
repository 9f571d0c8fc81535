/// How often each word appears within `window` positions of each other word: `[V, V]`, symmetric.
///
/// Entry (w, c) counts the pairs of positions i ≠ j with |i − j| ≤ `window`, token i = w and token j = c:
/// the same (word, context) pairs that skip-gram with that window trains on, counted instead of predicted.
/// Complexity: O(N · window) for N tokens, and O(V²) memory.
public func cooccurrenceCounts(_ tokens: [Int], vocabularySize: Int, window: Int) -> Matrix<Double> {
    require(window >= 1, "cooccurrenceCounts: the window must be at least 1, got \(window)")
    require(tokens.allSatisfy { (0..<vocabularySize).contains($0) }, "cooccurrenceCounts: a token is outside 0..<\(vocabularySize)")
    var counts = Matrix<Double>.zeros(vocabularySize, vocabularySize)
    counts.scalars.withUnsafeMutableBufferPointer { entries in
        for (i, word) in tokens.enumerated() {
            for j in Swift.max(0, i - window) ..< Swift.min(tokens.count, i + window + 1) where j != i {
                entries[word * vocabularySize + tokens[j]] += 1
            }
        }
    }
    return counts
}
