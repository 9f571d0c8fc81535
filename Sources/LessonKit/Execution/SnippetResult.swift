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

    /// The build's error for it, at the claim's line in the lesson at `path`: `claim does not hold: STATEMENT`.
    public func error(inLessonAt path: String) -> LessonError {
        LessonError(SourceLocation(file: path, line: line), "claim does not hold: \(statement)")
    }
}

/// One piece of what a snippet showed when its lesson ran. The page and the terminal transcript both show
/// a snippet's ``SnippetResult/segments(inLessonAt:)``, in order, each in its own form.
public enum RunSegment: Equatable, Sendable {
    /// Text from standard output, never empty.
    case output(String)
    /// A figure handed over with `show(_:)`.
    case figure(caption: String, svg: String)
    /// Standard error, without the runner's markers and stack traces.
    case standardError(String)
    /// The trap message, of a snippet that trapped (as an `expect-trap` snippet should) or of a failed check.
    case trap(String)
    /// A claim that did not hold: `Lessons/NN-slug.md:LINE: claim does not hold: STATEMENT`.
    case failedClaim(String)
}

extension SnippetResult {
    /// What the snippet showed, in the order it is shown: its output and figures, standard error, the trap,
    /// then each failed claim, located in the lesson at `path`.
    public func segments(inLessonAt path: String) -> [RunSegment] {
        var segments: [RunSegment] = items.compactMap { item in
            switch item {
            case .text(let text): text.isEmpty ? nil : .output(text)
            case .figure(let caption, let svg): .figure(caption: caption, svg: svg)
            }
        }
        if !errorText.isEmpty { segments.append(.standardError(errorText)) }
        if let trap { segments.append(.trap(trap)) }
        for claim in failedClaims {
            let error = claim.error(inLessonAt: path)
            segments.append(.failedClaim("\(error.location): \(error.message)"))
        }
        return segments
    }
}
