/// Positive pointwise mutual information of co-occurrence counts `[V, C]`: how much more often each word and
/// context appear together than they would by chance, floored at zero.
///
///     PMI(w, c) = log( P(w, c) / (P(w) P_α(c)) ),   P(w, c) = #(w, c) / D,   P(w) = #(w) / D,
///     P_α(c) = #(c)^α / Σ_c' #(c')^α,               PPMI(w, c) = max(PMI(w, c), 0)
///
/// D is the total count and #(w), #(c) the row and column sums. α < 1 (Levy, Goldberg and Dagan, 2015, use
/// 0.75, as word2vec does for its negative samples) gives rare contexts a little more probability, which
/// tempers PMI's bias towards them; α = 1 is plain PMI. Pairs never seen get 0, not −∞.
public func positivePMI(_ counts: Matrix<Double>, contextSmoothing α: Double = 1) -> Matrix<Double> {
    let total = counts.sum()
    require(total > 0, "positivePMI: the counts are all zero")
    let wordCounts = counts.rowSums().scalars
    let smoothed = counts.columnSums().scalars.map { Double.pow($0, α) }
    let smoothedTotal = smoothed.reduce(0, +)
    var result = Matrix<Double>.zeros(counts.rows, counts.columns)
    for w in 0..<counts.rows where wordCounts[w] > 0 {
        for c in 0..<counts.columns where counts[w, c] > 0 {
            let pmi = Double.log((counts[w, c] / total) / ((wordCounts[w] / total) * (smoothed[c] / smoothedTotal)))
            result[w, c] = Swift.max(pmi, 0)
        }
    }
    return result
}
