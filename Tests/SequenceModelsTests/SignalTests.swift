import Foundation
import Testing
@testable import SequenceModels

/// The DFT as written, O(N²): the independent oracle for the FFT.
func naiveDFT(_ re: [Double], _ im: [Double]) -> (re: [Double], im: [Double]) {
    let n = re.count
    var (outRe, outIm) = ([Double](repeating: 0, count: n), [Double](repeating: 0, count: n))
    for k in 0..<n {
        for t in 0..<n {
            let angle = -2 * Double.pi * Double(k * t % n) / Double(n)
            outRe[k] += re[t] * cos(angle) - im[t] * sin(angle)
            outIm[k] += re[t] * sin(angle) + im[t] * cos(angle)
        }
    }
    return (outRe, outIm)
}

@Suite struct SignalTests {
    @Test(arguments: [1, 2, 4, 8, 64, 512])
    func theFFTAgreesWithTheDFTAsWritten(n: Int) {
        var g = SeededGenerator(seed: UInt64(n))
        let re = Matrix<Double>.normal(1, n, using: &g).scalars, im = Matrix<Double>.normal(1, n, using: &g).scalars
        var (fr, fi) = (re, im)
        FFT.transform(real: &fr, imaginary: &fi)
        let (dr, di) = naiveDFT(re, im)
        for k in 0..<n {
            let error = max(abs(fr[k] - dr[k]), abs(fi[k] - di[k]))
            #expect(error < 1e-9 * Double(n), "bin \(k) of \(n)")
        }
    }

    @Test func parsevalHolds() {
        var g = SeededGenerator(seed: 5)
        let x = Matrix<Double>.normal(1, 256, using: &g).scalars
        var (re, im) = (x, [Double](repeating: 0, count: 256))
        FFT.transform(real: &re, imaginary: &im)
        let timeEnergy = x.reduce(0) { $0 + $1 * $1 }
        var frequencyEnergy = 0.0
        for k in 0..<256 { frequencyEnergy += re[k] * re[k] + im[k] * im[k] }
        frequencyEnergy /= 256
        #expect(abs(timeEnergy - frequencyEnergy) < 1e-9 * timeEnergy)
    }

    @Test func aPureToneLandsInItsBin() {
        let (n, rate) = (512, 16_000.0)
        for bin in [3, 40, 100] {
            let frequency = Double(bin) * rate / Double(n)                  // exactly on bin `bin`
            let tone = (0..<n).map { sin(2 * Double.pi * frequency * Double($0) / rate) }
            let power = FFT.powerSpectrum(tone)
            #expect(power.count == n / 2 + 1)
            let loudest = power.indices.max { power[$0] < power[$1] }
            #expect(loudest == bin)
            #expect(abs(power[bin] - Double(n * n) / 4) < 1e-6 * Double(n * n))   // |X[k]| = N/2 for a unit sine
            let leaked = power.indices.filter { $0 != bin }.map { power[$0] }.max() ?? 0
            #expect(leaked < 1e-12 * power[bin])
        }
    }

    @Test func theHannWindowIsPeriodic() {
        let w = Window.hann(8)
        #expect(w[0] == 0)
        #expect(abs(w[4] - 1) < 1e-15)
        #expect(abs(w[2] - 0.5) < 1e-15)
        #expect(abs(w[1] - w[7]) < 1e-15)
    }

    @Test func framingKeepsOnlyWholeFrames() {
        #expect(Framing.frameCount(sampleCount: 10, length: 4, hop: 3) == 3)       // 0…3, 3…6, 6…9
        #expect(Framing.frameCount(sampleCount: 9, length: 4, hop: 3) == 2)
        #expect(Framing.frameCount(sampleCount: 3, length: 4, hop: 1) == 0)
        let frames = Framing.frames((0..<10).map(Double.init), length: 4, hop: 3, window: [1, 2, 3, 4])
        let expected = Matrix<Double>([[0, 2, 6, 12], [3, 8, 15, 24], [6, 14, 24, 36]])
        #expect(frames == expected)
    }

