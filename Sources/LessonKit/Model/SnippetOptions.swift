/// What the runner does with one ```` ```swift ```` fence, read from the words of its info string.
///
/// `swift` alone compiles, runs and shows the snippet. The other words are the author's
/// options, described in the README's "Lesson format".
public struct SnippetOptions: Equatable, Sendable {
    /// `hide`: compiled and run, but the code is not shown.
    public var hidden = false
    /// `norun`: compiled and type-checked, never run.
    public var runs = true
    /// `nocompile`: shown only, never compiled (pseudo-code).
    public var compiles = true
    /// `expect-trap`: must stop with a runtime trap; the rest of the lesson still runs.
    public var expectsTrap = false
    /// `exercise=NAME`: the reference solution of exercise NAME.
    public var exercise: String?
    /// `check=NAME`: the graded checks of exercise NAME.
    public var check: String?
    /// `mistake=NAME`: a plausible wrong solution of exercise NAME, which its checks must fail.
    /// Never shown and never run in the lesson; the project's tests grade it.
    public var mistake: String?

    public init() {}

    /// The options of an info string, or nil when the fence is not a Swift snippet.
    ///
    /// - Throws: ``LessonError`` for an unknown option, naming it and the valid ones.
    public init?(info: String, location: SourceLocation) throws {
        let words = info.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard words.first == "swift" else { return nil }
        self.init()
        for word in words.dropFirst() {
            let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
            switch (parts[0], parts.count == 2 ? parts[1] : nil) {
            case ("hide", nil): hidden = true
            case ("norun", nil): runs = false
            case ("nocompile", nil): compiles = false; runs = false
            case ("expect-trap", nil): expectsTrap = true
            case ("exercise", let name?) where Self.isIdentifier(name): exercise = name
            case ("check", let name?) where Self.isIdentifier(name): check = name
            case ("mistake", let name?) where Self.isIdentifier(name): mistake = name; compiles = false; runs = false
            default:
                throw LessonError(location, """
                    unknown snippet option '\(word)'; expected hide, norun, nocompile, expect-trap, \
                    exercise=NAME, check=NAME or mistake=NAME, where NAME is a Swift identifier
                    """)
            }
        }
        if [exercise, check, mistake].compactMap({ $0 }).count > 1 {
            throw LessonError(location, "a snippet can be only one of exercise=, check= and mistake=")
        }
        if expectsTrap && !runs {
            throw LessonError(location, "a snippet cannot be both expect-trap and \(compiles ? "norun" : "nocompile")")
        }
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
    }
}
