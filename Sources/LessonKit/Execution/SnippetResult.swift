/// One piece of a snippet's output, in the order the program produced it.
public enum OutputItem: Equatable, Sendable, Codable {
    /// Text from standard output.
    case text(String)
    /// A figure handed over with `show(_:)`.
    case figure(caption: String, svg: String)
}

/// What one snippet did when its lesson ran.
public struct SnippetResult: Equatable, Sendable, Codable {
    /// Standard output, text and figures, in order.
    public var items: [OutputItem] = []
    /// Standard error, without the runner's markers and stack traces.
    public var errorText: String = ""
    /// The runtime's trap message when the snippet trapped.
    public var trap: String?
    /// The message of the check that failed, for a `check=` block.
    public var checkFailure: String?
    /// The claims made in the snippet that did not hold, in the order they were made.
    public var failedClaims: [FailedClaim] = []
    /// For an `expect-trap` snippet, whether it finished without the trap it should have hit.
    public var finishedWithoutTrap = false
    /// For an inline value, its `description`.
    public var inlineValue: String?

    /// The text of standard output alone, as an `output` block states it.
    public var text: String {
        items.map { if case .text(let t) = $0 { t } else { "" } }.joined()
    }

    public init() {}
}

/// A `claim(condition, statement)` whose condition was false when the lesson ran.
public struct FailedClaim: Equatable, Sendable, Codable {
    /// The Markdown line of the `claim` call.
    public var line: Int
    /// What the prose says, and the run did not bear out.
    public var statement: String
}
