/// A gated recurrent unit layer in PyTorch's formulation: ``Recurrence`` with the ``GRUKernel``.
///
/// Gate order **r, z, n**, as `torch.nn.GRU`: `weightIH` is `[3H, D]` = [W_ir; W_iz; W_in],
/// `weightHH` is `[3H, H]`, the biases `[1, 3H]`.
public typealias GRU<Scalar: MatrixScalar> = Recurrence<GRUKernel<Scalar>>

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
    public func forward(inputGates: UnsafePointer<Scalar>, hiddenGates: UnsafePointer<Scalar>,
                        previousHidden: UnsafePointer<Scalar>, previousCell: UnsafePointer<Scalar>?,
                        cache: UnsafeMutablePointer<Scalar>, hidden: UnsafeMutablePointer<Scalar>,
                        cell: UnsafeMutablePointer<Scalar>?, batch: Int, units: Range<Int>, hiddenSize h: Int) {
        for b in 0..<batch {
            let x = inputGates + b * 3 * h, rh = hiddenGates + b * 3 * h, keep = cache + b * 4 * h, s = b * h
            for j in units {
                let r = Scalar.gateSigmoid(x[j] + rh[j]), z = Scalar.gateSigmoid(x[h + j] + rh[h + j])
                let hiddenCandidate = rh[2 * h + j]                    // W_hn h⟨t−1⟩ + b_hn
                let n = Scalar.gateTanh(x[2 * h + j] + r * hiddenCandidate) // the reset acts after the product
                keep[j] = r; keep[h + j] = z; keep[2 * h + j] = n; keep[3 * h + j] = hiddenCandidate
                hidden[s + j] = (1 - z) * n + z * previousHidden[s + j]
            }
        }
    }

    @inline(__always)
    public func backward(cache: UnsafePointer<Scalar>, previousHidden: UnsafePointer<Scalar>,
                         previousCell: UnsafePointer<Scalar>?, cell: UnsafePointer<Scalar>?,
                         dHidden: UnsafePointer<Scalar>, dCell: UnsafeMutablePointer<Scalar>?,
                         dInputGates: UnsafeMutablePointer<Scalar>, dHiddenGates: UnsafeMutablePointer<Scalar>,
                         dPreviousHidden: UnsafeMutablePointer<Scalar>, dParameters: UnsafeMutablePointer<Scalar>,
                         batch: Int, units: Range<Int>, hiddenSize h: Int) {
        for b in 0..<batch {
            let keep = cache + b * 4 * h, dIn = dInputGates + b * 3 * h, dHid = dHiddenGates + b * 3 * h, s = b * h
            for j in units {
                let r = keep[j], z = keep[h + j], n = keep[2 * h + j], hiddenCandidate = keep[3 * h + j]
                let dh = dHidden[s + j]
                let dn = dh * (1 - z) * (1 - n * n)                 // ∂L/∂(pre-activation of n)
                let dz = dh * (previousHidden[s + j] - n) * z * (1 - z)
                let dr = dn * hiddenCandidate * r * (1 - r)
                dIn[j] = dr; dHid[j] = dr
                dIn[h + j] = dz; dHid[h + j] = dz
                dIn[2 * h + j] = dn; dHid[2 * h + j] = dn * r       // W_hn's product was scaled by r
                dPreviousHidden[s + j] = dh * z                     // the skip path h⟨t−1⟩ → h⟨t⟩
            }
        }
    }
}
