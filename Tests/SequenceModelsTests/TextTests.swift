import Testing
@testable import SequenceModels

@Suite struct EmbeddingAndTaggingLossTests {
    @Test func lookupEqualsTheOneHotProduct() {
        var g = SeededGenerator(seed: 1)
        let table = Embedding<Double>(vocabularySize: 6, dimension: 3, generator: &g)
        let tokens = [4, 0, 4, 5]
        #expect(table(tokens) == matmul(oneHot(tokens, vocabularySize: 6), table.weight))
    }

    @Test func embeddingGradientMatchesFiniteDifferences() {
        var g = SeededGenerator(seed: 2)
        let table = Embedding<Double>(vocabularySize: 5, dimension: 3, generator: &g)
        let tokens = [1, 3, 1, 0]
        let readOut = Probe(like: table(tokens), generator: &g)
        let result = checkGradients(of: { readOut(Embedding(weight: $0["weight"])(tokens)) }, at: table.parameters,
                                    analytic: ["weight": table.backward(readOut.weights, tokens: tokens)])
        #expect(result.relativeError < 1e-7, "\(result)")
    }

    @Test func binaryCrossEntropyIsStableAndItsGradientChecks() {
        var g = SeededGenerator(seed: 3)
        let logits = Matrix<Double>.normal(4, 2, standardDeviation: 3, using: &g)
        let labels = Matrix<Double>([[1, 0], [0, 0], [1, 1], [0, 1]])
        for reduction in [LossReduction.mean, .sum] {
            let loss = BinaryCrossEntropy(reduction: reduction)
            let result = checkGradients(of: { loss($0["logits"], labels: labels).loss }, at: ["logits": logits],
                                        analytic: ["logits": loss(logits, labels: labels).gradient])
            #expect(result.relativeError < 1e-7, "\(result)")
        }
        // A logit of 0 is probability 1/2: the loss is log 2 whatever the label.
        #expect(abs(BinaryCrossEntropy(reduction: .mean)(Matrix<Double>.zeros(1, 2), labels: Matrix([[0, 1]])).loss - Double.log(2)) < 1e-15)
        // Huge logits stay finite: the loss of a confident right answer is about 0, of a wrong one about |z|.
        let extreme = BinaryCrossEntropy(reduction: .sum)(Matrix<Double>([[800, -800]]), labels: Matrix([[1, 1]])).loss
        #expect(abs(extreme - 800) < 1e-9)
    }
}

@Suite struct VocabularyTests {
    @Test func rareAndUnseenTokensReadAsUnknown() {
        let corpus = wordTokens("The cat sat. The cat ran. A dog sat.")
        #expect(corpus == ["the", "cat", "sat", ".", "the", "cat", "ran", ".", "a", "dog", "sat", "."])
        let vocabulary = Vocabulary(corpus: corpus, minimumCount: 2)
        #expect(vocabulary.tokens == ["<UNK>", "<EOS>", ".", "cat", "sat", "the"])
        #expect(vocabulary.encode(["the", "dog", "zebra", "<EOS>"]) == [5, 0, 0, 1])
        #expect(vocabulary.decode([3, 4]) == ["cat", "sat"])
    }

    @Test func characterVocabularyHasEveryCharacter() {
        let vocabulary = Vocabulary(charactersOf: "abba c")
        #expect(vocabulary.tokens == ["<UNK>", "a", "b", " ", "c"])
        #expect(vocabulary.index(of: "z") == 0)
    }

    @Test func apostrophesStayInsideWords() {
        #expect(wordTokens("Don't stop, 'twas fine!") == ["don't", "stop", ",", "'", "twas", "fine", "!"])
    }
}

@Suite struct BatchingAndSamplingTests {
    @Test func windowsAreTimeMajorAndStreamsContinue() {
        let batches = SequenceBatches(tokens: Array(0..<20), batch: 2, steps: 4)
        // Streams: 0…9 and 10…19. Window 1 holds steps 0–3, window 2 steps 4–7, window 3 step 8.
        #expect(batches.windows.map(\.steps) == [4, 4, 1])
        #expect(batches.windows[0].inputs == [0, 10, 1, 11, 2, 12, 3, 13])
        #expect(batches.windows[0].targets == [1, 11, 2, 12, 3, 13, 4, 14])
        #expect(batches.windows[1].inputs.first == 4 && batches.windows[2].targets == [9, 19])
    }

