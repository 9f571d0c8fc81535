/// A model that maps a token sequence to a token sequence and reports its loss and gradients on a batch of
/// pairs: lesson 12's ``EncoderDecoder`` and lesson 16's ``TransformerEncoderDecoder``, trained alike.
public protocol SequenceToSequenceModel {
    associatedtype Scalar: MatrixScalar
    var parameters: Parameters<Scalar> { get set }
    /// The loss on the batch (cross-entropy summed over the output positions, averaged over the batch) and its gradients.
    func lossAndGradients(sources: [[Int]], targets: [[Int]]) -> (loss: Scalar, gradients: Parameters<Scalar>)
}

extension SequenceToSequenceModel {
    /// Trains for `steps` steps of Adam on random batches of `pairs` (token sequences); returns the loss of each step.
    ///
    /// Each batch holds sources of one length, so no padding is needed: an encoder that always read
    /// padding in training would meet unpadded sources at test time. Batches are drawn from a length
    /// with probability proportional to its number of examples. The gradient's global norm is clipped
    /// to `clipNorm` first. All targets of a batch must have one length.
    public mutating func fit(_ pairs: [(source: [Int], target: [Int])], steps: Int, batchSize: Int,
                             optimizer: inout Adam<Scalar>, clipNorm: Scalar = 5,
                             generator: inout SeededGenerator) -> [Scalar] {
        let byLength = Dictionary(grouping: pairs.indices, by: { pairs[$0].source.count }).sorted { $0.key < $1.key }.map(\.value)
        var losses: [Scalar] = []
        for _ in 0..<steps {
            var pick = generator.nextIndex(below: pairs.count)              // a length, weighted by its size
            let group = byLength.first { group in
                if pick < group.count { return true }
                pick -= group.count
                return false
            }!
            let batch = (0..<batchSize).map { _ in pairs[group[generator.nextIndex(below: group.count)]] }
            var (loss, gradients) = lossAndGradients(sources: batch.map(\.source), targets: batch.map(\.target))
            clipByGlobalNorm(&gradients, maxNorm: clipNorm)
            var current = parameters
            optimizer.step(&current, gradients)
            parameters = current
            losses.append(loss)
        }
        return losses
    }
}
