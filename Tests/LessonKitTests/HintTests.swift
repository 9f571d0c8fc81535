import Foundation
import Testing
@testable import LessonKit

/// Hints (```hint=NAME blocks, `lessons hint`) and the APIs an exercise asks the learner not to call.
@Suite(.serialized) struct HintTests {
    @Test func everyExerciseOfLessons02030712HasAtLeastTwoHints() throws {
        let items = try courseExercises().filter { ["02", "03", "07", "12"].contains($0.lesson.number) }
        #expect(items.count == 11)
        for (exercise, _) in items { #expect(exercise.hints.count >= 2, "\(exercise.name) has \(exercise.hints.count) hints") }
    }

    @Test func aHintForNoExerciseIsAnErrorAtItsLine() {
        #expect(throws: LessonError(SourceLocation(file: "Lessons/03-x.md", line: 3), "there is no 'swift exercise=nothing' block before this hint")) {
            try Lesson(path: "Lessons/03-x.md", markdown: "# T\n\n```hint=nothing\nLook again.\n```\n")
        }
    }

    @Test func hintsRenderCollapsedInTheExerciseCardOnly() async throws {
        let lesson = try #require(try courseExercises().first { $0.exercise.name == "rnnCellForward" }?.lesson)
        let run = LessonRun(lesson: lesson, results: [:], errors: [], compilerDiagnostics: nil, seconds: 0)
        let page = try PageRenderer(front: .untitled).render(run, allLessons: [lesson])[0].contents
        let card = try #require(page.range(of: "<section class=\"exercise\" id=\"exercise-rnnCellForward\">")
            .flatMap { start in page.range(of: "</section>", range: start.upperBound..<page.endIndex).map { page[start.lowerBound..<$0.upperBound] } })
        #expect(card.contains("<details class=\"hint\"><summary>Hint 1 of 2</summary>\n<p>Examples are rows here, so <span class=\"math inline\">"))
        #expect(card.contains("<summary>Hint 2 of 2</summary>"))
        #expect(!page.contains("hint=rnnCellForward"), "the hint block itself is not on the page")
        #expect(page.components(separatedBy: "Examples are rows here").count == 2, "each hint appears once, in the card")
    }

    @Test func lessonsHintShowsTheNextHintEachTimeAndTheTableSaysHowManyRemain() async throws {
        let folder = NSTemporaryDirectory() + "hints-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let common = ["--lessons-folder", TestPaths.packageRoot + "/Lessons", "--exercises-folder", folder]
        let exercise = try #require(try courseExercises().first { $0.exercise.name == "rnnCellForward" }?.exercise)
        let path = folder + "/" + exercise.relativePath
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try exercise.learnerFile(code: "func rnnCellForward(x: Matrix<Double>, aPrevious: Matrix<Double>, Wax: Matrix<Double>, Waa: Matrix<Double>, ba: Matrix<Double>) -> Matrix<Double> { x }")
            .write(toFile: path, atomically: true, encoding: .utf8)
        func graded() async throws -> String {
            try await lessonsCommand(["grade", "rnnCellForward", "--build-folder", TestPaths.gradingBuilds] + common).standardOutput
        }
        func hint() async throws -> String {
            let outcome = try await ChildProcess.run(TestPaths.lessonsBinary, arguments: ["hint", "rnnCellForward"] + common,
                                                     workingDirectory: TestPaths.testsFolder, timeout: .seconds(60))
            #expect(outcome.ending == .exited(0))
            return outcome.standardOutput
        }
        #expect(try await graded().contains("but has shape [3, 2] (2 hints: lessons hint rnnCellForward)"))
        let first = try await hint()
        #expect(first.hasPrefix("Hint 1 of 2 for rnnCellForward:\n\nExamples are rows here"))
        #expect(try await graded().contains("but has shape [3, 2] (1 more hint: lessons hint rnnCellForward)"))
        let (second, third) = (try await hint(), try await hint())
        #expect(second.hasPrefix("Hint 2 of 2 for rnnCellForward:\n\nAdd the two products") && second.hasSuffix("(that is the last hint)\n"))
        #expect(third == second)
        #expect(!(first + second).contains("$") && !(first + second).contains("\\"), "math in plain symbols: \(first + second)")
        let last = try await graded()
        #expect(last.contains("but has shape [3, 2]") && !last.contains("lessons hint"), "every hint seen: no pointer. \(last)")
    }

    /// Calling an API the exercise forbids fails with a plain message; naming it in a comment or a string does not.
    @Test func aForbiddenAPIIsNamedButNotInACommentOrAString() async throws {
        let (exercise, lesson) = try #require(try courseExercises().first { $0.exercise.name == "rnnCellForward" })
        #expect(exercise.forbidden == ["RNNCell", "RNN", "ElmanKernel"])
        let signature = "func rnnCellForward(x: Matrix<Double>, aPrevious: Matrix<Double>, Wax: Matrix<Double>, Waa: Matrix<Double>, ba: Matrix<Double>) -> Matrix<Double>"
        let cheat = "\(signature) {\n    RNNCell(weightIH: Wax, weightHH: Waa, biasIH: ba, biasHH: .zeros(1, Waa.rows))(x, aPrevious)\n}"
        let honest = "// Not RNNCell: that is what this exercise writes.\n" + exercise.solutionCode.replacingOccurrences(
            of: "return tanh(", with: "_ = \"RNNCell\"\n    return tanh(")
        let folder = try learnerFolder([(exercise, exercise.learnerFile(code: cheat))])
        let other = try learnerFolder([(exercise, exercise.learnerFile(code: honest))])
        defer { try? FileManager.default.removeItem(atPath: folder); try? FileManager.default.removeItem(atPath: other) }
        #expect(try await grader(folder).grade(exercise, in: lesson).status == .fail("calls RNNCell, which this exercise asks you to write yourself"))
        #expect(try await grader(other).grade(exercise, in: lesson).status == .pass)
    }
}
