/// How one exercise fared.
public enum GradeStatus: Equatable, Sendable {
    case pass
    /// The first failing check's message.
    case fail(String)
    /// The trap message, and where in the learner's file it happened when that is known.
    case crash(String, location: String?)
    case timeout
    /// The compiler's first error, at the learner's file and line.
    case compileError(String)
    /// The learner's file is missing or still the untouched stub.
    case notStarted

    /// The word the table shows.
    public var label: String {
        switch self {
        case .pass: "pass"
        case .fail: "fail"
        case .crash: "crash"
        case .timeout: "timeout"
        case .compileError: "compile error"
        case .notStarted: "not started"
        }
    }

    /// The label as a summary counts it: "passed", "failed", "crashed", "timed out", "did not compile", "not started".
    public var countedAs: String {
        switch self {
        case .pass: "passed"
        case .fail: "failed"
        case .crash: "crashed"
        case .timeout: "timed out"
        case .compileError: "did not compile"
        case .notStarted: "not started"
        }
    }

    /// The statuses in the order summaries count them.
    static let countingOrder = ["passed", "failed", "crashed", "timed out", "did not compile", "not started"]

    /// What the learner should read next to the label.
    public var detail: String {
        switch self {
        case .pass, .notStarted: ""
        case .fail(let message): message
        case .crash(let message, let location): location.map { "\($0): \(message)" } ?? message
        case .timeout: "did not finish in time: look for a loop that never ends"
        case .compileError(let message): message
        }
    }
}

/// "2 passed, 1 failed, 29 not started": how many `statuses` are of each kind, kinds with none left out.
func countsByStatus(_ statuses: [GradeStatus]) -> String {
    let counts = Dictionary(grouping: statuses, by: \.countedAs).mapValues(\.count)
    return GradeStatus.countingOrder.compactMap { kind in counts[kind].map { "\($0) \(kind)" } }.joined(separator: ", ")
}

/// One row of the grade table.
public struct GradeResult: Sendable {
    public var exercise: String
    public var lesson: String
    /// The learner's file, as given to the grader.
    public var file: String
    public var status: GradeStatus
    public var seconds: Double
    /// How many hints the exercise has: the table points to `lessons hint` when a graded exercise has some.
    public var hints: Int = 0
    /// How many of them the learner has been shown (`lessons hint` counts them in `.hints.json`).
    public var hintsSeen: Int = 0

    /// "(2 hints: lessons hint NAME)", or "(1 more hint: …)" once some were seen, when the exercise was tried,
    /// did not pass, and has hints not yet seen.
    public var hintPointer: String? {
        let left = hints - hintsSeen
        guard status != .pass, status != .notStarted, left > 0 else { return nil }
        let count = hintsSeen == 0 ? "\(left) hint\(left == 1 ? "" : "s")" : "\(left) more hint\(left == 1 ? "" : "s")"
        return "(\(count): lessons hint \(exercise))"
    }

    /// What the learner reads after the status: its detail, then the hint pointer. Every report of a row
    /// (the table, `watch`, JUnit, Gradescope) words it from here.
    public var feedback: String {
        [status.detail, hintPointer ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The row on one line: `fail: MESSAGE (2 hints: lessons hint NAME)`.
    public var summary: String {
        status.label + (feedback.isEmpty ? "" : ": " + feedback)
    }
}
