/// An inline value: a code span `` `{swift} EXPRESSION` `` in a lesson's prose.
///
/// As in Quarto and knitr, the expression is evaluated at its place in the lesson (it sees
/// every snippet above it) and its `description` replaces the span on the page, so a number
/// quoted in the prose is always the one the run produced.
public struct InlineValue: Sendable, Equatable {
    /// The prefix that marks a code span as an inline value.
    public static let prefix = "{swift} "

    /// Position among the lesson's inline values, from 0.
    public var index: Int
    /// The Swift expression, without the `{swift} ` prefix.
    public var expression: String
    /// Where the expression itself starts in the lesson, line and column.
    public var location: SourceLocation
    /// How many of the lesson's snippets come before it: it runs after snippet `snippetsBefore − 1`.
    public var snippetsBefore: Int

    /// The expression of a code span's text, or nil when the span is ordinary code.
    static func expression(inCodeSpan literal: String) -> String? {
        literal.hasPrefix(prefix) ? String(literal.dropFirst(prefix.count)) : nil
    }
}
