/// Mixing: adding one sound into another, as a word is pasted into a clip of background noise.
public enum Mixing {
    /// Adds `gain · sound[i]` to `clip[start + i]` for every i; the sound must fit: start + sound.count ≤ clip.count.
    public static func add(_ sound: [Float], into clip: inout [Float], at start: Int, gain: Float = 1) {
        require(start >= 0 && start + sound.count <= clip.count,
                "Mixing: a sound of \(sound.count) samples at \(start) does not fit in a clip of \(clip.count)")
        clip.withUnsafeMutableBufferPointer { out in
            for i in sound.indices { out[start + i] += gain * sound[i] }
        }
    }
}
