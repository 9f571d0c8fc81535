import Foundation

/// Compiles lesson programs with `swiftc` against the release build of `SequenceModels`.
///
/// Programs are built at `-Onone`: the standard library keeps its trap messages only in
/// debug builds ("Index out of range", a failed `precondition`), and the heavy work runs
/// inside the optimised core library anyway.
public struct SwiftCompiler: Sendable {
    /// The folder holding `libSequenceModels.so` and `Modules/`, normally `.build/release`.
    public var coreBuild: String
    /// The compiler, found on `PATH` unless a path is given.
    public var swiftc: String

    /// The module name of every lesson program; the runtime writes a trap's place as `Lesson/02-x.md:LINE`.
    public static let programModule = "Lesson"

    public init(coreBuild: String, swiftc: String = "swiftc") {
        self.coreBuild = (coreBuild as NSString).standardizingPath
        if !self.coreBuild.hasPrefix("/") {
            self.coreBuild = FileManager.default.currentDirectoryPath + "/" + self.coreBuild
        }
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

    /// Compiles `sources` into `executable`; returns nil on success, or the compiler's diagnostics.
    ///
    /// With `debugInfo`, a trap's backtrace names the file and line it happened at.
    public func compile(sources: [String], executable: String, in directory: String, debugInfo: Bool = false,
                        moduleName: String = programModule, timeout: Duration = .seconds(300)) async throws -> String? {
        try await invoke((debugInfo ? ["-g"] : []) + linking + ["-module-name", moduleName, "-o", executable] + sources,
                         in: directory, timeout: timeout)
    }

    /// The arguments that link a program against the core library, found again at run time.
    var linking: [String] {
        ["-L", coreBuild, "-lSequenceModels", "-Xlinker", "-rpath", "-Xlinker", coreBuild]
    }

    /// Runs `swiftc` at `-Onone`, Swift 5 mode, with the core's modules on the search path, and `arguments`;
    /// returns nil on success, or the compiler's (or linker's) diagnostics.
    func invoke(_ arguments: [String], in directory: String, timeout: Duration = .seconds(300)) async throws -> String? {
        let outcome = try await ChildProcess.run(
            swiftc, arguments: ["-Onone", "-swift-version", "5", "-diagnostic-style", "llvm", "-I", coreBuild + "/Modules"] + arguments,
            workingDirectory: directory, timeout: timeout)
        if outcome.ending == .exited(0) { return nil }
        if outcome.ending == .timedOut { return "swiftc did not finish within \(timeout)" }
        let diagnostics = outcome.standardError + outcome.standardOutput
        return diagnostics.isEmpty ? "swiftc failed (\(outcome.ending))" : diagnostics
    }
}

/// A failure of the runner itself, not of a lesson: a missing build, an unwritable folder.
public struct RunnerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