    @Test func aFixedSeedGivesTheSameSamples() {
        let probabilities = [0.1, 0.2, 0.3, 0.4]
        var first = SeededGenerator(seed: 99), second = SeededGenerator(seed: 99)
        let a = (0..<50).map { _ in first.sampleIndex(probabilities: probabilities) }
        let b = (0..<50).map { _ in second.sampleIndex(probabilities: probabilities) }
        #expect(a == b)
        #expect(Set(a).count > 1)
    }

    @Test func samplingFrequenciesFollowTheProbabilities() {
        var g = SeededGenerator(seed: 5)
        var counts = [0, 0, 0, 0]
        for _ in 0..<40_000 { counts[g.sampleIndex(probabilities: [0.1, 0.2, 0.3, 0.4])] += 1 }
        // Each count is within 4 standard deviations of its expectation.
        for (count, p) in zip(counts, [0.1, 0.2, 0.3, 0.4]) {
            #expect(abs(Double(count) - 40_000 * p) < 4 * (40_000 * p * (1 - p)).squareRoot())
        }
    }

    @Test func aTemperatureNearZeroGivesTheArgmax() {
        let logits = Matrix<Double>([[1.0, 3.0, 2.9, -1]])
        var g = SeededGenerator(seed: 8)
        let cold = softmax(logits, temperature: 1e-3).row(0)
        #expect((0..<100).allSatisfy { _ in g.sampleIndex(probabilities: cold) == 1 })
        let hot = softmax(logits, temperature: 100).row(0)
        #expect(hot.max()! - hot.min()! < 0.05)
    }

    @Test func aUniformModelHasPerplexityV() {
        let logits = Matrix<Double>.zeros(10, 7)
        let loss = SoftmaxCrossEntropy(reduction: .mean)(logits, targets: Array(repeating: 3, count: 10)).loss
        #expect(abs(perplexity(meanCrossEntropy: loss) - 7) < 1e-12)
    }
}

@Suite struct SkipGramTests {
    /// One SGD step moves the parameters by −η ∇L, so (before − after) / η is the analytic gradient.
    @Test func stepFollowsTheGradientOfTheLoss() {
        var g = SeededGenerator(seed: 13)
        let model = SkipGram<Double>(inputVectors: .normal(6, 4, using: &g), outputVectors: .normal(6, 4, using: &g))
        let (center, context, negatives) = (2, 4, [0, 5, 1])
        var stepped = model
        let learningRate = 1e-3
        let loss = stepped.step(center: center, context: context, negatives: negatives, learningRate: learningRate)
        #expect(abs(loss - model.loss(center: center, context: context, negatives: negatives)) < 1e-12)
        let analytic: Parameters<Double> = ["inputVectors": (model.inputVectors - stepped.inputVectors) * (1 / learningRate),
                                            "outputVectors": (model.outputVectors - stepped.outputVectors) * (1 / learningRate)]
        let result = checkGradients(of: { p in
            SkipGram(inputVectors: p["inputVectors"], outputVectors: p["outputVectors"]).loss(center: center, context: context, negatives: negatives)
        }, at: ["inputVectors": model.inputVectors, "outputVectors": model.outputVectors], analytic: analytic)
        #expect(result.relativeError < 1e-7, "\(result)")
    }

    @Test func wordsThatShareContextsEndUpClose() {
        // Tokens 0 and 1 always sit between 2 and 3; tokens 4 and 5 between 6 and 7.
        var stream: [Int] = []
        var g = SeededGenerator(seed: 14)
        for _ in 0..<3000 { stream += g.nextIndex(below: 2) == 0 ? [2, g.nextIndex(below: 2), 3] : [6, 4 + g.nextIndex(below: 2), 7] }
        var model = SkipGram<Double>(vocabularySize: 8, dimension: 8, generator: &g)
        _ = model.train(tokens: stream, window: 1, negatives: 3, epochs: 3, learningRate: 0.05, subsampling: 1, generator: &g)
        func cosine(_ a: Int, _ b: Int) -> Double {
            let (u, v) = (model.inputVectors.row(a), model.inputVectors.row(b))
            return zip(u, v).reduce(0) { $0 + $1.0 * $1.1 } / (Matrix(row: u).norm() * Matrix(row: v).norm())
        }
        #expect(cosine(0, 1) > cosine(0, 4) + 0.5)
        #expect(cosine(4, 5) > cosine(1, 5) + 0.5)
    }
}
