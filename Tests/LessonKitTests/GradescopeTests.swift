import Foundation
import Testing
@testable import LessonKit

/// The Gradescope bundle, its run_autograder tried against a simulated /autograder root.
@Suite(.serialized) struct GradescopeTests {
    @Test func theReleaseComesFromTheCompilersVersion() {
        #expect(GradescopeBundle.release(fromVersion: "Swift version 6.3.1 (swift-6.3.1-RELEASE)\nTarget: x86_64-unknown-linux-gnu\n")
                == "swift-6.3.1-RELEASE")
        #expect(GradescopeBundle(swiftRelease: "swift-6.3.1-RELEASE").setupScript.contains(
            "https://download.swift.org/swift-6.3.1-release/ubuntu2204/swift-6.3.1-RELEASE/swift-6.3.1-RELEASE-ubuntu22.04.tar.gz"))
    }

    /// A bundle that fails half-way, here at copying a lessons folder that is missing, leaves nothing behind,
    /// so that the next try is not stopped by "already exists".
    @Test func aBundleThatFailsHalfWayLeavesNothing() throws {
        let root = NSTemporaryDirectory() + "bundle-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        #expect(throws: (any Error).self) {
            try GradescopeBundle(swiftRelease: "swift-6.3.1-RELEASE")
                .write(to: root + "/bundle", lessonsFolder: root + "/no-lessons", projectRoot: TestPaths.packageRoot)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty)
    }

    @Test func runAutograderWritesResultsAsGradescopeSpecifies() async throws {
        let root = NSTemporaryDirectory() + "autograder-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let made = try await ChildProcess.run(TestPaths.lessonsBinary,
                                              arguments: ["autograder", "--output", root + "/source", "--points", "rnnCellForward=3"],
                                              workingDirectory: TestPaths.packageRoot, timeout: .seconds(60))
        #expect(made.ending == .exited(0), "\(made.standardError)")
        for script in ["setup.sh", "run_autograder"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: root + "/source/" + script)
            #expect((attributes[.posixPermissions] as? Int ?? 0) & 0o111 != 0, "\(script) is executable")
        }
        // A submission that uploaded its Exercises folder, with one exercise solved.
        let (exercise, _) = try #require(try courseExercises().first { $0.exercise.name == "rnnCellForward" })
        let file = root + "/submission/Exercises/" + exercise.relativePath
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try exercise.learnerFile(code: exercise.solutionCode).write(toFile: file, atomically: true, encoding: .utf8)

        let ran = try await ChildProcess.run("bash", arguments: [root + "/source/run_autograder"], workingDirectory: root,
                                             environment: ["AUTOGRADER_ROOT": root, "LESSONS": TestPaths.lessonsBinary, "CORE": TestPaths.coreBuild],
                                             timeout: .seconds(300))
        #expect(ran.ending == .exited(0), "\(ran.standardError)")
        let data = try Data(contentsOf: URL(fileURLWithPath: root + "/results/results.json"))
        let results = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(results["score"] as? Double == 3)
        #expect(results["execution_time"] is Int)
        #expect(results["output"] as? String == "1 of \(try courseExercises().count) exercises pass")
        let tests = try #require(results["tests"] as? [[String: Any]])
        #expect(tests.count == (try courseExercises().count))
        for test in tests {
            #expect(Set(test.keys) == ["name", "score", "max_score", "status", "output", "visibility"], "\(test)")
            #expect(["passed", "failed"].contains(test["status"] as? String ?? ""))
            #expect(!(test["output"] as? String ?? "").contains("lessonkit"))
        }
        let passed = try #require(tests.first { $0["status"] as? String == "passed" })
        #expect(passed["name"] as? String == "02-rnn-forward · rnnCellForward" && passed["max_score"] as? Double == 3)
        #expect(tests.filter { $0["status"] as? String == "failed" }.allSatisfy { ($0["output"] as? String)?.hasPrefix("not started") == true })
    }
}
