import Foundation

/// A program written into a scratch folder of its own, compiled, and run with a time limit: the one
/// compile-and-run path that lessons, `lessons run` and the grader share.
///
/// The folder is new for every run and removed afterwards; the program runs in a `run/` folder inside it,
/// so that files it writes never land in the project or in a learner's folder.
public struct ScratchProgram: Sendable {
    /// One generated source file: its name in the scratch folder and its text.
    public struct Source: Sendable {
        public var name: String
        public var text: String
    }

    /// How a run ended: the compiler refused the program, or it ran.
    public enum Outcome: Sendable {
        /// The compiler's diagnostics, with the scratch folder's path removed from them.
        case didNotCompile(String)
        case ran(ProcessOutcome)
    }

    public var compiler: SwiftCompiler
    public var sources: [Source]
    /// Files compiled beside the sources, by absolute path: a learner's exercise file.
    public var extraFiles: [String] = []
    /// More options for the compiler: `-parse-as-library`, `-enable-testing`.
    public var flags: [String] = []
    /// The module the sources make up.
    public var moduleName = SwiftCompiler.programModule
    /// Whether the binary carries line tables, so that a backtrace names files and lines.
    public var debugInfo = false
    /// Where the scratch folder is made.
    public var scratchRoot = NSTemporaryDirectory()
    /// Object files and static libraries made elsewhere, linked into the program: asked for at link time, so
    /// that they can be checked then.
    var objects: @Sendable () async throws -> [String] = { [] }
    /// Where the link and the run take turns with other programs' (the grader's), if anywhere.
    var turns: GradingTurns?
    /// The sandbox the program runs in (learners' programs), or none (lessons, the author's own code).
    public var sandbox: Sandbox?

    public init(compiler: SwiftCompiler, sources: [Source], scratchRoot: String = NSTemporaryDirectory()) {
        self.compiler = compiler
        self.sources = sources
        self.scratchRoot = scratchRoot
    }

    /// Writes, compiles and runs the program, at most `timeout`, with `environment` added to this process's
    /// and `input` on its standard input.
    public func run(environment: [String: String], input: String, timeout: Duration) async throws -> Outcome {
        try compiler.requireCore()
        let scratch = (scratchRoot as NSString).appendingPathComponent("lessonkit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: scratch + "/run", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        for source in sources {
            try source.text.write(toFile: scratch + "/" + source.name, atomically: false, encoding: .utf8)
        }
        func cleaned(_ diagnostics: String) -> Outcome {
            .didNotCompile(diagnostics.replacingOccurrences(of: scratch + "/", with: "").trimmingCharacters(in: .whitespacesAndNewlines))
        }
        if let diagnostics = try await compiler.compileModule(sources: sources.map(\.name) + extraFiles, flags: flags, object: "program.o",
                                                              in: scratch, debugInfo: debugInfo, moduleName: moduleName) {
            return cleaned(diagnostics)
        }
        let (compiler, objects) = (compiler, objects)
        if let diagnostics = try await turn(.linking, {
            try await compiler.link(objects: ["program.o"] + objects(), executable: "program", in: scratch)
        }) {
            return cleaned(diagnostics)
        }
        let runFolder = scratch + "/run"
        guard let sandbox else {
            return .ran(try await turn(.running) {
                try await ChildProcess.run(scratch + "/program", workingDirectory: runFolder,
                                           environment: environment, input: input, timeout: timeout)
            })
        }
        let user = try sandbox.prepare(runFolder: runFolder)
        let toolchain = try await Toolchain.of(compiler.swiftc)
        let readable = [compiler.coreBuild, (toolchain.programs as NSString).deletingLastPathComponent, scratch + "/program"]
        let seconds = Int(timeout.inSeconds.rounded(.up)) + 1
        let command = sandbox.command(running: scratch + "/program", runFolder: runFolder, readable: readable,
                                      environment: environment, cpuSeconds: seconds, user: user)
        var outcome = try await turn(.running) {
            try await ChildProcess.run(command.executable, arguments: command.arguments, workingDirectory: runFolder,
                                       input: input, timeout: timeout)
        }
        outcome.ending = sandbox.ending(outcome.ending)
        return .ran(outcome)
    }

    private func turn<T: Sendable>(_ kind: GradingTurns.Kind, _ body: @Sendable () async throws -> T) async throws -> T {
        guard let turns else { return try await body() }
        return try await turns.during(kind, body)
    }
}
