import Testing
@testable import LessonKit

@Suite struct LessonParsingTests {
    @Test func findsFencesInQuotesAndListsButNotIndentedCode() throws {
        let lesson = try fixtureLesson("good/01-first.md")
        #expect(lesson.title == "The first lesson")
        #expect(lesson.number == "01" && lesson.slug == "first")
        // Fences: 5 (plain), 17 (in a quote), 23 (in a list item), 33 hide, 39 expect-trap,
        // 43, 48 nocompile, 52 norun. The indented block at line 29 is code, not a fence.
        #expect(lesson.snippets.map(\.fence.line) == [5, 17, 23, 33, 39, 43, 48, 52])
        #expect(lesson.snippets[1].code == "print(\"quoted\", m.rows)\n")
        #expect(lesson.snippets[2].code == "print(\"listed\", m.columns)\n")
    }

    @Test func readsOptionsAndTheOutputBlock() throws {
        let lesson = try fixtureLesson("good/01-first.md")
        #expect(lesson.snippets[0].expectedOutput == "[1.0000 2.0000]\n[3.0000 4.0001]\n")
        #expect(lesson.snippets[3].kind.hidden)
        #expect(lesson.snippets[4].kind.isExpectedTrap)
        #expect(!lesson.snippets[6].kind.compiles && !lesson.snippets[6].kind.runsWhereItStands)
        #expect(lesson.snippets[7].kind.compiles && !lesson.snippets[7].kind.runsWhereItStands)
        #expect(lesson.snippets[5].visibleCode == "print(\"still running\")\n")
    }

    @Test func rejectsAnUnknownOptionAtItsLine() {
        let markdown = "# T\n\ntext\n\n```swift hidden\nprint(1)\n```\n"
        #expect(throws: LessonError(SourceLocation(file: "Lessons/07-x.md", line: 5),
            "unknown snippet option 'hidden'; expected hide, norun, nocompile, expect-trap, exercise=NAME (with forbid=NAME,…), check=NAME or mistake=NAME, where NAME is a Swift identifier")) {
            try Lesson(path: "Lessons/07-x.md", markdown: markdown)
        }
    }

    @Test(arguments: [
        ("swift norun expect-trap", "a snippet cannot be both norun and expect-trap: choose one"),
        ("swift exercise=a check=a", "a snippet cannot be both exercise=a and check=a: choose one"),
        ("swift mistake=a hide", "'hide' does not go with mistake=a: a mistake is never shown anyway"),
        ("swift hide nocompile", "'hide' does not go with nocompile: pseudo-code exists to be shown"),
        ("swift check=a forbid=LSTM", "forbid= names what an exercise's learner may not call: it goes with exercise=NAME"),
    ])
    func rejectsKindsThatCannotGoTogether(_ info: String, _ message: String) {
        #expect(throws: LessonError(SourceLocation(file: "Lessons/07-x.md", line: 3), message)) {
            try Lesson(path: "Lessons/07-x.md", markdown: "# T\n\n```\(info)\nprint(1)\n```\n")
        }
    }

    @Test func readsEachKindWithItsHiding() throws {
        let kinds = try ["swift", "swift hide", "swift expect-trap hide", "swift norun", "swift check=a hide", "swift exercise=a"]
            .map { try SnippetKind(info: $0, location: SourceLocation(file: "x", line: 1)) }
        #expect(kinds == [.runs(hidden: false), .runs(hidden: true), .expectsTrap(hidden: true), .compilesOnly(hidden: false),
                          .checks("a", hidden: true), .exercise("a", forbidden: [])])
        #expect(try SnippetKind(info: "swift exercise=a forbid=RNNCell,LSTM", location: SourceLocation(file: "x", line: 1))
                == .exercise("a", forbidden: ["RNNCell", "LSTM"]))
    }

    @Test func rejectsAnOutputBlockAfterProse() {
        let markdown = "# T\n\n```swift\nprint(1)\n```\n\nprose\n\n```output\n1\n```\n"
        #expect(throws: LessonError.self) { try Lesson(path: "Lessons/07-x.md", markdown: markdown) }
    }

    @Test(arguments: ["7-x.md", "07_x.md", "07-X.md", "07-x.txt", "ab-x.md"])
    func rejectsBadFileNames(_ name: String) {
        #expect(throws: LessonError.self) { try Lesson(path: "Lessons/" + name, markdown: "# T\n") }
    }

    @Test func requiresATitle() {
        #expect(throws: LessonError.self) { try Lesson(path: "Lessons/03-x.md", markdown: "## Not a title\n") }
    }

    @Test func programPlacesEachSnippetAtItsMarkdownLine() throws {
        let lesson = try fixtureLesson("good/01-first.md")
        let source = LessonProgram(lesson: lesson).mainSource
        #expect(source.contains("#sourceLocation(file: \"Fixtures/good/01-first.md\", line: 6)\nlet m = Matrix<Double>"))
        #expect(source.contains("LessonKitProgram.expectTrap(4) {\n#sourceLocation(file: \"Fixtures/good/01-first.md\", line: 40)"))
        #expect(source.contains("func lessonKitNeverRun7() {"))
        #expect(!source.contains("pseudo-code"))
    }
}
