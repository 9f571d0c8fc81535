import Testing
@testable import SequenceModels

/// Counting-based word vectors: co-occurrence counts, positive PMI, and the truncated SVD that shortens them.
@Suite struct FrequencyEmbeddingTests {
    @Test func cooccurrencesAreCountedWithinTheWindowBothWays() {
        // "a b c b" with a window of 1: a–b once, b–c twice (positions 1–2 and 2–3), each in both directions.
        let counts = cooccurrenceCounts([0, 1, 2, 1], vocabularySize: 3, window: 1)
        #expect(counts.scalars == [0, 1, 0,
                                   1, 0, 2,
                                   0, 2, 0])
        let wider = cooccurrenceCounts([0, 1, 2, 1], vocabularySize: 3, window: 2)
        #expect(wider[0, 2] == 1 && wider[1, 1] == 2 && wider[0, 1] == 1, "a–c, b–b (positions 1 and 3, both ways), and a–b still once: position 3 is 3 away")
    }

    @Test func positivePMIMatchesItsDefinitionByHand() {
        // D = 4; #(0) = #(0 as context) = 3, #(1) = 1. PMI(0, 1) = log((1/4) / ((3/4)(1/4))) = log(4/3);
        // PMI(0, 0) = log((2/4) / (3/4)²) < 0, floored at 0; an unseen pair gets 0.
        let ppmi = positivePMI(Matrix([[2.0, 1.0], [1.0, 0.0]]))
        #expect(abs(ppmi[0, 1] - Double.log(4.0 / 3)) < 1e-15 && abs(ppmi[1, 0] - Double.log(4.0 / 3)) < 1e-15)
        #expect(ppmi[0, 0] == 0 && ppmi[1, 1] == 0)
        // With α = 0.75 the rare context's probability rises from 1/4 to 1 / (3^0.75 + 1), so its PMI falls.
        let smoothed = positivePMI(Matrix([[2.0, 1.0], [1.0, 0.0]]), contextSmoothing: 0.75)
        #expect(abs(smoothed[0, 1] - Double.log((1.0 / 4) / ((3.0 / 4) * (1 / (Double.pow(3, 0.75) + 1))))) < 1e-15)
        #expect(smoothed[0, 1] < ppmi[0, 1])
    }

    @Test func symmetricEigenFindsEachPairAndTheTrace() {
        var g = SeededGenerator(seed: 1)
        let x = Matrix<Double>.normal(6, 6, using: &g), a = x + x.transposed()
        let (values, vectors) = a.symmetricEigen()
        #expect(values == values.sorted(by: >))
        for j in 0..<6 {                                                   // A v = λ v
            let v = vectors.columns(j..<j + 1)
            #expect((matmul(a, v) - v * values[j]).norm() < 1e-12, "eigenpair \(j)")
        }
        #expect((matmul(vectors, vectors, transposeA: true) - Matrix.identity(6)).norm() < 1e-12, "orthonormal eigenvectors")
        #expect(abs(values.reduce(0, +) - (0..<6).reduce(0) { $0 + a[$1, $1] }) < 1e-12, "the eigenvalues sum to the trace")
    }

    /// A matrix made as U diag(σ) Vᵀ with known σ: the truncated SVD must give back its largest σ and their vectors.
    @Test func truncatedSVDRecoversAKnownDecomposition() {
        var g = SeededGenerator(seed: 2)
        let (m, n, full) = (300, 120, 60)
        let u = Matrix<Double>.normal(m, full, using: &g).orthonormalColumns(), v = Matrix<Double>.normal(n, full, using: &g).orthonormalColumns()
        #expect((matmul(u, u, transposeA: true) - Matrix.identity(full)).norm() < 1e-12, "Gram–Schmidt gives orthonormal columns")
        let sigma = (0..<full).map { 50 * Double.pow(0.8, Double($0)) }
        var scaled = u
        for r in 0..<m { for j in 0..<full { scaled[r, j] *= sigma[j] } }
        let a = matmul(scaled, v, transposeB: true)
        let svd = a.truncatedSVD(rank: 8, generator: &g)
        for j in 0..<8 {
            #expect(abs(svd.singularValues[j] - sigma[j]) < 1e-10 * sigma[0], "σ\(j)")
            let alignU = abs(zip(svd.u.columns(j..<j + 1).scalars, u.columns(j..<j + 1).scalars).reduce(0) { $0 + $1.0 * $1.1 })
            let alignV = abs(zip(svd.v.columns(j..<j + 1).scalars, v.columns(j..<j + 1).scalars).reduce(0) { $0 + $1.0 * $1.1 })
            #expect(alignU > 1 - 1e-10 && alignV > 1 - 1e-10, "singular vectors \(j), up to sign")
        }
    }
}
