/// One piece of a snippet's output, in the order the program produced it.
public enum OutputItem: Equatable, Sendable {
    /// Text from standard output.
    case text(String)
    /// A figure handed over with `show(_:)`.
    case figure(caption: String, svg: String)
}

/// What one snippet did when its lesson ran.
public struct SnippetResult: Sendable {
    /// Standard output, text and figures, in order.
    public var items: [OutputItem] = []
    /// Standard error, without the runner's markers and stack traces.
    public var errorText: String = ""
    /// The runtime's trap message when the snippet trapped.
    public var trap: String?
    /// The message of the check that failed, for a `check=` block.
    public var checkFailure: String?

    /// The text of standard output alone, as an `output` block states it.
    public var text: String {
        items.map { if case .text(let t) = $0 { t } else { "" } }.joined()
    }

    public init() {}
}
