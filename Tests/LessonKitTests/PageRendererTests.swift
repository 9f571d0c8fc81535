import Testing
@testable import LessonKit

@Suite(.serialized) struct PageRendererTests {
    /// A page is rendered from the lesson's one parse, whose edits are undone: a second run of the same
    /// lesson, with another value, renders its own value, and the first run renders its page again unchanged.
    @Test func renderingTwiceFromOneParseShowsEachRunsOwnValues() async throws {
        let run = try await runFixture("values/01-values.md")
        var other = run
        let unit = LessonProgram.resultIndex(of: run.lesson.inlineValues[0], in: run.lesson)
        other.results[unit]?.inlineValue = "99%"
        let renderer = try PageRenderer(front: .untitled)
        let first = renderer.render(run, allLessons: [run.lesson]).map(\.contents)
        let second = renderer.render(other, allLessons: [run.lesson]).map(\.contents)
        #expect(first[0].contains("The model reaches 87.5% on held-out data"))
        #expect(second[0].contains("The model reaches 99% on held-out data"))
        #expect(renderer.render(run, allLessons: [run.lesson]).map(\.contents) == first)
    }

    @Test func outputThatLooksLikeHTMLIsEscaped() async throws {
        let run = try await runFixture("errors/04-script-output.md")
        let lesson = run.lesson
        let page = try PageRenderer(front: .untitled).render(run, allLessons: [lesson])[0].contents
        #expect(page.contains("<pre class=\"output\"><samp>&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;\na &amp; b\n</samp></pre>"))
        #expect(!page.contains("<script>alert"))
    }

    @Test func aTrapIsShownUnderItsSnippet() async throws {
        let run = try await runFixture("errors/02-trap.md")
        let page = try PageRenderer(front: .untitled).render(run, allLessons: [run.lesson])[0].contents
        let trapBlock = try #require(page.range(of: "<pre class=\"output trap\"><samp>"))
        let snippet = try #require(page.range(of: "print(values[position])"))
        #expect(snippet.upperBound < trapBlock.lowerBound)
        #expect(page[trapBlock.upperBound...].hasPrefix("Swift/"))
    }

    @Test func pagesKeepSafeModeAndLinkTheirNeighbours() async throws {
        let first = try await runFixture("good/01-first.md")
        let second = try fixtureLesson("good/02-second.md")
        let files = try PageRenderer(front: .untitled).render(first, allLessons: [first.lesson, second])
        let page = files[0].contents
        #expect(files.map(\.path) == ["01-first.html", "figures/01-first-1.svg"])
        #expect(!page.contains("onclick"))
        #expect(page.contains("<!-- raw HTML omitted -->"))
        #expect(page.contains("<a class=\"next\" rel=\"next\" href=\"02-second.html\">02 The second lesson →</a>"))
        #expect(!page.contains("rel=\"prev\""))
        #expect(page.contains("<figure><img src=\"figures/01-first-1.svg\" alt=\"A rising line\">"))
        #expect(!page.contains("this is an indented code block, not a fence\")\n</code></pre>\n<pre class=\"output\""))
        #expect(!page.contains("[3.0000 4.0001]"), "the output block is replaced by the real output")
        #expect(page.contains("this is pseudo-code"))

        // This course's own front page, Lessons/index.md, above the two fixture lessons.
        let index = try PageRenderer(front: CourseFront(folder: TestPaths.packageRoot + "/Lessons")).renderIndex([first.lesson, second]).contents
        #expect(index.contains("<a href=\"01-first.html\">The first lesson</a>"))
        #expect(index.contains("<a href=\"02-second.html\">The second lesson</a>"))
        // The front door: each lesson's first paragraph (escaped), its figures, and how to work through the course.
        #expect(index.contains("<p class=\"summary\">Prose with raw HTML bold that safe mode omits.</p>"))
        #expect(index.contains("<p class=\"facts\">1 figure</p>"), "01-first shows one figure")
        #expect(first.results.values.flatMap(\.items).filter { if case .figure = $0 { true } else { false } }.count == first.lesson.figureCount)
        #expect(index.contains("<code>make exercises</code>") && index.contains("<code>make watch</code>") && !index.contains("lessons watch"))
        #expect(index.contains("<p class=\"lead\">A course in 2 lessons on recurrent neural networks"), "the count is filled in")
        #expect(!index.contains("onclick"))
    }
}

/// The terminal shows a lesson as its page does: an exercise's stub, not its solution; an intended trap as intended.
@Suite(.serialized) struct TerminalTranscriptTests {
    @Test func anExerciseShowsItsStubUnlessSolutionsAreAsked() async throws {
        let run = try await runFixture("authoring/01-doubling.md")
        let stub = TerminalTranscript(run).text, solved = TerminalTranscript(run, solutions: true).text
        #expect(stub.contains("(exercise double: your file; `lessons run --solutions` shows the reference)\n"))
        #expect(!stub.contains("2 * x") && !stub.contains("BEGIN SOLUTION"))
        #expect(solved.contains("2 * x"))
        #expect(!solved.contains("x + 2"), "a mistake is never shown")
    }

    @Test func anIntendedTrapIsShownAsIntended() async throws {
        let transcript = TerminalTranscript(try await runFixture("good/01-first.md")).text
        #expect(transcript.contains("│ it traps, as it should:\n│ "), "\(transcript)")
        #expect(!transcript.contains("✗"))
    }

    @Test func aHiddenSnippetWithNothingToShowLeavesNoEmptyBox() async throws {
        let lesson = try Lesson(path: "01-quiet.md", markdown: "# Quiet\n\n```swift hide\nlet x = 1\n```\n\nText.\n")
        let run = try await testRunner().run(LessonProgram(lesson: lesson))
        let page = try PageRenderer(front: .untitled).render(run, allLessons: [lesson])[0].contents
        #expect(!page.contains("class=\"snippet\""))
    }
}
