import Foundation

/// The parts of a Swift toolchain that build a program without the driver, found from `swiftc -print-target-info`.
///
/// The driver (`swiftc file.swift -o program`) runs five jobs for a one-file program: emit the module, compile,
/// wrap the module for the debugger, extract the libraries that imports ask for, and link through clang and
/// gold. On a small file most of its 0.69 s goes to those extra jobs and to the driver itself. The same program
/// built in three steps (`swiftc -frontend -c`, `swift-autolink-extract`, clang with the toolchain's `lld`) takes
/// 0.26 s, which is most of what grading one exercise costs. Linux only, like the course.
struct Toolchain: Sendable {
    /// The target triple, `x86_64-unknown-linux-gnu`.
    var triple: String
    /// The folder of the toolchain's programs: `clang`, `swift-autolink-extract`, `ld.lld`.
    var programs: String
    /// The folders holding `libswiftCore.so` and the rest of the runtime.
    var runtimeLibraries: [String]
    /// The object that registers a program's Swift metadata with the runtime, linked first into every program.
    var swiftrt: String
    /// The frontend's arguments, beyond the caller's, that the driver would have given it.
    var frontendArguments: [String]

    /// The toolchain that `swiftc` belongs to, asked once per `swiftc` for the life of this process.
    static func of(_ swiftc: String) async throws -> Toolchain {
        try await AnswersBySwiftc.shared.toolchain(for: swiftc)
    }

    /// clang's arguments that link `objects` (a program's module first) and the libraries in `autolink` into `executable`.
    func linkArguments(objects: [String], autolink: String, executable: String) -> [String] {
        ["-fuse-ld=lld", "-pie", "-Xlinker", "--build-id"] + runtimeLibraries.flatMap { ["-Xlinker", "-rpath", "-Xlinker", $0] }
            + [swiftrt] + objects + ["@" + autolink] + runtimeLibraries.flatMap { ["-L", $0] } + ["-lswiftCore", "--target=" + triple, "-o", executable]
    }

    /// What `swiftc -print-target-info` says, as far as a link needs it.
    private struct TargetInfo: Decodable {
        struct Target: Decodable { var triple: String; var platform: String; var arch: String }
        struct Paths: Decodable { var runtimeLibraryPaths: [String]; var runtimeResourcePath: String }
        var target: Target
        var paths: Paths
    }

    /// One answer per `swiftc`, shared by every compile of this process.
    private actor AnswersBySwiftc {
        static let shared = AnswersBySwiftc()
        private var asked: [String: Task<Toolchain, Error>] = [:]

        func toolchain(for swiftc: String) async throws -> Toolchain {
            if let task = asked[swiftc] { return try await task.value }
            let task = Task { try await Toolchain.ask(swiftc) }
            asked[swiftc] = task
            return try await task.value
        }
    }

    private static func ask(_ swiftc: String) async throws -> Toolchain {
        let outcome = try await ChildProcess.run(swiftc, arguments: ["-print-target-info"],
                                                 workingDirectory: FileManager.default.currentDirectoryPath, timeout: .seconds(60))
        guard outcome.ending == .exited(0),
              let info = try? JSONDecoder().decode(TargetInfo.self, from: Data(outcome.standardOutput.utf8)) else {
            throw RunnerError("`\(swiftc) -print-target-info` did not describe the toolchain: is the Swift toolchain installed? \(outcome.standardError)")
        }
        let resources = (info.paths.runtimeResourcePath as NSString).standardizingPath
        let pluginServer = resources + "/host/libSwiftInProcPluginServer.so"      // macros, on toolchains that have it
        let frontendArguments = ["-target", info.target.triple, "-disable-objc-interop", "-no-color-diagnostics",
                                 "-empty-abi-descriptor", "-plugin-path", resources + "/host/plugins"]
            + (FileManager.default.fileExists(atPath: pluginServer) ? ["-in-process-plugin-server-path", pluginServer] : [])
        let toolchain = Toolchain(triple: info.target.triple, programs: ((resources as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent + "/bin",
                                  runtimeLibraries: info.paths.runtimeLibraryPaths,
                                  swiftrt: "\(resources)/\(info.target.platform)/\(info.target.arch)/swiftrt.o",
                                  frontendArguments: frontendArguments)
        for part in [toolchain.swiftrt, toolchain.programs + "/clang", toolchain.programs + "/swift-autolink-extract", toolchain.programs + "/ld.lld"]
        where !FileManager.default.fileExists(atPath: part) {
            throw RunnerError("the Swift toolchain has no \(part); LessonKit builds programs on Linux toolchains only")
        }
        return toolchain
    }
}
