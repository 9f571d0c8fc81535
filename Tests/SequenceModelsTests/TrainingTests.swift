import Foundation
import Testing
@testable import SequenceModels

/// Optimizer trajectories and `clip_grad_norm_` written by `Fixtures/make_fixtures.py` from PyTorch.
struct OptimizerFixture: Decodable {
    struct Clip: Decodable { let maxNorm: Double, totalNorm: Double, clipped: [[Double]] }
    let start: [[Double]], shapes: [[Int]], gradients: [[[Double]]]
    let sgd: [[Double]], adagrad: [[Double]], adam: [[Double]]
    let clipNorm: Clip

    static func load() throws -> OptimizerFixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/optim.json")
        return try JSONDecoder().decode(Self.self, from: Data(contentsOf: url))
    }

    func matrices(_ lists: [[Double]]) -> [Matrix<Double>] {
        zip(lists, shapes).map { Matrix(rows: $1[0], columns: $1[1], scalars: $0) }
    }
}

@Suite struct TrainingTests {
    /// Runs three steps of an optimizer and compares the parameters with PyTorch's.
    func trajectory(_ step: (inout [Matrix<Double>], [Matrix<Double>]) -> Void, expected: [[Double]], in f: OptimizerFixture) {
        var parameters = f.matrices(f.start)
        for gradients in f.gradients { step(&parameters, f.matrices(gradients)) }
        for (mine, torch) in zip(parameters, expected) {
            #expect(largestDifference(mine.scalars, torch) < 1e-12)
        }
    }

    @Test func sgdAdagradAndAdamFollowPyTorch() throws {
        let f = try OptimizerFixture.load()
        var sgd = SGD<Double>(learningRate: 0.1)
        trajectory({ sgd.step(&$0, $1) }, expected: f.sgd, in: f)
        var adagrad = Adagrad<Double>(learningRate: 0.1)
        trajectory({ adagrad.step(&$0, $1) }, expected: f.adagrad, in: f)
        var adam = Adam<Double>(learningRate: 0.01)
        trajectory({ adam.step(&$0, $1) }, expected: f.adam, in: f)
    }

    @Test func clipByGlobalNormMatchesClipGradNorm() throws {
        let f = try OptimizerFixture.load()
        var gradients = f.matrices(f.gradients[0])
        let norm = clipByGlobalNorm(&gradients, maxNorm: f.clipNorm.maxNorm)
        #expect(abs(norm - f.clipNorm.totalNorm) < 1e-12)
        for (mine, torch) in zip(gradients, f.clipNorm.clipped) { #expect(largestDifference(mine.scalars, torch) < 1e-12) }
        #expect(abs(globalNorm(gradients) - f.clipNorm.maxNorm) < 1e-5)   // the new norm is max / (1 + 1e-6 / norm)
        var small = [Matrix<Double>([[0.1, -0.2]])]
        clipByGlobalNorm(&small, maxNorm: 5)
        #expect(small == [Matrix([[0.1, -0.2]])], "gradients under the limit are left alone")
    }

    @Test func clipByValueSetsLargeEntriesToPlusOrMinusTheLimit() {
        var gradients = [Matrix<Double>([[3, -0.5, -7, 1]])]
        clipByValue(&gradients, maxValue: 1)
        #expect(gradients[0] == Matrix([[1, -0.5, -1, 1]]))
    }

    @Test func unreducedLossesAreThePerExampleTerms() {
        var g = SeededGenerator(seed: 12)
        let logits = Matrix<Double>.normal(3, 5, using: &g)
        let (losses, gradient) = SoftmaxCrossEntropy.unreduced(logits, targets: [4, 0, 2])
        let summed = SoftmaxCrossEntropy(reduction: .sum)(logits, targets: [4, 0, 2])
        #expect(abs(losses.reduce(0, +) - summed.loss) < 1e-12 && gradient == summed.gradient)
        #expect(abs(losses[1] + Double.log(softmax(logits)[1, 0])) < 1e-12)
        let tagged = BinaryCrossEntropy.unreduced(Matrix<Double>([[0, 2]]), labels: Matrix([[1, 0]]))
        #expect(abs(tagged.losses[0, 0] - Double.log(2)) < 1e-15 && abs(tagged.losses[0, 1] - Double.log(1 + Double.exp(2))) < 1e-12)
    }
}

/// Layers' parameters in one list for an optimizer, and back to each layer by name.
@Suite struct NamedParametersTests {
    @Test func eachLayerTakesBackItsOwnShareInOrder() {
        var generator = SeededGenerator(seed: 3)
        let lstm = LSTM<Double>(inputSize: 3, hiddenSize: 2, generator: &generator)
        let head = Linear<Double>(inputSize: 2, outputSize: 5, generator: &generator)
        var named = NamedParameters(["lstm": lstm.parameters, "head": head.parameters])
        #expect(named.all == lstm.parameters + head.parameters)
        named.all = named.all.map { $0 * 2 }                           // an optimizer's step, in place
        #expect(named["lstm"] == lstm.parameters.map { $0 * 2 })
        #expect(named["head"] == head.parameters.map { $0 * 2 })
        let split = NamedParameters(named.all, splitLike: ["lstm": lstm.parameters, "head": head.parameters])
        #expect(split["head"].map(\.shape) == [[5, 2], [1, 5]])
    }

    @Test func anUnknownNameStopsWithTheNamesThereAre() async {
        await #expect(processExitsWith: .failure) {
            let named = NamedParameters(["head": [Matrix<Double>.zeros(1, 1)]])
            _ = named["lstm"]
        }
    }

    @Test func aLayerWithPeepholesTakesFiveMatrices() {
        var generator = SeededGenerator(seed: 4)
        var lstm = LSTM<Double>(inputSize: 3, hiddenSize: 2, kernel: LSTMKernel(peepholes: .zeros(3, 2)), generator: &generator)
        let head = Linear<Double>(inputSize: 2, outputSize: 5, generator: &generator)
        let named = NamedParameters(["lstm": lstm.parameters.map { $0 + 1 }, "head": head.parameters])
        lstm.parameters = named["lstm"]
        #expect(lstm.kernel.peepholes == Matrix<Double>(rows: 3, columns: 2, repeating: 1))
    }
}
