/// What the runner does with one ```` ```swift ```` fence, read from the words of its info string.
///
/// One kind per fence, so that a combination the runner could not honour (a hidden mistake, a trap
/// that never runs, a solution that is also a check) cannot be written down. `swift` alone compiles,
/// runs and shows the snippet; the other words are the author's options, described in the README's
/// "Lesson format".
public enum SnippetKind: Equatable, Sendable {
    /// `swift`, or `swift hide`: compiled and run; the code is shown unless hidden, the output always.
    case runs(hidden: Bool)
    /// `swift expect-trap`: must stop with a runtime trap, in a child process, and the lesson goes on.
    case expectsTrap(hidden: Bool)
    /// `swift norun`: compiled and type-checked, never run.
    case compilesOnly(hidden: Bool)
    /// `swift nocompile`: shown only, never compiled (pseudo-code).
    case shownOnly
    /// `swift exercise=NAME`: the reference solution of exercise NAME, shown in its exercise card;
    /// `forbid=A,B` names library APIs that the learner is asked not to call (`forbid=RNNCell`).
    case exercise(String, forbidden: [String])
    /// `swift check=NAME`: the graded checks of exercise NAME; `hide` keeps them off the page.
    case checks(String, hidden: Bool)
    /// `swift mistake=NAME`: a plausible wrong solution of NAME, which its checks must fail.
    /// Never shown and never run in the lesson; the project's tests grade it.
    case mistake(String)

    /// Whether the snippet is part of the lesson's program.
    public var compiles: Bool {
        switch self {
        case .shownOnly, .mistake: false
        default: true
        }
    }

    /// Whether the program runs the snippet's code where it stands.
    public var runsWhereItStands: Bool {
        switch self {
        case .compilesOnly, .shownOnly, .mistake: false
        default: true
        }
    }

    /// Whether the code is kept off the page.
    public var hidden: Bool {
        switch self {
        case .runs(let hidden), .expectsTrap(let hidden), .compilesOnly(let hidden), .checks(_, let hidden): hidden
        case .mistake: true
        case .shownOnly, .exercise: false
        }
    }

    public var isExpectedTrap: Bool { if case .expectsTrap = self { true } else { false } }
    /// The exercise whose reference solution this is.
    public var solvedExercise: String? { if case .exercise(let name, _) = self { name } else { nil } }
    /// The APIs an exercise asks the learner not to call.
    public var forbidden: [String] { if case .exercise(_, let names) = self { names } else { [] } }
    /// The exercise whose checks these are.
    public var checkedExercise: String? { if case .checks(let name, _) = self { name } else { nil } }
    /// The exercise this is a wrong solution of.
    public var mistakenExercise: String? { if case .mistake(let name) = self { name } else { nil } }

    /// The kind of a fence from its info string, or nil when the fence is not a Swift snippet.
    ///
    /// - Throws: ``LessonError`` for an unknown option or two that cannot go together, naming them.
    public init?(info: String, location: SourceLocation) throws {
        let words = MarkdownDocument.CodeBlock.words(ofInfo: info)
        guard words.first == "swift" else { return nil }
        var hidden = false
        var forbidden: [String]?
        var chosen: [(word: String, kind: SnippetKind)] = []
        for word in words.dropFirst() {
            let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
            switch (parts[0], parts.count == 2 ? parts[1] : nil) {
            case ("hide", nil): hidden = true
            case ("norun", nil): chosen.append((word, .compilesOnly(hidden: false)))
            case ("nocompile", nil): chosen.append((word, .shownOnly))
            case ("expect-trap", nil): chosen.append((word, .expectsTrap(hidden: false)))
            case ("exercise", let name?) where Self.isIdentifier(name): chosen.append((word, .exercise(name, forbidden: [])))
            case ("forbid", let names?) where names.split(separator: ",").allSatisfy({ Self.isIdentifier(String($0)) }):
                forbidden = names.split(separator: ",").map(String.init)
            case ("check", let name?) where Self.isIdentifier(name): chosen.append((word, .checks(name, hidden: false)))
            case ("mistake", let name?) where Self.isIdentifier(name): chosen.append((word, .mistake(name)))
            default:
                throw LessonError(location, """
                    unknown snippet option '\(word)'; expected hide, norun, nocompile, expect-trap, \
                    exercise=NAME (with forbid=NAME,…), check=NAME or mistake=NAME, where NAME is a Swift identifier
                    """)
            }
        }
        guard chosen.count <= 1 else {
            throw LessonError(location, "a snippet cannot be both \(chosen[0].word) and \(chosen[1].word): choose one")
        }
        if let forbidden {
            guard case .exercise(let name, _)? = chosen.first?.kind else {
                throw LessonError(location, "forbid= names what an exercise's learner may not call: it goes with exercise=NAME")
            }
            chosen[0].kind = .exercise(name, forbidden: forbidden)
        }
        switch chosen.first?.kind ?? .runs(hidden: false) {
        case .runs: self = .runs(hidden: hidden)
        case .expectsTrap: self = .expectsTrap(hidden: hidden)
        case .compilesOnly: self = .compilesOnly(hidden: hidden)
        case .checks(let name, _): self = .checks(name, hidden: hidden)
        case let other where hidden:
            throw LessonError(location, "'hide' does not go with \(chosen[0].word): \(other.mistakenExercise != nil ? "a mistake is never shown anyway" : other.solvedExercise != nil ? "a solution is shown in its exercise card" : "pseudo-code exists to be shown")")
        case let other: self = other
        }
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
    }
}
