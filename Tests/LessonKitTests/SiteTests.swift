import Foundation
import Testing
@testable import LessonKit

@Suite struct MathSpansTests {
    @Test func texSurvivesCmarkWithUnderscoresAndStars() {
        let markdown = "# T\n\nInline $a_t * b_t$ and $x^{\\langle 1 \\rangle}$.\n\n$$\\sum_{i=1}^{n} w_i \\log p_i$$\n"
        let math = MathSpans(markdown)
        #expect(math.spans.map(\.tex) == ["a_t * b_t", "x^{\\langle 1 \\rangle}", "\\sum_{i=1}^{n} w_i \\log p_i"])
        let html = math.restore(in: MarkdownDocument(math.protectedMarkdown).html())
        #expect(html.contains("<span class=\"math inline\">\\(a_t * b_t\\)</span>"))
        #expect(html.contains("<div class=\"math display\">\\[\\sum_{i=1}^{n} w_i \\log p_i\\]</div>"))
        #expect(!html.contains("<em>"), "cmark must not turn _ or * inside math into emphasis")
    }

    @Test func codeAndEscapedDollarsAreNotMath() {
        let markdown = "# T\n\nCosts \\$5 and `let d = \"$x$\"`.\n\n```swift\nprint(\"$a_t$\")\n```\n\nPrice $ 3 $ is not math.\n"
        let math = MathSpans(markdown)
        #expect(math.spans.isEmpty)
        #expect(math.protectedMarkdown == markdown)
    }

    @Test func multiLineDisplayMathKeepsEveryLineNumber() throws {
        let markdown = "# T\n\n$$\\begin{aligned}\na &= b\\\\\nc &= d\n\\end{aligned}$$\n\n```swift\nprint(1)\n```\n"
        let math = MathSpans(markdown)
        #expect(math.spans.count == 1 && math.spans[0].display)
        let lines = { (s: String) in s.split(separator: "\n", omittingEmptySubsequences: false).count }
        #expect(lines(math.protectedMarkdown) == lines(markdown))
        // The fence is line 8 of the original file, and still line 8 after the math is protected.
        let lesson = try Lesson(path: "Lessons/05-x.md", markdown: markdown)
        #expect(lesson.snippets.first?.fence.line == 8)
        #expect(MarkdownDocument(math.protectedMarkdown).fencedCodeBlocks().first?.fenceLine == 8)
    }
}

@Suite struct HeadingTests {
    @Test func headingsGetUniqueAnchorsAndATableOfContents() throws {
        let lesson = try Lesson(path: "Lessons/01-x.md", markdown: "# Title\n\n## The cell\n\nx\n\n### Step by step\n\n## The cell\n")
        #expect(lesson.sections.map(\.anchor) == ["", "the-cell", "step-by-step", "the-cell-2"])
        let html = "<h1>Title</h1>\n<h2>The cell</h2>\n<p>x</p>\n<h3>Step by step</h3>\n<h2>The cell</h2>\n"
        let linked = PageRenderer.linkHeadings(html, headings: lesson.sections.dropFirst().map { ($0.level, $0.heading, $0.anchor) })
        #expect(linked.contains("<h2 id=\"the-cell\"><a class=\"anchor\" href=\"#the-cell\""))
        #expect(linked.contains("<h3 id=\"step-by-step\">"))
        #expect(linked.contains("<h2 id=\"the-cell-2\">"))
        #expect(linked.contains("<li class=\"toc-level-3\"><a href=\"#step-by-step\">Step by step</a></li>"))
        #expect(linked.range(of: "<nav class=\"toc\"")!.lowerBound > linked.range(of: "</h1>")!.lowerBound)
    }
}

@Suite struct SearchEntryTests {
    @Test func eachSectionIsAnEntryUnderItsAnchorWithoutInlineExpressions() throws {
        let markdown = "# Cells\n\nThe opening, with $a_t$.\n\n## The LSTM cell\n\n```swift\nlet gates = [1]\n```\n\nIt has `{swift} gates.count` gates.\n"
        let entries = PageRenderer.searchEntries(try Lesson(path: "Lessons/07-cells.md", markdown: markdown))
        #expect(entries == [
            ["id": "07-cells.html", "lesson": "Cells", "section": "", "text": "The opening, with a_t."],
            ["id": "07-cells.html#the-lstm-cell", "lesson": "Cells", "section": "The LSTM cell", "text": "let gates = [1] It has gates."]])
    }
}

@Suite struct LinkCheckerTests {
    @Test func brokenLinksAndAnchorsAreReported() throws {
        let site = NSTemporaryDirectory() + "site-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: site) }
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
        try "<a href=\"b.html#here\">ok</a> <a href=\"#top\">ok</a> <img src=\"missing.svg\"> <a href=\"b.html#nowhere\">bad</a> <h1 id=\"top\">A</h1>"
            .write(toFile: site + "/a.html", atomically: true, encoding: .utf8)
        try "<h2 id=\"here\">B</h2> <a href=\"a.html?search=x\">search</a>".write(toFile: site + "/b.html", atomically: true, encoding: .utf8)
        let results = SiteChecker(siteFolder: site, screenshotFolder: site).checkLinks()
        #expect(results.map(\.name) == ["links of a.html", "links of b.html"])
        #expect(results[0].problem == "b.html#nowhere: no element with id \"nowhere\" in b.html; missing.svg: no file missing.svg")
        #expect(results[1].problem == nil)
    }
}
