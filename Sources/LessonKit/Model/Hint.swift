import Foundation

/// An exercise's hints: ```` ```hint=NAME ```` blocks of Markdown after the exercise, in the order a learner
/// should read them. The page shows them collapsed in the exercise's card; `lessons hint NAME` shows the next
/// one each time it is asked, and the grade table points to it when a graded exercise has hints.
public enum Hint {
    static let infoPrefix = "hint="

    /// A hint's Markdown as a terminal shows it: its math in plain symbols (`$\\lVert g \\rVert$` as `‖g‖`).
    public static func terminalText(_ markdown: String) -> String { TerminalMath.plain(markdown) }

    /// A hint's Markdown as HTML: cmark in safe mode, with its `$…$` math kept for KaTeX.
    static func html(_ markdown: String) -> String {
        let math = MathSpans(markdown)
        return math.restore(in: MarkdownDocument(math.protectedMarkdown).html())
    }
}

/// How many hints of each exercise a learner has been shown, kept in `.hints.json` in their exercises folder.
public struct HintProgress {
    /// The file that keeps the counts.
    public let file: String

    public init(exercisesFolder: String) {
        file = (exercisesFolder as NSString).appendingPathComponent(".hints.json")
    }

    /// Hints shown so far, by exercise; an unreadable file counts as none shown.
    public func shown() -> [String: Int] {
        FileManager.default.contents(atPath: file).flatMap { try? JSONDecoder().decode([String: Int].self, from: $0) } ?? [:]
    }

    /// The next hint of `exercise` (its number, from 1, and its text), counted as shown; after the last, the last again.
    /// Nil when the exercise has no hints.
    public func next(for exercise: Exercise) throws -> (number: Int, text: String)? {
        guard !exercise.hints.isEmpty else { return nil }
        var counts = shown()
        let number = min((counts[exercise.name] ?? 0) + 1, exercise.hints.count)
        counts[exercise.name] = number
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try encoder.encode(counts).write(to: URL(fileURLWithPath: file), options: .atomic)
        return (number, exercise.hints[number - 1])
    }
}

extension String {
    /// The rest of the string after `prefix`, or nil when it does not start with it.
    func stripping(prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}
