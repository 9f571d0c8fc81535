import Foundation
import Testing
@testable import SequenceModels

/// Reference values written by `Fixtures/make_fixtures.py` from PyTorch, in float64. The `_packed` fixtures
/// hold a padded batch and its `lengths`, run through `pack_padded_sequence`.
struct RecurrentFixture: Decodable {
    let T: Int, B: Int, D: Int, H: Int
    let lengths: [Int]?
    let input: [Double], h0: [Double], readOut: [Double], readHidden: [Double]
    let output: [Double], hn: [Double]
    let c0: [Double]?, readCell: [Double]?, cn: [Double]?
    let parameters: [String: [Double]], gradients: [String: [Double]]
    let inputGradient: [Double], h0Gradient: [Double], c0Gradient: [Double]?

    static func load(_ name: String) throws -> RecurrentFixture {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        return try JSONDecoder().decode(Self.self, from: Data(contentsOf: folder.appendingPathComponent("\(name).json")))
    }

    func matrix(_ values: [Double], columns: Int) -> Matrix<Double> {
        Matrix(rows: values.count / columns, columns: columns, scalars: values)
    }

    /// Layer `suffix`'s weights (`l0`, `l0_reverse`, `l1`, …) in PyTorch's layout.
    func weights(_ suffix: String, gates: Int, inputSize: Int) -> RecurrentWeights<Double> {
        RecurrentWeights(weightIH: matrix(parameters["weight_ih_\(suffix)"]!, columns: inputSize),
                         weightHH: matrix(parameters["weight_hh_\(suffix)"]!, columns: H),
                         biasIH: matrix(parameters["bias_ih_\(suffix)"]!, columns: gates * H),
                         biasHH: matrix(parameters["bias_hh_\(suffix)"]!, columns: gates * H), gates: gates)
    }

    func gradientList(_ suffix: String) -> [[Double]] {
        ["weight_ih_", "weight_hh_", "bias_ih_", "bias_hh_"].map { gradients[$0 + suffix]! }
    }
}

