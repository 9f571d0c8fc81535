/// A lesson's run as plain text for the terminal: each shown snippet, then its output.
public struct TerminalTranscript {
    public let text: String

    public init(_ run: LessonRun) {
        var out = "\(run.lesson.title)\n"
        for snippet in run.lesson.snippets where snippet.options.mistake == nil {
            let result = run.results[snippet.index]
            if snippet.options.hidden && result == nil { continue }
            out += "\n── \(snippet.fence) ──\n"
            if !snippet.options.hidden { out += snippet.visibleCode }
            guard let result else { continue }
            for item in result.items {
                switch item {
                case .text(let text): out += Self.indent(text, with: "│ ")
                case .figure(let caption, _): out += "│ [figure: \(caption)]\n"
                }
            }
            if !result.errorText.isEmpty { out += Self.indent(result.errorText + "\n", with: "! ") }
            if let trap = result.trap { out += Self.indent(trap + "\n", with: "✗ ") }
        }
        text = out
    }

    static func indent(_ text: String, with prefix: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            .map { prefix + $0 + "\n" }.joined()
    }
}
