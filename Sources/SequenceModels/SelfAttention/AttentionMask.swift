/// Which keys each query may attend to: a causal rule, the real length of each example's keys, or both.
///
///     allowed(i, j) = (not causal or j ≤ i) and j < keyLengths[b]
///
/// A forbidden score is set to −∞ before the softmax, so its weight is exactly 0. `isCausal` is PyTorch's
/// `attn_mask` of −∞ above the diagonal (a decoder must not read the future); `keyLengths` is its
/// `key_padding_mask`, for batches whose shorter sequences are padded at the end.
public struct AttentionMask: Sendable, Equatable {
    /// Query i may read keys 0…i only.
    public var isCausal: Bool
    /// For each example b, how many of its keys are real; nil: all of them.
    public var keyLengths: [Int]?

    public init(isCausal: Bool = false, keyLengths: [Int]? = nil) {
        self.isCausal = isCausal
        self.keyLengths = keyLengths
    }

    /// A decoder's self-attention mask: position i sees positions 0…i.
    public static let causal = AttentionMask(isCausal: true)

    /// Whether query `i` of example `example` may attend to key `j`.
    @inline(__always)
    public func allows(query i: Int, key j: Int, example: Int) -> Bool {
        (!isCausal || j <= i) && (keyLengths == nil || j < keyLengths![example])
    }
}
