import Foundation

/// TeX written between `$…$` (inline) or `$$…$$` (display) in a lesson's prose.
///
/// cmark knows no TeX: inside `$a_t + b_t$` it would read `_t + b_` as emphasis. So before
/// cmark runs, each math span is replaced by a placeholder word that cmark leaves alone, and after
/// rendering the placeholder becomes the escaped TeX between KaTeX's delimiters. Code blocks and
/// raw HTML blocks (found by a first cmark parse) and inline code spans are never scanned, and
/// every line keeps its number, so snippets are still found at their Markdown lines.
struct MathSpans: Sendable {
    struct Span: Sendable {
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
                    var close = i + run
                    while close + run <= chars.count, !chars[close ..< close + run].allSatisfy({ $0 == "`" }) { close += 1 }
                    if close + run <= chars.count {
                        result += String(chars[i ..< close + run]); i = close + run
                    } else {
                        result += String(repeating: "`", count: run); i += run
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
    ///
    /// A display span alone in its paragraph becomes a `<div>`; elsewhere it stays inline.
    /// - Complexity: O(n) in the length of `html` and the TeX, in one pass.
    func restore(in html: String) -> String {
        replacingPlaceholders(in: html) { span, alone in
            let tex = HTML.escape(span.tex)
            if !span.display { return "<span class=\"math inline\">\\(\(tex)\\)</span>" }
            return alone ? "<div class=\"math display\">\\[\(tex)\\]</div>" : "<span class=\"math display\">\\[\(tex)\\]</span>"
        }
    }

    /// `text` with placeholders replaced by the raw TeX, for plain-text places such as the table of contents.
    func restorePlain(in text: String) -> String {
        replacingPlaceholders(in: text, paragraphs: false) { span, _ in span.tex }
    }

    /// One pass over `text`: each placeholder is replaced by `replacement(span, alone)`, where `alone` says
    /// that it fills a whole `<p>…</p>`, which is then replaced with it.
    private func replacingPlaceholders(in text: String, paragraphs: Bool = true,
                                       _ replacement: (Span, Bool) -> String) -> String {
        let bytes = Array(text.utf8)
        let token = Array("lessonkitmath".utf8), open = Array("<p>".utf8), close = Array("</p>".utf8)
        func matches(_ pattern: [UInt8], at i: Int) -> Bool {
            i >= 0 && i + pattern.count <= bytes.count && bytes[i..<i + pattern.count].elementsEqual(pattern)
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            guard bytes[i] == token[0], matches(token, at: i) else { out.append(bytes[i]); i += 1; continue }
            var j = i + token.count, index = 0
            while j < bytes.count, bytes[j] >= 48, bytes[j] <= 57, index < spans.count { index = index * 10 + Int(bytes[j] - 48); j += 1 }
            guard j > i + token.count, j < bytes.count, bytes[j] == UInt8(ascii: "x"), index < spans.count else {
                out.append(bytes[i]); i += 1; continue
            }
            let alone = paragraphs && out.count >= open.count && out.suffix(open.count).elementsEqual(open) && matches(close, at: j + 1)
            if alone { out.removeLast(open.count) }
            out += Array(replacement(spans[index], alone).utf8)
            i = j + 1 + (alone ? close.count : 0)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