    @Test func theSpectrogramAveragesBinsIntoBandsAndTakesTheLog() {
        let power = Matrix<Double>([[1, 3, 5, 7, 9], [0, 0, 0, 0, 100]])
        let expectedBands = Matrix<Double>([[2, 7], [0, 100.0 / 3]])                        // bins 0…1 and 2…4
        #expect(Spectrogram.bands(power, count: 2) == expectedBands)
        let rate = 8000.0, tone = (0..<4096).map { sin(2 * Double.pi * 1000 * Double($0) / rate) }   // 1 kHz: bin 32
        let s = Spectrogram.logPower(tone, frameLength: 256, hop: 128, bands: 8)
        #expect(s.shape == [31, 8])
        for f in 0..<s.rows {
            let loudest = (0..<8).max { s[f, $0] < s[f, $1] }
            #expect(loudest == 2)
        }          // 1 kHz is bin 32 of 129, in band 2 (bins 32…47)
    }

    @Test func aWAVFileRoundTrips() throws {
        let wav = WAV(sampleRate: 22_050, samples: [0, 0.5, -0.5, -1, 32767.0 / 32768])
        let bytes = wav.bytes
        #expect(bytes.count == 44 + 10)
        #expect(Array(bytes[0..<4]) == Array("RIFF".utf8))
        #expect(Array(bytes[36..<40]) == Array("data".utf8))
        #expect(try WAV(bytes: bytes) == wav)
    }

    @Test func theWAVReaderReadsTheBytesByHand() throws {
        // RIFF, a LIST chunk of odd length 3 (padded to 4) before fmt, then two samples: 0x0100 = 256 and 0xFF80 = −128.
        var bytes = Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WAVE".utf8)
        bytes += Array("LIST".utf8) + [3, 0, 0, 0, 1, 2, 3, 0]
        bytes += Array("fmt ".utf8) + [16, 0, 0, 0, 1, 0, 1, 0, 0x40, 0x1F, 0, 0, 0x80, 0x3E, 0, 0, 2, 0, 16, 0]
        bytes += Array("data".utf8) + [0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x01, 0x80, 0xFF]        // a streamed length
        let wav = try WAV(bytes: bytes)
        #expect(wav.sampleRate == 8000)
        let expected: [Float] = [256 / 32768, -128 / 32768]
        #expect(wav.samples == expected)
    }

    @Test func theWAVReaderRefusesWhatItCannotRead() {
        var stereo = WAV(sampleRate: 8000, samples: [0, 0]).bytes
        stereo[22] = 2
        #expect(throws: WAV.FormatError(description: "2 channels: only mono is read")) { try WAV(bytes: stereo) }
        var eightBit = WAV(sampleRate: 8000, samples: [0, 0]).bytes
        eightBit[34] = 8
        #expect(throws: WAV.FormatError(description: "8 bits per sample: only 16 is read")) { try WAV(bytes: eightBit) }
        #expect(throws: WAV.FormatError.self) { try WAV(bytes: Array("not a wav file".utf8)) }
    }

    @Test func sequencesInterleaveIntoATimeMajorBatchAndBack() {
        let a = Matrix<Double>([[1, 2], [3, 4], [5, 6]]), b = Matrix<Double>([[7, 8], [9, 10], [11, 12]])
        let batch = Matrix.timeMajor(sequences: [a, b])
        let expected = Matrix<Double>([[1, 2], [7, 8], [3, 4], [9, 10], [5, 6], [11, 12]])
        #expect(batch == expected)
        #expect(batch.sequence(0, batch: 2) == a)
        #expect(batch.sequence(1, batch: 2) == b)
    }
}

@Suite struct MixingTests {
    @Test func aSoundIsAddedAtItsPlaceWithItsGain() {
        var clip: [Float] = [1, 1, 1, 1, 1]
        Mixing.add([2, 4], into: &clip, at: 2, gain: 0.5)
        #expect(clip == [1, 1, 2, 3, 1])
    }

    @Test func aPlanAndTheOneOffTransformAgree() {
        var g = SeededGenerator(seed: 7)
        let x = Matrix<Double>.normal(1, 64, using: &g).scalars
        #expect(FFT(length: 64).powerSpectrum(x) == FFT.powerSpectrum(x))
    }
}
