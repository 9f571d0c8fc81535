import Foundation

/// A lesson's run as plain text for the terminal: each shown snippet, then its output.
public struct TerminalTranscript {
    public let text: String

    public init(_ run: LessonRun) {
        var out = "\(run.lesson.title)\n"
        var pendingValues = run.lesson.inlineValues[...]
        func proseWithValues(before snippets: Int) {
            while let first = pendingValues.first, first.snippetsBefore <= snippets {
                let line = first.location.line
                let onLine = pendingValues.prefix { $0.location.line == line }
                pendingValues.removeFirst(onLine.count)
                out += "\n── \(SourceLocation(file: run.lesson.path, line: line)) ──\n"
                out += Self.substitute(onLine, in: run) + "\n"
            }
        }
        for snippet in run.lesson.snippets where snippet.kind.mistakenExercise == nil {
            proseWithValues(before: snippet.index)
            let result = run.results[snippet.index]
            if snippet.kind.hidden && result == nil { continue }
            out += "\n── \(snippet.fence) ──\n"
            if !snippet.kind.hidden { out += snippet.visibleCode }
            guard let result else { continue }
            for segment in result.segments(inLessonAt: run.lesson.path) {
                switch segment {
                case .output(let text): out += Self.indent(text, with: "│ ")
                case .figure(let caption, _): out += "│ [figure: \(caption)]\n"
                case .standardError(let text): out += Self.indent(text + "\n", with: "! ")
                case .trap(let text): out += Self.indent(text + "\n", with: "✗ ")
                case .failedClaim(let text): out += "✗ \(text)\n"
                }
            }
        }
        proseWithValues(before: Int.max)
        text = out
    }

    /// The prose line of `values` (all on one line), each span replaced by its value.
    static func substitute(_ values: ArraySlice<InlineValue>, in run: LessonRun) -> String {
        let lines = run.lesson.markdown.split(separator: "\n", omittingEmptySubsequences: false)
        guard let line = values.first?.location.line, line <= lines.count else { return "" }
        var text = String(lines[line - 1]).trimmingCharacters(in: .whitespaces)
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
