import Crypto
import Foundation

/// Everything a lesson's output can depend on, each part hashed apart so that a cache miss can say what changed.
///
/// The prose is not an ingredient: a prose-only edit finds the run in the cache. Neither are the snippets'
/// line numbers, which ``LineMap`` moves in a cached run. The data files a lesson reads are checked
/// per entry (``ExecutionCache``), since only the run knows which files it opened.
public struct RunIngredients: Codable, Equatable, Sendable {
    /// The lesson's program: every snippet's code and options, in order, the inline expressions, the output blocks.
    public var program: String
    /// The built core library the program links: `libSequenceModels.so` and its module.
    public var core: String
    /// `swiftc --version`.
    public var compiler: String
    /// The prelude and the runner protocol's version.
    public var prelude: String
    /// The environment variables and processor features that choose a computation path.
    public var computePath: String

    /// The cache key: all the ingredients together.
    public var key: String { Self.digest([program, core, compiler, prelude, computePath].joined(separator: "\n")) }

    /// What differs from `earlier`, in words, for the build's log; nil when nothing does.
    public func change(since earlier: RunIngredients) -> String? {
        if program != earlier.program { return "its snippets changed" }
        if core != earlier.core { return "the core library changed" }
        if compiler != earlier.compiler { return "the compiler changed" }
        if prelude != earlier.prelude { return "the prelude or runner protocol changed" }
        if computePath != earlier.computePath { return "the computation path changed (SEQUENCEMODELS_PRODUCTS or the processor)" }
        return nil
    }

    /// SHA-256 of `text`, in hexadecimal.
    static func digest(_ text: String) -> String { digest(Data(text.utf8)) }

    static func digest(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// SHA-256 of a file's bytes, or nil when it cannot be read.
    static func digest(file path: String) -> String? {
        FileManager.default.contents(atPath: path).map(digest)
    }
}

/// The ingredients that every lesson of one build shares, found once per build.
public struct BuildIngredients: Sendable {
    public var core: String
    public var compiler: String
    public var prelude: String
    public var computePath: String

    /// Reads the core build, asks the compiler its version, and reads the environment and the processor.
    public static func current(for compiler: SwiftCompiler,
                               environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> BuildIngredients {
        try compiler.requireCore()
        let core = [compiler.coreBuild + "/libSequenceModels.so", compiler.coreBuild + "/Modules/SequenceModels.swiftmodule"]
            .map { RunIngredients.digest(file: $0) ?? "unreadable" }.joined(separator: " ")
        let version = try await ChildProcess.run(compiler.swiftc, arguments: ["--version"],
                                                 workingDirectory: FileManager.default.currentDirectoryPath, timeout: .seconds(60))
        guard version.ending == .exited(0) else {
            throw RunnerError("`\(compiler.swiftc) --version` failed (\(version.ending)): is the Swift toolchain on PATH?")
        }
        let prelude = RunIngredients.digest("\(RunnerProtocol.version)\n" + LessonProgram.preludeSource
                                            + RunnerProtocol.programSource)
        return BuildIngredients(core: RunIngredients.digest(core), compiler: RunIngredients.digest(version.standardOutput),
                                prelude: prelude, computePath: RunIngredients.digest(computePath(environment)))
    }

    /// The variables that choose how the core computes (`SEQUENCEMODELS_*`, OpenBLAS's), and the processor's vector features.
    static func computePath(_ environment: [String: String]) -> String {
        let variables = environment.filter { $0.key.hasPrefix("SEQUENCEMODELS_") || $0.key.hasPrefix("OPENBLAS_") || $0.key == "OMP_NUM_THREADS" }
            .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let flags = Set(cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") || $0.hasPrefix("Features") }?
            .split(separator: " ").map(String.init) ?? [])
        let features = ["avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl", "asimd", "sve"].filter(flags.contains)
        return (variables + ["processor: " + features.joined(separator: " ")]).joined(separator: "\n")
    }

    /// The full ingredients of `program`'s run in this build.
    public func ingredients(of program: LessonProgram) -> RunIngredients {
        let outputs = program.included.map { $0.expectedOutput.map { "output \($0.count)\n" + $0 } ?? "no output block" }
        return RunIngredients(program: RunIngredients.digest(program.computation + outputs.joined(separator: "\n")),
                              core: core, compiler: compiler, prelude: prelude, computePath: computePath)
    }
}
