import Foundation
import Subprocess
import SystemPackage

/// How a child process ended.
public enum ProcessEnding: Equatable, Sendable {
    /// It exited with this status.
    case exited(Int32)
    /// A signal ended it: a trap is SIGILL (4) or SIGTRAP (5) on Linux.
    case signaled(Int32)
    /// It ran past its time limit and was killed with its whole process group.
    case timedOut
}

/// What a child process printed and how it ended.
public struct ProcessOutcome: Sendable {
    public var ending: ProcessEnding
    public var standardOutput: String
    public var standardError: String
}

/// Runs programs in child processes with a time limit, through swift-subprocess.
///
/// Standard input is closed, or carries `input`. Output goes to files, not pipes, so that everything a killed or
/// crashed program printed is still there to read. The files are new for every run, in the
/// temporary folder, and deleted once read: runs at the same time in the same working
/// directory never share them, and no learner's folder is left with them. Each stream is
/// read back up to `outputLimit` bytes.
public enum ChildProcess {
    /// Runs `executable` and waits for it, at most `timeout`.
    public static func run(
        _ executable: String, arguments: [String] = [], workingDirectory: String,
        environment: [String: String] = [:], input: String? = nil, timeout: Duration, outputLimit: Int = 8 << 20
    ) async throws -> ProcessOutcome {
        let capture = FileManager.default.temporaryDirectory.appendingPathComponent("lessonkit-output-\(UUID().uuidString)").path
        let outPath = capture + ".stdout", errPath = capture + ".stderr"
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        let outFile = try FileDescriptor.open(FilePath(outPath), .writeOnly,
                                              options: [.create, .truncate], permissions: .ownerReadWrite)
        let errFile = try FileDescriptor.open(FilePath(errPath), .writeOnly,
                                              options: [.create, .truncate], permissions: .ownerReadWrite)
        var options = PlatformOptions()
        options.createSession = true      // its own process group, so a timeout kills its children too
        options.teardownSequence = [.send(signal: .kill, toProcessGroup: true, allowedDurationToNextStep: .seconds(1))]
        var overrides: [Environment.Key: String?] = [:]
        for (key, value) in environment { overrides[Environment.Key(stringLiteral: key)] = value }
        let configuration = Configuration(
            executable: executable.contains("/") ? .path(FilePath(executable)) : .name(executable), arguments: Arguments(arguments),
            environment: Environment.inherit.updating(overrides),
            workingDirectory: FilePath(workingDirectory), platformOptions: options)

        let ending: ProcessEnding = try await withThrowingTaskGroup(of: ProcessEnding?.self) { group in
            group.addTask {
                let output: FileDescriptorOutput = .fileDescriptor(outFile, closeAfterSpawningProcess: true)
                let error: FileDescriptorOutput = .fileDescriptor(errFile, closeAfterSpawningProcess: true)
                let result = if let input {
                    try await Subprocess.run(configuration, input: .string(input), output: output, error: error)
                } else {
                    try await Subprocess.run(configuration, input: .none, output: output, error: error)
                }
                switch result.terminationStatus {
                case .exited(let code): return .exited(code)
                case .signaled(let signal): return .signaled(signal)
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return Task.isCancelled ? nil : .timedOut
            }
            var ending: ProcessEnding?
            while ending == nil, let next = try await group.next() {
                ending = next
                group.cancelAll()
            }
            while (try? await group.next()) != nil {}
            return ending ?? .timedOut
        }
        return ProcessOutcome(ending: ending,
                              standardOutput: readPrefix(outPath, limit: outputLimit),
                              standardError: readPrefix(errPath, limit: outputLimit))
    }

    /// The first `limit` bytes of a file as text, with invalid UTF-8 repaired.
    static func readPrefix(_ path: String, limit: Int) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: limit)) ?? Data()
        var text = String(decoding: data, as: UTF8.self)
        if data.count == limit { text += "\n… output cut at \(limit) bytes\n" }
        return text
    }
}
