import Foundation
import Testing
@testable import SequenceModels

/// Scores written by `Fixtures/make_bleu_fixtures.py` with sacreBLEU 2.6.
struct BLEUFixture: Decodable {
    struct Sentence: Decodable {
        let candidate: String
        let references: [String]
        let scores: [String: Double]
    }
    struct Worked: Decodable {
        let score: Double, precisions: [Double], bp: Double, sysLen: Int, refLen: Int
    }
    let sentences: [Sentence]
    let corpus: [String: Double]
    let workedExample: Worked

    static func load() throws -> BLEUFixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/bleu.json")
        return try JSONDecoder().decode(Self.self, from: Data(contentsOf: url))
    }
}

func tokens(_ sentence: String) -> [String] { sentence.split(separator: " ").map(String.init) }

@Suite struct BLEUTests {
    static let methods: [(String, BLEUSmoothing)] = [("none", .none), ("floor", .floor(0.1)), ("add-k", .addK(1)), ("exp", .exponential)]

    @Test func theWorkedExampleGivesTheCourseNumbers() throws {
        let candidate = tokens("The cat the cat on the mat")
        let references = [tokens("The cat is on the mat"), tokens("There is a cat on the mat")]
        #expect(clippedMatches(candidate: candidate, references: references, order: 1) == (5, 7))   // p1 = 5/7
        #expect(clippedMatches(candidate: candidate, references: references, order: 2) == (4, 6))   // p2 = 4/6
        let score = corpusBLEU(candidates: [candidate], references: [references])
        #expect(formatScalar(score, decimals: 2) == "46.71")
        let worked = try BLEUFixture.load().workedExample
        #expect(abs(score - worked.score) < 1e-9)
        #expect(worked.sysLen == 7 && worked.refLen == 7 && worked.bp == 1)
    }

    @Test func everySentenceMatchesSacreBLEUWithEverySmoothing() throws {
        let fixture = try BLEUFixture.load()
        #expect(fixture.sentences.count >= 20)
        for sentence in fixture.sentences {
            for (name, smoothing) in Self.methods {
                let mine = sentenceBLEU(candidate: tokens(sentence.candidate), references: sentence.references.map(tokens),
                                        smoothing: smoothing)
                #expect(abs(mine - sentence.scores[name]!) < 1e-9, "\(name): '\(sentence.candidate)'")
            }
        }
    }

    @Test func corpusBLEUSumsCountsBeforeScoring() throws {
        let fixture = try BLEUFixture.load()
        let candidates = fixture.sentences.map { tokens($0.candidate) }
        let references = fixture.sentences.map { $0.references.map(tokens) }
        for (name, smoothing) in Self.methods {
            let mine = corpusBLEU(candidates: candidates, references: references, smoothing: smoothing)
            #expect(abs(mine - fixture.corpus[name]!) < 1e-9, "\(name)")
        }
        let meanOfSentences = candidates.indices.map {
            sentenceBLEU(candidate: candidates[$0], references: references[$0])
        }.reduce(0, +) / Double(candidates.count)
        #expect(abs(meanOfSentences - fixture.corpus["exp"]!) > 1, "corpus BLEU is not the mean of sentence BLEU")
    }

    @Test func brevityPenaltyUsesRoverC() {
        #expect(brevityPenalty(candidateLength: 7, referenceLength: 6) == 1)
        #expect(abs(brevityPenalty(candidateLength: 4, referenceLength: 6) - Double.exp(1 - 6.0 / 4)) < 1e-15)
        #expect(brevityPenalty(candidateLength: 6, referenceLength: 6) == 1)
        #expect(brevityPenalty(candidateLength: 0, referenceLength: 6) == 0)
    }
}
