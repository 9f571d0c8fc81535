/// What the Swift runtime wrote to standard error when a program trapped, read one way for the lesson runner
/// and the grader alike.
enum TrapReport {
    /// The runtime's lines before its stack trace, without the backtracer's own notes (`swift-runtime: …`).
    static func lines(_ errorText: String) -> [String] {
        var kept: [String] = []
        for line in errorText.split(separator: "\n") {
            if line.hasPrefix("Current stack trace:") { break }
            if !line.hasPrefix("swift-runtime:") { kept.append(String(line)) }
        }
        return kept
    }

    /// The line that names the trap: `file:line: Fatal error: …` or a failed precondition, if the runtime wrote one.
    static func runtimeMessage(_ errorText: String) -> String? {
        lines(errorText).first { $0.contains("Fatal error") || $0.contains("failed") }
    }

    /// The trap in one line: the runtime's message, else the report's first line.
    static func message(_ errorText: String) -> String? {
        runtimeMessage(errorText) ?? lines(errorText).first
    }
}
