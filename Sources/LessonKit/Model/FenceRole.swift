/// What a fenced code block of a lesson is, as the lesson's one reading of its fences found it.
enum FenceRole: Equatable, Sendable {
    /// The Swift snippet with this index.
    case snippet(Int)
    /// An `output` block: what the snippet before it must print.
    case output
    /// A `hint=NAME` block.
    case hint
    /// Any other block (`text`, `sh`, an indented block): shown as it is.
    case other
}
