// Times full training steps of a character-level LSTM language model, as bench/peer_torch.py
// does for PyTorch: one-hot input → LSTM → linear → softmax cross-entropy → BPTT → clip to norm 5 → Adam.
// Prints the product path, then (after a line of progress on standard error per configuration) the sgemm rates,
// the path's peak (the limit), then one line per configuration:
// `swift float32 H=<H> B=<B> T=<T> chars_per_s=<n> limit=<n> share=<p>%`.
import COpenBLAS
import SequenceModels
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

struct CharacterModel {
    var lstm: LSTM<Float>
    var head: Linear<Float>
    var optimizer = Adam<Float>(learningRate: 1e-3)

    init(vocabulary: Int, hiddenSize: Int, generator: inout SeededGenerator) {
        lstm = LSTM(inputSize: vocabulary, hiddenSize: hiddenSize, generator: &generator)
        head = Linear(inputSize: hiddenSize, outputSize: vocabulary, generator: &generator)
    }

    /// One training step on a `[T·B, V]` one-hot batch; returns the mean loss.
    mutating func step(_ oneHot: Matrix<Float>, targets: [Int], batch: Int) -> Float {
        let (hidden, _, cache) = lstm.forward(oneHot, batch: batch, initialState: nil)
        let logits = head(hidden)
        let (loss, dLogits) = SoftmaxCrossEntropy(reduction: .mean)(logits, targets: targets)
        let headGradients = head.backward(dLogits, input: hidden)
        // As in PyTorch, where the one-hot input does not require a gradient, ∂L/∂input is not computed.
        let lstmGradients = lstm.backward(headGradients.inputGradient, finalStateGradient: nil, cache: cache,
                                          computesInputGradient: false)
        var gradients = Parameters(layers: ["lstm": lstmGradients.parameterGradients, "head": headGradients.parameterGradients])
        clipByGlobalNorm(&gradients, maxNorm: 5)
        var parameters = Parameters(layers: ["lstm": lstm.parameters, "head": head.parameters])
        optimizer.step(&parameters, gradients)
        lstm.parameters = parameters.layer("lstm")
        head.parameters = parameters.layer("head")
        return loss
    }
}

func charactersPerSecond(hiddenSize: Int, batch: Int, steps: Int, vocabulary: Int = 65,
                         warmup: Int = 3, repetitions: Int = 20) -> Double {
    var generator = SeededGenerator(seed: 0)
    var model = CharacterModel(vocabulary: vocabulary, hiddenSize: hiddenSize, generator: &generator)
    let inputs = (0..<steps * batch).map { _ in generator.nextIndex(below: vocabulary) }
    let targets = (0..<steps * batch).map { _ in generator.nextIndex(below: vocabulary) }
    var oneHot = Matrix<Float>.zeros(steps * batch, vocabulary)
    for (row, token) in inputs.enumerated() { oneHot[row, token] = 1 }
    for _ in 0..<warmup { _ = model.step(oneHot, targets: targets, batch: batch) }
    let clock = ContinuousClock()
    let elapsed = clock.measure {
        for _ in 0..<repetitions { _ = model.step(oneHot, targets: targets, batch: batch) }
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    return Double(repetitions * steps * batch) / seconds
}

/// GFLOP/s of `body`, a product of `flops` floating-point operations, best of three after one warm-up.
func gigaflops(_ flops: Double, _ body: () -> Void) -> Double {
    body()
    let clock = ContinuousClock()
    let best = (0..<3).map { _ in clock.measure(body) }.min()!
    return flops / (Double(best.components.seconds) + Double(best.components.attoseconds) * 1e-18) / 1e9
}

/// Keeps a result the optimiser would otherwise drop, with the work that made it.
@inline(never) func keep<T>(_ value: T) { withExtendedLifetime(value) {} }

/// The machine's limit: the better of OpenBLAS's sgemm (all cores) and the core's own product (split over the
/// cores) on a 2048³ Float product, timed in this run.
func sgemmLimit() -> (openBLAS: Double, core: Double) {
    let n = 2048
    var g = SeededGenerator(seed: 1)
    let a = Matrix<Float>.normal(n, n, using: &g), b = Matrix<Float>.normal(n, n, using: &g)
    var blasResult = [Float](repeating: 0, count: n * n)
    let flops = 2 * Double(n * n * n)
    let cores = Int32(ProcessInfoCores.count)
    let saved = openblas_get_num_threads()
    openblas_set_num_threads(cores)
    let blas = gigaflops(flops) {
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                blasResult.withUnsafeMutableBufferPointer { pc in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1,
                                pa.baseAddress, Int32(n), pb.baseAddress, Int32(n), 0, pc.baseAddress, Int32(n))
                }
            }
        }
    }
    openblas_set_num_threads(saved)
    let core = gigaflops(flops) { keep(matmul(a, b)) }
    return (blas, core)
}

/// The most this machine's cores can compute on `path`, in GFLOP/s, and how it was found: cores × the fastest clock seen
/// in this run × the path's floating-point operations per cycle (two fused multiply-adds per cycle, 16 floats wide
/// with AVX-512, 8 with AVX2; OpenBLAS uses the widest the processor has). No product can beat it, so no share
/// of it can pass 100%, however the machine's load or OpenBLAS's own speed varies.
func peakGigaflops(_ path: ProductKernel) -> (gigaflops: Double, clockGHz: Double, perCycle: Double) {
    let hasAVX512 = procCPUInfo().contains(" avx512f")
    let width: Double = path == .avx512 || (path == .blas && hasAVX512) ? 16 : 8
    let clock = clockGigahertz()
    return (Double(ProcessInfoCores.count) * clock * 2 * 2 * width, clock, 2 * 2 * width)
}

