import Foundation

/// Compiles lesson programs with `swiftc` against the release build of `SequenceModels`.
public struct SwiftCompiler: Sendable {
    /// The folder holding `libSequenceModels.so` and `Modules/`, normally `.build/release`.
    public var coreBuild: String
    /// The compiler, found on `PATH` unless a path is given.
    public var swiftc: String

    /// The module name of every lesson program; the runtime writes a trap's place as `Lesson/02-x.md:LINE`.
    public static let programModule = "Lesson"

    public init(coreBuild: String, swiftc: String = "swiftc") {
        self.coreBuild = absolutePath(coreBuild)
        self.swiftc = swiftc
    }

    /// Checks that the core library has been built, with a message that says how to build it.
    public func requireCore() throws {
        let library = coreBuild + "/libSequenceModels.so"
        guard FileManager.default.fileExists(atPath: library),
              FileManager.default.fileExists(atPath: coreBuild + "/Modules/SequenceModels.swiftmodule") else {
            throw RunnerError("the core library is not built at \(coreBuild); run `swift build -c release --product SequenceModels` (or `make site`)")
        }
    }

    /// Compiles `sources` as one module into the object file `object`; returns nil on success, or the diagnostics.
    ///
    /// The frontend is run directly, in whole-module mode, with `flags` (see ``Toolchain`` for why not the
    /// driver). With `debugInfo`, line tables are kept, so that a trap's backtrace names its file and line.
    public func compileModule(sources: [String], flags: [String] = [], object: String, in directory: String,
                              debugInfo: Bool = false, moduleName: String = programModule, timeout: Duration = .seconds(300)) async throws -> String? {
        let toolchain = try await Toolchain.of(swiftc)
        return try await Self.run(swiftc, ["-frontend", "-c"] + Self.languageArguments + ["-I", coreBuild + "/Modules"] + toolchain.frontendArguments
                                  + (debugInfo ? ["-gline-tables-only"] : []) + flags + ["-module-name", moduleName, "-o", object] + sources,
                                  in: directory, timeout: timeout)
    }

    /// Links `objects` (the program's module first, then object files and static libraries made elsewhere) with
    /// the core library into `executable`; returns nil on success, or the linker's diagnostics.
    ///
    /// `swift-autolink-extract` lists the libraries that the objects' imports need; clang links with `lld`.
    public func link(objects: [String], executable: String, in directory: String, timeout: Duration = .seconds(300)) async throws -> String? {
        let toolchain = try await Toolchain.of(swiftc), autolink = executable + ".autolink"
        if let diagnostics = try await Self.run(toolchain.programs + "/swift-autolink-extract", objects + ["-o", autolink],
                                                in: directory, timeout: timeout) {
            return diagnostics
        }
        return try await Self.run(toolchain.programs + "/clang", toolchain.linkArguments(objects: objects, autolink: autolink, executable: executable)
                                  + linking, in: directory, timeout: timeout)
    }

    /// The arguments that link a program against the core library, found again at run time.
    var linking: [String] {
        ["-L", coreBuild, "-lSequenceModels", "-Xlinker", "-rpath", "-Xlinker", coreBuild]
    }

    /// The language the course's programs are written in: Swift 5 mode, at `-Onone`, with diagnostics one per line.
    ///
    /// `-Onone` because the standard library keeps its trap messages only in debug builds ("Index out of range",
    /// a failed `precondition`), and the heavy work runs inside the optimised core library anyway.
    static let languageArguments = ["-Onone", "-swift-version", "5", "-diagnostic-style", "llvm"]

    /// Runs the driver, `swiftc`, with the course's language and the core's modules on the search path, and
    /// `arguments`; returns nil on success, or the compiler's (or linker's) diagnostics.
    func invoke(_ arguments: [String], in directory: String, timeout: Duration = .seconds(300)) async throws -> String? {
        try await Self.run(swiftc, Self.languageArguments + ["-I", coreBuild + "/Modules"] + arguments, in: directory, timeout: timeout)
    }

    /// Runs one step of a build; returns nil on success, or what it printed.
    private static func run(_ program: String, _ arguments: [String], in directory: String, timeout: Duration) async throws -> String? {
        let outcome = try await ChildProcess.run(program, arguments: arguments, workingDirectory: directory, timeout: timeout)
        if outcome.ending == .exited(0) { return nil }
        let name = (program as NSString).lastPathComponent
        if outcome.ending == .timedOut { return "\(name) did not finish within \(timeout)" }
        let diagnostics = outcome.standardError + outcome.standardOutput
        return diagnostics.isEmpty ? "\(name) failed (\(outcome.ending))" : diagnostics
    }
}

/// A failure of the runner itself, not of a lesson: a missing build, an unwritable folder.
public struct RunnerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
