/// A WAV file of 16-bit PCM samples on one channel, the format espeak-ng writes.
///
/// A WAV file is a RIFF container: the 12 bytes `"RIFF"`, a little-endian UInt32 size and `"WAVE"`, then
/// chunks, each a 4-byte name, a UInt32 length and that many bytes (plus one padding byte when the length is
/// odd). The `fmt ` chunk holds the format (UInt16 1 for PCM, UInt16 channels, UInt32 sample rate, UInt32 byte
/// rate, UInt16 block align, UInt16 bits per sample); the `data` chunk holds the samples as little-endian Int16.
/// Other chunks (`LIST`, …) are skipped. A `data` length larger than the bytes left (a stream written to a pipe
/// says 0xFFFFFFFF) is read up to the end of the file.
public struct WAV: Equatable, Sendable {
    /// Samples per second.
    public var sampleRate: Int
    /// The samples scaled to [−1, 1): the Int16 value divided by 32 768.
    public var samples: [Float]

    public init(sampleRate: Int, samples: [Float]) {
        self.sampleRate = sampleRate
        self.samples = samples
    }

    /// Why bytes are not a WAV file this reader can read.
    public struct FormatError: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// Reads a 16-bit PCM mono WAV file.
    public init(bytes: [UInt8]) throws {
        func uint32(_ at: Int) -> Int {
            Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
        }
        func uint16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func name(_ at: Int) -> String { String(decoding: bytes[at..<at + 4], as: UTF8.self) }
        guard bytes.count >= 12, name(0) == "RIFF", name(8) == "WAVE" else {
            throw FormatError(description: "not a WAV file: it does not start with RIFF….WAVE")
        }
        var offset = 12
        var rate: Int?
        while offset + 8 <= bytes.count {
            let chunk = name(offset), length = uint32(offset + 4), body = offset + 8
            if chunk == "fmt " {
                guard length >= 16, body + 16 <= bytes.count else { throw FormatError(description: "the fmt chunk is too short") }
                let (format, channels, bits) = (uint16(body), uint16(body + 2), uint16(body + 14))
                guard format == 1 else { throw FormatError(description: "format \(format) is not PCM (1)") }
                guard channels == 1 else { throw FormatError(description: "\(channels) channels: only mono is read") }
                guard bits == 16 else { throw FormatError(description: "\(bits) bits per sample: only 16 is read") }
                rate = uint32(body + 4)
            } else if chunk == "data" {
                guard let rate else { throw FormatError(description: "the data chunk comes before the fmt chunk") }
                let end = min(body + length, bytes.count)
                let count = (end - body) / 2
                var samples = [Float](repeating: 0, count: count)
                for i in 0..<count {
                    samples[i] = Float(Int16(bitPattern: UInt16(bytes[body + 2 * i]) | UInt16(bytes[body + 2 * i + 1]) << 8)) / 32768
                }
                self.init(sampleRate: rate, samples: samples)
                return
            }
            offset = body + length + (length & 1)
        }
        throw FormatError(description: "no data chunk")
    }

    /// The file's bytes: a 44-byte header (`fmt ` then `data`) and the samples rounded to Int16, clipped to its range.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        func append32(_ v: Int) { out += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24 & 0xFF)] }
        func append16(_ v: Int) { out += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        let dataLength = 2 * samples.count
        out += Array("RIFF".utf8); append32(36 + dataLength); out += Array("WAVE".utf8)
        out += Array("fmt ".utf8); append32(16); append16(1); append16(1); append32(sampleRate); append32(2 * sampleRate)
        append16(2); append16(16)
        out += Array("data".utf8); append32(dataLength)
        for s in samples {
            let v = Int16(max(-32768, min(32767, (Double(s) * 32768).rounded())))
            append16(Int(UInt16(bitPattern: v)))
        }
        return out
    }
}
