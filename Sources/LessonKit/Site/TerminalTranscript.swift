import Foundation

/// A lesson's run as plain text for the terminal: each shown snippet, then its output, and each paragraph
/// that holds an inline value, whole, with its values filled in and its math in plain symbols.
public struct TerminalTranscript {
    public let text: String

    /// The transcript of `run`; an exercise shows its stub, as the page does, unless `solutions` is set.
    public init(_ run: LessonRun, solutions: Bool = false) {
        var out = "\(run.lesson.title)\n"
        let lines = run.lesson.markdown.split(separator: "\n", omittingEmptySubsequences: false)
        var pendingValues = run.lesson.inlineValues[...]
        func proseWithValues(before snippets: Int) {
            while let first = pendingValues.first, first.snippetsBefore <= snippets {
                let paragraph = Self.paragraph(around: first.location.line, in: lines)
                let inParagraph = pendingValues.prefix { paragraph.contains($0.location.line) }
                pendingValues.removeFirst(inParagraph.count)
                out += "\n── \(SourceLocation(file: run.lesson.path, line: paragraph.lowerBound)) ──\n"
                let text = paragraph.map { line in
                    Self.substitute(inParagraph.filter { $0.location.line == line }, in: String(lines[line - 1]), run: run)
                }
                // Prose is joined into one line; a table, a list or a quote keeps its lines.
                let isProse = text.allSatisfy { line in !["|", "- ", "* ", "> "].contains { line.hasPrefix($0) } && line.first?.isNumber != true }
                out += TerminalMath.plain(text.joined(separator: isProse ? " " : "\n")) + "\n"
            }
        }
        let stubs = Dictionary(uniqueKeysWithValues: run.lesson.exercises.map { ($0.name, $0.stubCode) })
        for snippet in run.lesson.snippets where snippet.kind.mistakenExercise == nil {
            proseWithValues(before: snippet.index)
            let result = run.results[snippet.index]
            if snippet.kind.hidden && result == nil { continue }
            out += "\n── \(snippet.fence) ──\n"
            if let name = snippet.kind.solvedExercise, !solutions, let stub = stubs[name] {
                out += "(exercise \(name): your file; `lessons run --solutions` shows the reference)\n" + stub
                    + (stub.hasSuffix("\n") ? "" : "\n")
            } else if !snippet.kind.hidden {
                out += snippet.visibleCode
            }
            guard let result else { continue }
            for segment in result.segments(inLessonAt: run.lesson.path) {
                switch segment {
                case .output(let text): out += Self.indent(text, with: "│ ")
                case .figure(let caption, _): out += "│ [figure: \(caption)]\n"
                case .standardError(let text): out += Self.indent(text + "\n", with: "! ")
                case .trap(let text) where snippet.kind.isExpectedTrap:
                    out += "│ it traps, as it should:\n" + Self.indent(text + "\n", with: "│ ")
                case .trap(let text): out += Self.indent(text + "\n", with: "✗ ")
                case .failedClaim(let text): out += "✗ \(text)\n"
                }
            }
        }
        proseWithValues(before: Int.max)
        text = out
    }

    /// The 1-based lines of the paragraph that holds `line`: the run of non-blank lines around it.
    static func paragraph(around line: Int, in lines: [Substring]) -> ClosedRange<Int> {
        func blank(_ n: Int) -> Bool { lines[n - 1].allSatisfy(\.isWhitespace) }
        guard line >= 1, line <= lines.count else { return line...line }
        var (first, last) = (line, line)
        while first > 1, !blank(first - 1) { first -= 1 }
        while last < lines.count, !blank(last + 1) { last += 1 }
        return first...last
    }

    /// `line` of the prose, trimmed, with the spans of `values` (all on it) replaced by their values.
    static func substitute(_ values: [InlineValue], in line: String, run: LessonRun) -> String {
        var text = line.trimmingCharacters(in: .whitespaces)
        for value in values {
            let shown = run.text(of: value) ?? "⟨not computed⟩"
            for ticks in ["``", "`"] {
                let span = ticks + InlineValue.prefix + value.expression + ticks
                let spaced = ticks + " " + InlineValue.prefix + value.expression + " " + ticks
                if let range = text.range(of: span) ?? text.range(of: spaced) {
                    text.replaceSubrange(range, with: shown)
                    break
                }
            }
        }
        return text
    }

    static func indent(_ text: String, with prefix: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            .map { prefix + $0 + "\n" }.joined()
    }
}