/// The largest absolute difference between two equally long lists.
func largestDifference<Scalar: FloatingPoint>(_ a: [Scalar], _ b: [Scalar]) -> Scalar {
    precondition(a.count == b.count, "compared lists have lengths \(a.count) and \(b.count)")
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

@Suite struct PyTorchParityTests {
    /// Loads fixture `name`, runs `kernel`'s layer forward and backward, and compares every number with PyTorch's.
    func compare<Kernel: GateKernel>(_ name: String, _ kernel: Kernel) throws where Kernel.Scalar == Double {
        let f = try RecurrentFixture.load(name)
        let layer = Recurrence(weights: f.weights("l0", gates: Kernel.gateCount, inputSize: f.D), kernel: kernel)
        let initial = RecurrentState(hidden: f.matrix(f.h0, columns: f.H), cell: f.c0.map { f.matrix($0, columns: f.H) })
        let (outputs, final, cache) = layer.forward(f.matrix(f.input, columns: f.D), batch: f.B, lengths: f.lengths,
                                                    initialState: initial)
        #expect(largestDifference(outputs.scalars, f.output) < 1e-10)
        #expect(largestDifference(final.hidden.scalars, f.hn) < 1e-10)
        if let cn = f.cn { #expect(largestDifference(final.cell!.scalars, cn) < 1e-10) }

        let endGradient = RecurrentState(hidden: f.matrix(f.readHidden, columns: f.H),
                                         cell: f.readCell.map { f.matrix($0, columns: f.H) })
        let (dInput, dParameters, dInitial) = layer.backward(f.matrix(f.readOut, columns: f.H),
                                                             finalStateGradient: endGradient, cache: cache)
        #expect(dParameters.count == 4)
        for (mine, torch) in zip(dParameters.map(\.scalars), f.gradientList("l0")) {
            #expect(largestDifference(mine, torch) < 1e-10)
        }
        #expect(largestDifference(dInput.scalars, f.inputGradient) < 1e-10)
        #expect(largestDifference(dInitial.hidden.scalars, f.h0Gradient) < 1e-10)
        if let c0Gradient = f.c0Gradient { #expect(largestDifference(dInitial.cell!.scalars, c0Gradient) < 1e-10) }
    }

    @Test(arguments: ["rnn", "rnn_packed"]) func rnnMatchesTorch(_ name: String) throws { try compare(name, ElmanKernel<Double>(.tanh)) }
    @Test(arguments: ["lstm", "lstm_packed"]) func lstmMatchesTorch(_ name: String) throws { try compare(name, LSTMKernel<Double>()) }
    @Test(arguments: ["gru", "gru_packed"]) func gruMatchesTorch(_ name: String) throws { try compare(name, GRUKernel<Double>()) }

    /// Splits a `[L, B, H]` list into L matrices `[B, H]`.
    func perLayer(_ values: [Double], _ f: RecurrentFixture) -> [Matrix<Double>] {
        f.matrix(values, columns: f.H).rows(0 ..< values.count / f.H).steps(batch: f.B)
    }

    @Test(arguments: ["bilstm", "bilstm_packed"]) func bidirectionalLSTMMatchesTorch(_ name: String) throws {
        let f = try RecurrentFixture.load(name)
        let layer = Bidirectional(forward: LSTM(weights: f.weights("l0", gates: 4, inputSize: f.D), kernel: .init()),
                                  backward: LSTM(weights: f.weights("l0_reverse", gates: 4, inputSize: f.D), kernel: .init()))
        let (h0, c0) = (perLayer(f.h0, f), perLayer(f.c0!, f))
        let initial = BidirectionalState(forward: RecurrentState(hidden: h0[0], cell: c0[0]),
                                         backward: RecurrentState(hidden: h0[1], cell: c0[1]))
        let (outputs, final, cache) = layer.forward(f.matrix(f.input, columns: f.D), batch: f.B, lengths: f.lengths,
                                                    initialState: initial)
        #expect(outputs.shape == [f.T * f.B, 2 * f.H])
        #expect(largestDifference(outputs.scalars, f.output) < 1e-10)
        #expect(largestDifference(final.forward.hidden.scalars + final.backward.hidden.scalars, f.hn) < 1e-10)
        #expect(largestDifference(final.forward.cell!.scalars + final.backward.cell!.scalars, f.cn!) < 1e-10)

        let (rh, rc) = (perLayer(f.readHidden, f), perLayer(f.readCell!, f))
        let endGradient = BidirectionalState(forward: RecurrentState(hidden: rh[0], cell: rc[0]),
                                             backward: RecurrentState(hidden: rh[1], cell: rc[1]))
        let (dInput, dParameters, dInitial) = layer.backward(f.matrix(f.readOut, columns: 2 * f.H),
                                                             finalStateGradient: endGradient, cache: cache)
        #expect(dParameters.count == 8)
        for (mine, torch) in zip(dParameters.map(\.scalars), f.gradientList("l0") + f.gradientList("l0_reverse")) {
            #expect(largestDifference(mine, torch) < 1e-10)
        }
        #expect(largestDifference(dInput.scalars, f.inputGradient) < 1e-10)
        #expect(largestDifference(dInitial.forward.hidden.scalars + dInitial.backward.hidden.scalars, f.h0Gradient) < 1e-10)
    }

    @Test(arguments: ["gru2", "gru2_packed"]) func twoLayerGRUMatchesTorch(_ name: String) throws {
        let f = try RecurrentFixture.load(name)
        let layer = Stacked([GRU(weights: f.weights("l0", gates: 3, inputSize: f.D), kernel: .init()),
                             GRU(weights: f.weights("l1", gates: 3, inputSize: f.H), kernel: .init())])
        let initial = perLayer(f.h0, f).map { RecurrentState(hidden: $0) }
        let (outputs, final, cache) = layer.forward(f.matrix(f.input, columns: f.D), batch: f.B, lengths: f.lengths,
                                                    initialState: initial)
        #expect(largestDifference(outputs.scalars, f.output) < 1e-10)
        #expect(largestDifference(final.flatMap(\.hidden.scalars), f.hn) < 1e-10)

        let endGradient = perLayer(f.readHidden, f).map { RecurrentState(hidden: $0) }
        let (dInput, dParameters, dInitial) = layer.backward(f.matrix(f.readOut, columns: f.H),
                                                             finalStateGradient: endGradient, cache: cache)
        #expect(dParameters.count == 8)
        for (mine, torch) in zip(dParameters.map(\.scalars), f.gradientList("l0") + f.gradientList("l1")) {
            #expect(largestDifference(mine, torch) < 1e-10)
        }
        #expect(largestDifference(dInput.scalars, f.inputGradient) < 1e-10)
        #expect(largestDifference(dInitial.flatMap(\.hidden.scalars), f.h0Gradient) < 1e-10)
    }
}
