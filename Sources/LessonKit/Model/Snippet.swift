/// One ```` ```swift ```` fence of a lesson, with its kind.
public struct Snippet: Sendable {
    /// Position among the lesson's Swift snippets, from 0.
    public var index: Int
    public var kind: SnippetKind
    /// The code as written, including `// hide` lines.
    public var code: String
    /// Where the opening fence is.
    public var fence: SourceLocation
    /// The expected output, from an ```` ```output ```` fence right after the snippet.
    public var expectedOutput: String?

    /// The line of the first line of code, the line `#sourceLocation` names.
    public var firstCodeLine: Int { fence.line + 1 }

    /// The code a reader sees: without lines that end in `// hide`.
    public var visibleCode: String {
        code.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.trimmingSuffixWhitespace().hasSuffix("// hide") }
            .joined(separator: "\n")
    }
}

extension Substring {
    func trimmingSuffixWhitespace() -> Substring {
        var s = self
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
        return s
    }
}