/// The text of /proc/cpuinfo ("" where there is none).
func procCPUInfo() -> String {
    guard let file = fopen("/proc/cpuinfo", "r") else { return "" }
    defer { fclose(file) }
    var bytes: [UInt8] = [], buffer = [UInt8](repeating: 0, count: 1 << 16)
    while case let count = fread(&buffer, 1, buffer.count, file), count > 0 { bytes += buffer[..<count] }
    return String(decoding: bytes, as: UTF8.self)
}

/// Where the clock's chain of multiplies ends: an atomic store, which the compiler can neither drop nor delay.
let clockChainEnd = Atomic<UInt64>(0)

/// The clock, in GHz, measured: a chain of integer multiplies and xors, each waiting for the one before (3 cycles
/// and 1 on every x86-64 core of the last decade), timed several times; the fastest timing gives the highest clock.
func clockGigahertz() -> Double {
    let steps = 30_000_000
    var x = UInt64(truncatingIfNeeded: Int(bitPattern: UInt(getpid()))) | 1
    var best = Double.infinity
    for _ in 0..<5 {
        let start = ContinuousClock.now
        for _ in 0..<steps { x = (x &* 0x9E37_79B9_7F4A_7C15) ^ (x >> 29) }   // a multiply, then an xor: latency 3 + 1
        clockChainEnd.store(x, ordering: .releasing)                          // the chain is done before the clock is read
        let elapsed = ContinuousClock.now - start
        best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
    return 4 * Double(steps) / best / 1e9
}

/// The cores this process may use, as the core counts them.
enum ProcessInfoCores {
    static var count: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}

/// Floating-point operations of one training step per character: the recurrent product W_hh h (2·4H·H)
/// and the head (2·H·V), each once forward and twice backward (the gradients of the input and of the weights).
/// The one-hot input projection is a gather, and the element-wise work is left out.
func flopsPerCharacter(hiddenSize h: Int, vocabulary v: Int = 65) -> Double {
    3 * (2 * 4 * Double(h * h) + 2 * Double(h * v))
}

/// The configurations named by the argument, `H×B` pairs such as `256x1,512x32`; nil when one is not two positive numbers.
func configurations(_ argument: String) -> [(hiddenSize: Int, batch: Int)]? {
    var result: [(hiddenSize: Int, batch: Int)] = []
    for item in argument.split(separator: ",", omittingEmptySubsequences: false) {
        let numbers = item.split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        guard numbers.count == 2, let h = numbers[0], let b = numbers[1], h > 0, b > 0 else { return nil }
        result.append((h, b))
    }
    return result
}

let requested = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "128x1,256x1,256x32,512x32"
guard let chosen = configurations(requested) else {
    let message = "bench: '\(requested)' is not a list of configurations H×B, such as 256x1,512x32\n"
    _ = message.withCString { write(2, $0, strlen($0)) }
    exit(2)
}

// The sgemm rate is timed before the first configuration and again after each one, best of all, and printed
// beside the limit, which is the path's peak (peakGigaflops): a measured product rate, used as the limit once,
// let a share read 119% where OpenBLAS's 2048³ product was slow.
print("path: \(ProductKernel.current.rawValue) (SEQUENCEMODELS_PRODUCTS chooses avx512, avx2 or blas)")
fflush(nil)                                             // before the progress on standard error
var limits = [sgemmLimit()]
var rates: [Double] = []
for (h, b) in chosen {
    rates.append(charactersPerSecond(hiddenSize: h, batch: b, steps: 100))
    let progress = "bench: H=\(h) B=\(b) timed, \(Int(rates.last!.rounded())) chars/s; timing the limit again\n"
    _ = progress.withCString { write(2, $0, strlen($0)) }
    limits.append(sgemmLimit())
}
let (openBLAS, core) = (limits.map(\.openBLAS).max()!, limits.map(\.core).max()!)
let peak = peakGigaflops(ProductKernel.current)
let best = peak.gigaflops
print("sgemm 2048³ on \(ProcessInfoCores.count) cores, best of \(limits.count) timings through the run: "
      + "OpenBLAS \(formatScalar(openBLAS, decimals: 1)) GFLOP/s, this core (\(ProductKernel.current.rawValue)) "
      + "\(formatScalar(core, decimals: 1)) GFLOP/s")
print("peak of the \(ProductKernel.current.rawValue) path: \(ProcessInfoCores.count) cores × \(formatScalar(peak.clockGHz, decimals: 2)) GHz "
      + "(measured) × \(Int(peak.perCycle)) FLOP per cycle: the limit is \(formatScalar(best, decimals: 1)) GFLOP/s")
for ((h, b), rate) in zip(chosen, rates) {
    let ceiling = best * 1e9 / flopsPerCharacter(hiddenSize: h)
    print("swift float32 H=\(h) B=\(b) T=100 chars_per_s=\(Int(rate.rounded())) limit=\(Int(ceiling.rounded())) "
          + "share=\(formatScalar(100 * rate / ceiling, decimals: 0))%")
}
