import Foundation
import Testing
@testable import LessonKit

/// Inline values `` `{swift} EXPRESSION` `` and `claim(condition, statement)`: the prose held to the run.
@Suite(.serialized) struct InlineValueTests {
    @Test func valuesAreFoundWhereverCommonMarkAllowsCode() throws {
        let lesson = try fixtureLesson("values/01-values.md")
        #expect(lesson.inlineValues.map(\.expression) == [
            "percent(accuracy)", "words.count", "words.joined(separator: \"+\")", "accuracy * 100",
            "\"<script>alert(1)</script>\"", "later", "later + 1"])
        // Line 8 is "The model reaches `{swift} percent(accuracy)` …": the expression starts at column 28.
        #expect(lesson.inlineValues[0].location == SourceLocation(file: "Fixtures/values/01-values.md", line: 8, column: 28))
        #expect(lesson.inlineValues.map(\.snippetsBefore) == [1, 1, 1, 1, 1, 2, 2])
    }

    @Test func valuesReplaceTheirSpansInParagraphsHeadingsListsTablesAndQuotes() async throws {
        let run = try await runFixture("values/01-values.md")
        #expect(run.errors.isEmpty, "\(run.errors)")
        let page = try PageRenderer(front: .untitled).render(run, allLessons: [run.lesson])[0].contents
        #expect(page.contains("The model reaches 87.5% on held-out data"))
        #expect(page.contains("A heading with 3 words</h2>"))
        // The anchor comes from the heading as written, so it stays put when the value changes; the text shows the value.
        #expect(page.contains("<h2 id=\"a-heading-with-words\">"))
        #expect(page.contains("<a href=\"#a-heading-with-words\">A heading with 3 words</a>"), "the table of contents shows the value")
        #expect(page.contains("<li>a list item holding a+b+c</li>"))
        #expect(page.contains("<td>accuracy</td>\n<td>87.5</td>"), "a value in a table cell")
        #expect(page.contains("After the second snippet: 6, and plain code <code>let x = 1</code> stays code."))
        #expect(page.contains("<span class=\"math inline\">\\(a_t\\)</span>"), "math beside a value stays math")
        #expect(!page.contains("{swift}"))
    }

    @Test func aValueIsEscapedOnThePage() async throws {
        let run = try await runFixture("values/01-values.md")
        let page = try PageRenderer(front: .untitled).render(run, allLessons: [run.lesson])[0].contents
        #expect(page.contains("A quote: &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!page.contains("<script>alert(1)"))
    }

    @Test func theTerminalTranscriptShowsTheProseWithItsValues() async throws {
        let run = try await runFixture("values/01-values.md")
        let transcript = TerminalTranscript(run).text
        #expect(transcript.contains("── Fixtures/values/01-values.md:8 ──\nThe model reaches 87.5% on held-out data, with math a_t beside it.\n"))
        // A paragraph over two lines is shown whole, on one line, its math in symbols; a table keeps its lines.
        #expect(transcript.contains("── Fixtures/values/01-values.md:28 ──\nA paragraph over two lines, whose value 7 ends on the next line, with ‖g‖ in it.\n"))
        #expect(transcript.contains("── Fixtures/values/01-values.md:15 ──\n| what | value |\n| --- | --- |\n| accuracy | 87.5 |\n"))
        #expect(transcript.contains("After the second snippet: 6, and plain code `let x = 1` stays code."))
    }

    @Test func aValueThatDoesNotCompileIsReportedAtItsLineAndColumn() async throws {
        let run = try await runFixture("values/02-bad-expression.md")
        let diagnostics = try #require(run.compilerDiagnostics)
        // Line 7: "The model reaches `{swift} accuracy + "percent"` …"; the expression starts at column 28.
        #expect(diagnostics.contains("Fixtures/values/02-bad-expression.md:7:37: error:"), "\(diagnostics)")
        #expect(!run.errors.isEmpty)
    }

    @Test func aValueThatNamesALaterDefinitionIsReportedAtItsLine() throws {
        // In main.swift the later global would be in scope and read as 0: the runner refuses it instead.
        #expect(throws: LessonError(SourceLocation(file: "Fixtures/values/05-value-before-definition.md", line: 3, column: 24),
                                    "the inline value names 'answer', which is defined only later, in the snippet at line 5; an inline value sees only the snippets above it")) {
            try fixtureLesson("values/05-value-before-definition.md")
        }
    }

    @Test func namesAreReadLexically() {
        let code = """
            let (a, _) = (1, 2)   // let hidden = 3
            var b: Int { 4 }
            func c(d: Int) -> Int { let inner = d; return inner }
            struct E { let field = 1 }
            print("let quoted = \\(a + b)")
            """
        #expect(SwiftNames.declaredVariables(in: code) == ["a", "b"])
        #expect(SwiftNames.read(in: "percent(model.accuracy, decimals: digits) + \"words \\(count)\"") == ["percent", "model", "digits", "count"])
    }

    @Test func aValueThatTrapsIsReportedAtItsLine() async throws {
        let run = try await runFixture("values/04-trapping-value.md")
        let error = try #require(run.errors.first)
        #expect(error.location == SourceLocation(file: "Fixtures/values/04-trapping-value.md", line: 7, column: 31))
        #expect(error.message.hasPrefix("the inline value `list[9]` trapped: "))
        #expect(error.message.contains("Index out of range"))
        let page = try PageRenderer(front: .untitled).render(run, allLessons: [run.lesson])[0].contents
        #expect(page.contains("⟨not computed: list[9]⟩"))
    }

    @Test func aFalseClaimFailsTheBuildAtItsLineAndShowsUnderItsSnippet() async throws {
        let run = try await runFixture("values/03-false-claim.md")
        #expect(run.errors == [LessonError(SourceLocation(file: "Fixtures/values/03-false-claim.md", line: 13),
                                           "claim does not hold: the LSTM beats the RNN by a wide margin")])
        #expect(run.errors[0].description
                == "Fixtures/values/03-false-claim.md:13: error: claim does not hold: the LSTM beats the RNN by a wide margin")
        #expect(run.results[2]?.text == "the lesson goes on\n", "a false claim does not stop the lesson")
        let page = try PageRenderer(front: .untitled).render(run, allLessons: [run.lesson])[0].contents
        #expect(page.contains("<pre class=\"output trap claim\"><samp>✗ Fixtures/values/03-false-claim.md:13: claim does not hold: the LSTM beats the RNN by a wide margin</samp></pre>"))
        #expect(!page.contains("claim does not hold: the LSTM beats the RNN<"), "a claim that holds is not reported")
    }

    @Test func aValueInsideMathIsRejected() throws {
        #expect(throws: LessonError(SourceLocation(file: "Lessons/07-x.md", line: 3, column: 30),
                                    "an inline value cannot sit inside math ($…$): put it outside the dollar signs")) {
            try Lesson(path: "Lessons/07-x.md", markdown: "# Title\n\n$\\varepsilon = 10^{-`{swift} k`}$\n")
        }
    }

    @Test func aValueInTheTitleIsRejected() throws {
        #expect(throws: LessonError.self) {
            try Lesson(path: "Lessons/07-x.md", markdown: "# Reaching `{swift} 1 + 1`\n")
        }
    }
}
