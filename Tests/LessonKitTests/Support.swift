import Foundation
@testable import LessonKit

/// Paths the tests need, found from this file's location.
enum TestPaths {
    /// `Tests/LessonKitTests`.
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
    static let packageRoot = URL(fileURLWithPath: testsFolder).deletingLastPathComponent()
        .deletingLastPathComponent().path
    /// The release build of the core that lesson programs link; `make test` builds it first.
    static let coreBuild = packageRoot + "/.build/release"
    /// Where graders in tests keep the compiled parts that learners share (kept between test runs).
    static let gradingBuilds = NSTemporaryDirectory() + "lessonkit-grading-builds-for-tests"
    /// The `lessons` binary built beside this test bundle.
    static let lessonsBinary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("lessons").path
}

/// A fixture lesson, named as the runner will report it: `Fixtures/<folder>/<file>`.
func fixtureLesson(_ relativePath: String) throws -> Lesson {
    let text = try String(contentsOfFile: TestPaths.testsFolder + "/Fixtures/" + relativePath, encoding: .utf8)
    return try Lesson(path: "Fixtures/" + relativePath, markdown: text)
}

/// A runner against the release core, with a short time limit unless one is given.
func testRunner(timeout: Duration = .seconds(60)) -> LessonRunner {
    LessonRunner(compiler: SwiftCompiler(coreBuild: TestPaths.coreBuild), timeout: timeout)
}

/// Runs a fixture lesson whole.
func runFixture(_ relativePath: String, timeout: Duration = .seconds(60)) async throws -> LessonRun {
    try await testRunner(timeout: timeout).run(LessonProgram(lesson: fixtureLesson(relativePath)))
}
