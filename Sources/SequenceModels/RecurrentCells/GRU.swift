/// A gated recurrent unit layer in PyTorch's formulation: ``Recurrence`` with the ``GRUKernel``.
///
/// Gate order **r, z, n**, as `torch.nn.GRU`: `weightIH` is `[3H, D]` = [W_ir; W_iz; W_in],
/// `weightHH` is `[3H, H]`, the biases `[1, 3H]`.
public typealias GRU<Scalar: MatrixScalar> = Recurrence<GRUKernel<Scalar>>

extension GRUKernel {
    /// One GRU step written as lesson 08 writes it, with matrix operations: what the fast kernel below
    /// computes, and the reference its tests compare it with. Batch as rows: x `[B, D]`, h `[B, H]`.
    public static func referenceStep(_ x: Matrix<Scalar>, h: Matrix<Scalar>, weights w: RecurrentWeights<Scalar>) -> Matrix<Scalar> {
        let H = h.columns
        let fromInput = matmul(x, w.weightIH, transposeB: true).addingRow(w.biasIH)      // W_i· x⟨t⟩ + b_i·
        let fromHidden = matmul(h, w.weightHH, transposeB: true).addingRow(w.biasHH)     // W_h· h⟨t−1⟩ + b_h·
        let resetGate = sigmoid(fromInput.columns(0..<H) + fromHidden.columns(0..<H))
        let updateGate = sigmoid(fromInput.columns(H..<2 * H) + fromHidden.columns(H..<2 * H))
        let candidate = tanh(fromInput.columns(2 * H..<3 * H) + resetGate * fromHidden.columns(2 * H..<3 * H))
        return (1 - updateGate) * candidate + updateGate * h
    }
}

/// The GRU's step, in PyTorch's equations; the cache row holds r, z, n and W_hn h⟨t−1⟩ + b_hn.
///
///     r⟨t⟩ = σ(W_ir x⟨t⟩ + b_ir + W_hr h⟨t−1⟩ + b_hr)                 reset gate
///     z⟨t⟩ = σ(W_iz x⟨t⟩ + b_iz + W_hz h⟨t−1⟩ + b_hz)                 update gate
///     n⟨t⟩ = tanh(W_in x⟨t⟩ + b_in + r⟨t⟩ ⊙ (W_hn h⟨t−1⟩ + b_hn))      candidate
///     h⟨t⟩ = (1 − z⟨t⟩) ⊙ n⟨t⟩ + z⟨t⟩ ⊙ h⟨t−1⟩
///
/// The reset gate multiplies the *result* of the product W_hn h⟨t−1⟩ (plus b_hn). The classic
/// GRU of Cho et al. (2014) resets *before* the product, W_hn (r ⊙ h⟨t−1⟩); the two give
/// different numbers, and lesson 08 shows both.
public struct GRUKernel<Scalar: MatrixScalar>: GateKernel {
    public static var displayName: String { "GRU" }
    public static var gateCount: Int { 3 }
    public static var usesCellState: Bool { false }
    public static var hiddenGateGradientsDiffer: Bool { true }
    public static var cacheBlocks: Int { 4 }

    public init() {}

    @inline(__always)
    public func forward(_ step: ForwardStep<Scalar>) {
        let (h, units) = (step.hiddenSize, step.units)
        for b in 0..<step.batch {
            let x = step.inputGates + b * 3 * h, rh = step.hiddenGates + b * 3 * h, keep = step.cache + b * 4 * h
            // The gate blocks of this example's row, in PyTorch's order r, z, n, and the cache's four blocks.
            let (xR, xZ, xN) = (x, x + h, x + 2 * h)
            let (hR, hZ, hN) = (rh, rh + h, rh + 2 * h)                 // hN = W_hn h⟨t−1⟩ + b_hn
            let (resetGate, updateGate, candidate, hiddenCandidate) = (keep, keep + h, keep + 2 * h, keep + 3 * h)
            let (hPrevious, hOut) = (step.previousHidden + b * h, step.hidden + b * h)
            // One pass per result, so that each pass vectorises.
            for j in units { resetGate[j] = Scalar.gateSigmoid(xR[j] + hR[j]) }
            for j in units { updateGate[j] = Scalar.gateSigmoid(xZ[j] + hZ[j]) }
            for j in units { hiddenCandidate[j] = hN[j] }
            for j in units { candidate[j] = Scalar.gateTanh(xN[j] + resetGate[j] * hN[j]) }   // the reset acts after the product
            for j in units { hOut[j] = (1 - updateGate[j]) * candidate[j] + updateGate[j] * hPrevious[j] }
        }
    }

    @inline(__always)
    public func backward(_ step: BackwardStep<Scalar>) {
        let (h, units) = (step.hiddenSize, step.units)
        for b in 0..<step.batch {
            let keep = step.cache + b * 4 * h, dIn = step.dInputGates + b * 3 * h, dHid = step.dHiddenGates + b * 3 * h
            let (resetGate, updateGate, candidate, hiddenCandidate) = (keep, keep + h, keep + 2 * h, keep + 3 * h)
            let (dInR, dInZ, dInN) = (dIn, dIn + h, dIn + 2 * h)       // ∂L/∂(pre-activations), input side
            let (dHidR, dHidZ, dHidN) = (dHid, dHid + h, dHid + 2 * h) // and hidden side
            let (hPrevious, dh, dPrevious) = (step.previousHidden + b * h, step.dHidden + b * h, step.dPreviousHidden + b * h)
            for j in units {                                           // ∂L/∂(pre-activation of n)
                let (z, n) = (updateGate[j], candidate[j])
                dInN[j] = dh[j] * (1 - z) * (1 - n * n)
            }
            for j in units { dHidN[j] = dInN[j] * resetGate[j] }      // W_hn's product was scaled by r
            for j in units {
                let z = updateGate[j]
                dInZ[j] = dh[j] * (hPrevious[j] - candidate[j]) * z * (1 - z)
            }
            for j in units { dHidZ[j] = dInZ[j] }
            for j in units {
                let r = resetGate[j]
                dInR[j] = dInN[j] * hiddenCandidate[j] * r * (1 - r)
            }
            for j in units { dHidR[j] = dInR[j] }
            for j in units { dPrevious[j] = dh[j] * updateGate[j] }    // the skip path h⟨t−1⟩ → h⟨t⟩
        }
    }
}
