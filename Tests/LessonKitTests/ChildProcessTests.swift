import Foundation
import Testing
@testable import LessonKit

@Suite struct ChildProcessTests {
    /// Two programs at once in one working directory: each gets back what it printed, and
    /// nothing is left behind in the directory.
    @Test func runsInTheSameFolderKeepTheirOutputApart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lessonkit-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func printer(_ name: String) async throws -> ProcessOutcome {
            try await ChildProcess.run("/bin/sh", arguments: ["-c", "echo \(name) starts; sleep 0.5; echo \(name) ends; echo \(name) >&2"],
                                       workingDirectory: folder, timeout: .seconds(20))
        }
        async let first = printer("first")
        async let second = printer("second")
        let (a, b) = try await (first, second)
        #expect(a.standardOutput == "first starts\nfirst ends\n" && a.standardError == "first\n")
        #expect(b.standardOutput == "second starts\nsecond ends\n" && b.standardError == "second\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }
}
