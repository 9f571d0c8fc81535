import Foundation

/// TeX written between `$…$` (inline) or `$$…$$` (display) in a lesson's prose.
///
/// cmark knows no TeX: inside `$a_t + b_t$` it would read `_t + b_` as emphasis. So before
/// cmark runs, each math span is replaced by a placeholder word that cmark leaves alone, and after
/// rendering the placeholder becomes the escaped TeX between KaTeX's delimiters. Code blocks and
/// raw HTML blocks (found by a first cmark parse) and inline code spans are never scanned, and
/// every line keeps its number, so snippets are still found at their Markdown lines.
struct MathSpans {
    struct Span {
        let tex: String
        let display: Bool
    }

    private(set) var spans: [Span] = []
    /// The Markdown with placeholders instead of math.
    private(set) var protectedMarkdown: String = ""

    static func placeholder(_ index: Int) -> String { "lessonkitmath\(index)x" }

    init(_ markdown: String) {
        let literal = MarkdownDocument(markdown).literalLines()
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var output: [String] = []
        var lineIndex = 0
        while lineIndex < lines.count {
            if literal.contains(lineIndex + 1) {
                output.append(lines[lineIndex])
                lineIndex += 1
                continue
            }
            var chars = Array(lines[lineIndex])
            var result = ""
            var i = 0
            var consumedExtraLines = 0
            while i < chars.count {
                let c = chars[i]
                if c == "\\" && i + 1 < chars.count {                       // an escaped character, such as \$
                    result.append(c); result.append(chars[i + 1]); i += 2; continue
                }
                if c == "`" {                                                // an inline code span: copy it whole
                    var run = 0
                    while i + run < chars.count && chars[i + run] == "`" { run += 1 }
                    let fence = String(repeating: "`", count: run)
                    let rest = String(chars[(i + run)...])
                    if let close = rest.range(of: fence) {
                        let length = run + rest.distance(from: rest.startIndex, to: close.upperBound)
                        result += String(chars[i ..< i + length]); i += length
                    } else {
                        result += fence; i += run
                    }
                    continue
                }
                if c == "$" && i + 1 < chars.count && chars[i + 1] == "$" {  // display math, possibly over several lines
                    var tex = ""
                    var j = i + 2
                    var lineCursor = lineIndex
                    var line = chars
                    var found = false
                    while true {
                        while j + 1 < line.count && !(line[j] == "$" && line[j + 1] == "$") { tex.append(line[j]); j += 1 }
                        if j + 1 < line.count { found = true; break }
                        if j < line.count { tex.append(line[j]) }
                        let next = lineCursor + 1
                        guard next < lines.count, !literal.contains(next + 1), !lines[next].trimmingCharacters(in: .whitespaces).isEmpty else { break }
                        tex.append("\n")
                        lineCursor = next
                        line = Array(lines[next])
                        j = 0
                    }
                    if found {
                        result += Self.placeholder(spans.count)
                        spans.append(Span(tex: tex, display: true))
                        consumedExtraLines = lineCursor - lineIndex
                        if consumedExtraLines > 0 {                        // continue after the closing $$ on its line
                            chars = line
                        }
                        i = j + 2
                        continue
                    }
                }
                if c == "$", i + 1 < chars.count, chars[i + 1] != " ", chars[i + 1] != "$" {   // inline math on one line
                    var j = i + 1
                    while j < chars.count && !(chars[j] == "$" && chars[j - 1] != "\\" && chars[j - 1] != " ") { j += 1 }
                    if j < chars.count, j > i + 1 {
                        result += Self.placeholder(spans.count)
                        spans.append(Span(tex: String(chars[(i + 1)..<j]), display: false))
                        i = j + 1
                        continue
                    }
                }
                result.append(c)
                i += 1
            }
            output.append(result)
            for _ in 0..<consumedExtraLines { output.append("") }            // keep every line's number
            lineIndex += 1 + consumedExtraLines
        }
        protectedMarkdown = output.joined(separator: "\n")
    }

    /// The rendered HTML with every placeholder replaced by escaped TeX between KaTeX delimiters.
    func restore(in html: String) -> String {
        var result = html
        for (index, span) in spans.enumerated().reversed() {         // longest indices first: 10 before 1
            let tex = HTML.escape(span.tex)
            let token = Self.placeholder(index)
            if span.display {
                result = result.replacingOccurrences(of: "<p>\(token)</p>", with: "<div class=\"math display\">\\[\(tex)\\]</div>")
                result = result.replacingOccurrences(of: token, with: "<span class=\"math display\">\\[\(tex)\\]</span>")
            } else {
                result = result.replacingOccurrences(of: token, with: "<span class=\"math inline\">\\(\(tex)\\)</span>")
            }
        }
        return result
    }

    /// `text` with placeholders replaced by the raw TeX, for plain-text places such as the table of contents.
    func restorePlain(in text: String) -> String {
        var result = text
        for (index, span) in spans.enumerated().reversed() {
            result = result.replacingOccurrences(of: Self.placeholder(index), with: span.tex)
        }
        return result
    }
}
