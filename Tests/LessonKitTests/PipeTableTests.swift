import Foundation
import Testing
@testable import LessonKit

/// Pipe tables against the GFM specification's own examples (section 4.10), and in a lesson's page.
struct PipeTableTests {
    /// The spec's `example table` blocks: Markdown, then the HTML after a line holding a dot.
    static func specExamples() throws -> [(markdown: String, html: String)] {
        let text = try String(contentsOfFile: TestPaths.testsFolder + "/Fixtures/gfm/tables-spec.txt", encoding: .utf8)
        let fence = String(repeating: "`", count: 32)
        return text.components(separatedBy: fence + " example table\n").dropFirst().map { block in
            let body = block.components(separatedBy: fence)[0]
            let parts = body.components(separatedBy: "\n.\n")
            return (parts[0].replacingOccurrences(of: "→", with: "\t") + "\n", parts[1])
        }
    }

    /// HTML with every run of whitespace between tags removed, and other runs read as one space.
    static func normalised(_ html: String) -> String {
        html.replacingOccurrences(of: #">\s+"#, with: ">", options: .regularExpression)
            .replacingOccurrences(of: #"\s+<"#, with: "<", options: .regularExpression)
            .replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
            .trimmingCharacters(in: .whitespaces)
    }

    @Test func everyTableExampleOfTheSpecRendersAsItSays() throws {
        let examples = try Self.specExamples()
        #expect(examples.count == 8)
        for (number, example) in examples.enumerated() {
            let html = MarkdownDocument(example.markdown).html()
            #expect(Self.normalised(html) == Self.normalised(example.html), "example \(198 + number):\n\(example.markdown)\ngave\n\(html)")
        }
    }

    @Test func cellsHoldInlinesCodeMathAndInlineValuesAtTheirOwnPlace() throws {
        let markdown = """
            # Tables

            Text before the table
            | left | centre | right | plain |
            |:---|:---:|---:|---|
            | `{swift} 1 + 1` | `x \\| y` | $a_t$ | *a* |
            | # not a heading | 1. not a list | [link](https://example.com) | - not a list |

            | this | only | looks like a table |
            | and | so | does this |
            """
        let lesson = try Lesson(path: "Lessons/01-tables.md", markdown: markdown)
        let html = lesson.math.restore(in: lesson.tree.withTemporaryEdits { $0.html() })
        #expect(html.contains("<p>Text before the table</p>"))
        #expect(html.contains("<th align=\"left\">left</th>\n<th align=\"center\">centre</th>\n<th align=\"right\">right</th>\n<th>plain</th>"))
        #expect(html.contains("<td align=\"center\"><code>x | y</code></td>\n"
                              + "<td align=\"right\"><span class=\"math inline\">\\(a_t\\)</span></td>\n<td><em>a</em></td>"))
        #expect(html.contains("<td align=\"left\"># not a heading</td>\n<td align=\"center\">1. not a list</td>\n"
                              + "<td align=\"right\"><a href=\"https://example.com\">link</a></td>\n<td>- not a list</td>"))
        #expect(html.contains("<p>| this | only | looks like a table |\n| and | so | does this |</p>"))
        // The inline value in a cell is found, in order, at its line and column in the lesson file.
        #expect(lesson.inlineValues.map(\.expression) == ["1 + 1"])
        #expect(lesson.inlineValues.first.map { ($0.location.line, $0.location.column) } ?? (0, 0) == (6, 12))
    }

    @Test func rawHTMLInACellStaysOmitted() throws {
        let html = MarkdownDocument("| a |\n| - |\n| <script>alert(1)</script> |\n").html()
        #expect(html.contains("<td>&lt;script&gt;alert(1)<!-- raw HTML omitted --></td>"), "the cell's text is escaped")
        #expect(!html.contains("<script>"))
    }
}
