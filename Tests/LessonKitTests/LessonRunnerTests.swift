import Foundation
import Testing
@testable import LessonKit

@Suite(.serialized) struct LessonRunnerTests {
    @Test func aTypeErrorIsReportedAtItsMarkdownLineAndColumn() async throws {
        let run = try await runFixture("errors/01-type-error.md")
        let diagnostics = try #require(run.compilerDiagnostics)
        // Line 12 of the file is `let b: Matrix<Double> = "not a matrix"`; the literal starts at column 25.
        #expect(diagnostics.contains("Fixtures/errors/01-type-error.md:12:25: error: cannot convert value of type 'String' to specified type 'Matrix<Double>'"))
        #expect(run.results.isEmpty)
        #expect(run.errors.count == 1)
    }

    /// Foundation is in scope in every snippet, as it is in a learner's file.
    @Test func foundationIsInScopeInASnippet() async throws {
        let lesson = try Lesson(path: "01-scope.md", markdown: "# Scope\n\n```swift\nprint(sin(0.0), String(format: \"%.2f\", exp(1.0)))\n```\n")
        let run = try await testRunner().run(LessonProgram(lesson: lesson))
        #expect(run.errors.isEmpty, "\(run.errors)")
        #expect(run.results[0]?.text == "0.0 2.72\n")
    }

    @Test func aTrapIsReportedAtItsSnippetWithTheRuntimeMessage() async throws {
        let run = try await runFixture("errors/02-trap.md")
        #expect(run.results[0]?.text == "before the trap\n")
        let trapped = try #require(run.results[1])
        #expect(trapped.text == "reading\n")
        #expect(trapped.trap?.hasSuffix("Fatal error: Index out of range") == true)
        #expect(run.results[2] == nil)
        #expect(run.errors.map(\.location) == [SourceLocation(file: "Fixtures/errors/02-trap.md", line: 7)])
        #expect(run.errors.first?.message.hasPrefix("the snippet trapped: ") == true)
    }

    @Test func anEndlessSnippetIsKilledAtTheTimeout() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let run = try await runFixture("errors/03-infinite-loop.md", timeout: .seconds(2))
        #expect(clock.now - start < .seconds(20))
        #expect(run.results[0]?.text == "starting\n")
        #expect(run.errors == [LessonError(SourceLocation(file: "Fixtures/errors/03-infinite-loop.md", line: 7),
                                           "the snippet did not finish within 2.0 seconds and was killed")])
    }

    @Test func anOutdatedOutputBlockIsAnError() async throws {
        let run = try await runFixture("errors/05-wrong-output.md")
        #expect(run.errors == [LessonError(SourceLocation(file: "Fixtures/errors/05-wrong-output.md", line: 3),
            "the output differs from its output block: expected number 3.2 but got number 3.14159 (item 2)")])
    }

    @Test func anExpectTrapSnippetMustTrap() async throws {
        let run = try await runFixture("errors/06-missing-trap.md")
        #expect(run.errors == [LessonError(SourceLocation(file: "Fixtures/errors/06-missing-trap.md", line: 3),
                                           "this expect-trap snippet finished without trapping")])
    }

    @Test func aHealthyLessonRunsEverySnippetInOrder() async throws {
        let run = try await runFixture("good/01-first.md")
        #expect(run.errors.isEmpty, "\(run.errors)")
        #expect(run.results[0]?.text == "[1.0000 2.0000]\n[3.0000 4.0000]\n")
        #expect(run.results[1]?.text == "quoted 2\n")
        #expect(run.results[2]?.text == "listed 2\n")
        guard case .figure(let caption, let svg)? = run.results[3]?.items.first else {
            Issue.record("the hidden snippet's figure is missing")
            return
        }
        #expect(caption == "A rising line")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        // The core reports the line of its shape check, found here in its source rather than written down.
        let product = try String(contentsOfFile: TestPaths.packageRoot + "/Sources/SequenceModels/Matrices/Matrix+Product.swift",
                                 encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let checkLine = try #require(product.firstIndex { $0.contains("require(k == kb,") }) + 1
        #expect(run.results[4]?.trap == "SequenceModels/Matrix+Product.swift:\(checkLine): Fatal error: matmul: shapes [2, 2] and [1, 3] do not chain")
        #expect(run.results[5]?.text == "the lesson goes on\nstill running\n")
        #expect(run.results[6] == nil && run.results[7] == nil)
    }

    @Test func outputThatLooksLikeAMarkerStaysUnderItsOwnSnippet() async throws {
        // The markers of the old protocol, and this protocol's without the run's nonce, are plain output.
        let markdown = """
            # Spoofing

            ```swift
            print("\\u{1}lessonkit-snippet 5")
            print("\\u{1}lessonkit-figure-begin fake")
            print("\\u{1}lessonkit--snippet -1")
            print("mine")
            ```

            ```swift
            print("second")
            ```
            """
        let lesson = try Lesson(path: "Lessons/01-spoofing.md", markdown: markdown)
        let run = try await testRunner().run(LessonProgram(lesson: lesson))
        #expect(run.errors.isEmpty, "\(run.errors)")
        #expect(run.results[0]?.text == "\u{1}lessonkit-snippet 5\n\u{1}lessonkit-figure-begin fake\n\u{1}lessonkit--snippet -1\nmine\n")
        #expect(run.results[1]?.text == "second\n")
    }

    @Test func theProtocolParsesOnlyItsOwnNonce() {
        let one = RunnerProtocol(nonce: "A"), other = RunnerProtocol(nonce: "B")
        #expect(one.parse(Substring(one.marker(.snippet) + "3"))?.payload == "3")
        #expect(one.parse(Substring(other.marker(.snippet) + "3")) == nil)
        #expect(one.parse(Substring(one.prefix + "unknown 3")) == nil)
        #expect(RunnerProtocol.programSource.contains("static func setNonce(_ nonce: String) { prefix = \"\\u{1}lessonkit-\\(nonce)-\" }"))
        #expect(RunnerProtocol.programSource.contains("static var figureBegin: String { prefix + \"figure-begin \" }"))
        #expect(one.input(passToken: "T") == "A\nT\n")
    }
}
