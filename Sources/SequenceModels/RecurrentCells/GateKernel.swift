/// The per-step arithmetic of one kind of recurrent cell: what happens between the matrix products.
///
/// ``Recurrence`` does the products: x W_ihᵀ + b_ih for all steps at once (the *input gates*),
/// and h⟨t−1⟩ W_hhᵀ + b_hh at each step (the *hidden gates*), both `[B, G·H]` with the gate
/// blocks in PyTorch's order. A kernel turns them into the new state, and back again.
/// Pointers address `B` consecutive rows; each row of a `[B, k·H]` block holds k gate blocks of H.
/// A call handles only the hidden units in `units` (all H of them, unless ``Recurrence`` has
/// split the units of a small batch between cores), at every position they have in a row.
public protocol GateKernel: Sendable {
    associatedtype Scalar: MatrixScalar
    /// The cell's name in messages: `RNN`, `LSTM` or `GRU`.
    static var displayName: String { get }
    /// G, the number of gate blocks in W_ih and W_hh.
    static var gateCount: Int { get }
    /// Whether the cell carries a cell state c (the LSTM).
    static var usesCellState: Bool { get }
    /// How many H-wide blocks per row the kernel keeps for its backward pass.
    static var cacheBlocks: Int { get }
    /// Whether ∂L/∂(hidden gates) can differ from ∂L/∂(input gates). It cannot when the two are
    /// simply added (LSTM, vanilla RNN); it can for the GRU, whose reset gate scales W_hn h.
    /// When it cannot, ``backward`` leaves `dHiddenGates` alone and the driver reuses `dInputGates`.
    static var hiddenGateGradientsDiffer: Bool { get }

    /// The kernel with its default settings.
    init()

    /// Weights of the kernel's own, beyond W_ih, W_hh and the biases (the LSTM's `peepholes`), by name;
    /// usually none. Setting reads them by name from a layer's parameters, which hold W_ih, W_hh and
    /// the biases too.
    var parameters: Parameters<Scalar> { get set }

    /// One step forward. Writes the kernel's cache row, h⟨t⟩, and c⟨t⟩ when there is one.
    func forward(_ step: ForwardStep<Scalar>)

    /// One step backward, given ∂L/∂h⟨t⟩ (all of it) and, for the LSTM, ∂L/∂c⟨t⟩ from later steps in `dCell`.
    ///
    /// Writes ∂L/∂(input gates) and ∂L/∂(hidden gates), `[B, G·H]` each; the part of ∂L/∂h⟨t−1⟩
    /// that does not go through W_hh into `dPreviousHidden`; and ∂L/∂c⟨t−1⟩ into `dCell`.
    /// Adds the gradients of ``parameters``, flattened one matrix after another, into `dParameters`.
    func backward(_ step: BackwardStep<Scalar>)
}

/// Where one forward step of a ``GateKernel`` reads and writes: `batch` consecutive rows of each block.
public struct ForwardStep<Scalar: MatrixScalar> {
    /// x⟨t⟩ W_ihᵀ + b_ih, `[B, G·H]`.
    public let inputGates: UnsafePointer<Scalar>
    /// h⟨t−1⟩ W_hhᵀ + b_hh, `[B, G·H]`.
    public let hiddenGates: UnsafePointer<Scalar>
    /// h⟨t−1⟩ and, for the LSTM, c⟨t−1⟩, `[B, H]`.
    public let previousHidden: UnsafePointer<Scalar>, previousCell: UnsafePointer<Scalar>?
    /// Written: the kernel's cache row `[B, cacheBlocks·H]`, h⟨t⟩ `[B, H]` and, for the LSTM, c⟨t⟩ `[B, H]`.
    public let cache: UnsafeMutablePointer<Scalar>, hidden: UnsafeMutablePointer<Scalar>, cell: UnsafeMutablePointer<Scalar>?
    /// B, the hidden units this call computes (all of `0..<H` unless the units are split between cores), and H.
    public let batch: Int, units: Range<Int>, hiddenSize: Int
}

/// Where one backward step of a ``GateKernel`` reads and writes: `batch` consecutive rows of each block.
public struct BackwardStep<Scalar: MatrixScalar> {
    /// The kernel's cache row of step t, `[B, cacheBlocks·H]`.
    public let cache: UnsafePointer<Scalar>
    /// h⟨t−1⟩, and for the LSTM c⟨t−1⟩ and c⟨t⟩, `[B, H]`.
    public let previousHidden: UnsafePointer<Scalar>, previousCell: UnsafePointer<Scalar>?, cell: UnsafePointer<Scalar>?
    /// ∂L/∂h⟨t⟩, all of it, `[B, H]`.
    public let dHidden: UnsafePointer<Scalar>
    /// ∂L/∂c⟨t⟩ on entry and ∂L/∂c⟨t−1⟩ on return, for the LSTM, `[B, H]`.
    public let dCell: UnsafeMutablePointer<Scalar>?
    /// Written: ∂L/∂(input gates) and ∂L/∂(hidden gates), `[B, G·H]` each (the second only when they differ).
    public let dInputGates: UnsafeMutablePointer<Scalar>, dHiddenGates: UnsafeMutablePointer<Scalar>
    /// Written: the part of ∂L/∂h⟨t−1⟩ that does not go through W_hh, `[B, H]`.
    public let dPreviousHidden: UnsafeMutablePointer<Scalar>
    /// Added into: the gradients of the kernel's own ``GateKernel/parameters``, flattened one matrix after another.
    public let dParameters: UnsafeMutablePointer<Scalar>
    /// B, the hidden units this call computes, and H.
    public let batch: Int, units: Range<Int>, hiddenSize: Int
}

extension GateKernel {
    /// None of its own: the layer's W_ih, W_hh and biases are all there is.
    public var parameters: Parameters<Scalar> {
        get { [:] }
        set {}
    }
}
