import Foundation

/// An exercise of a lesson: its reference solution, its graded checks, and the mistakes they must catch.
///
/// The ```` ```swift exercise=NAME ```` block holds the reference solution between
/// `// BEGIN SOLUTION` and `// END SOLUTION` lines; the learner's stub replaces each such
/// region with a `// TODO` and a trap that names the exercise. The ```` ```swift check=NAME ````
/// block holds the checks, and each ```` ```swift mistake=NAME ```` block a wrong solution.
public struct Exercise: Sendable {
    public var name: String
    /// The lesson's name, `NN-slug`: the learner's folder is `Exercises/NN-slug/`.
    public var lessonName: String
    public var solution: Snippet
    public var checks: Snippet
    public var mistakes: [Snippet]
    /// Hints, in the order a learner should read them: each the Markdown text of a ```` ```hint=NAME ```` block.
    public var hints: [String] = []

    /// The library APIs this exercise asks the learner not to call (`forbid=` on its solution).
    public var forbidden: [String] { solution.kind.forbidden }

    static let beginMarker = "// BEGIN SOLUTION"
    static let endMarker = "// END SOLUTION"

    /// The learner's file, relative to the exercises folder: `NN-slug/NAME.swift`.
    public var relativePath: String { "\(lessonName)/\(name).swift" }

    /// The code a learner starts from: the solution regions replaced by a TODO and a trap.
    public var stubCode: String {
        var lines: [String] = []
        var inSolution = false
        for line in solution.visibleCode.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == Self.beginMarker {
                let indent = String(line.prefix { $0 == " " || $0 == "\t" })
                lines.append(indent + "// TODO: write your solution here.")
                lines.append(indent + "fatalError(\"exercise \(name) is not solved yet: write it in Exercises/\(relativePath)\")")
                inSolution = true
            } else if trimmed == Self.endMarker {
                inSolution = false
            } else if !inSolution {
                lines.append(String(line))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The reference solution as the page shows it, without the markers.
    public var solutionCode: String {
        solution.visibleCode.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { ![Self.beginMarker, Self.endMarker].contains($0.trimmingCharacters(in: .whitespaces)) }
            .joined(separator: "\n")
    }

    /// The contents of the learner's file for `code` (the stub, or a solution): a header, the import, the code.
    public func learnerFile(code: String) -> String {
        """
        // Exercise \(name), from \(solution.fence.file):\(solution.fence.line).
        // Replace the TODO with your solution, then run `make grade` (or `make watch`).
        // The checks come from the lesson, not from this folder: editing them here changes nothing.
        import SequenceModels

        \(code.hasSuffix("\n") ? code : code + "\n")
        """
    }

    /// The untouched stub file.
    public var stubFile: String { learnerFile(code: stubCode) }

    /// Groups a lesson's exercise, check, mistake and hint blocks, checking that they fit together.
    static func collect(from snippets: [Snippet], hints: [(exercise: String, text: String, location: SourceLocation)],
                        lessonName: String) throws -> [Exercise] {
        var exercises: [Exercise] = []
        for snippet in snippets {
            guard let name = snippet.kind.solvedExercise else { continue }
            if exercises.contains(where: { $0.name == name }) {
                throw LessonError(snippet.fence, "exercise \(name) is defined twice")
            }
            let lines = snippet.code.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            let begins = lines.filter { $0 == beginMarker }.count, ends = lines.filter { $0 == endMarker }.count
            guard begins > 0, begins == ends else {
                throw LessonError(snippet.fence, "exercise \(name) needs matching '\(beginMarker)' and '\(endMarker)' lines around its solution")
            }
            let checks = snippets.filter { $0.kind.checkedExercise == name }
            guard checks.count == 1 else {
                throw LessonError(snippet.fence, "exercise \(name) needs exactly one 'swift check=\(name)' block, found \(checks.count)")
            }
            exercises.append(Exercise(name: name, lessonName: lessonName, solution: snippet, checks: checks[0],
                                      mistakes: snippets.filter { $0.kind.mistakenExercise == name }))
        }
        for snippet in snippets where snippet.kind.mistakenExercise != nil && snippet.expectedFailure == nil {
            throw LessonError(snippet.fence, "a mistake= block starts with a '\(Snippet.failsPrefix)MESSAGE' line: the check message it must fail with")
        }
        for snippet in snippets {
            for name in [snippet.kind.checkedExercise, snippet.kind.mistakenExercise].compactMap({ $0 })
            where !exercises.contains(where: { $0.name == name }) {
                throw LessonError(snippet.fence, "there is no 'swift exercise=\(name)' block before this one")
            }
        }
        for hint in hints {
            guard let index = exercises.firstIndex(where: { $0.name == hint.exercise }) else {
                throw LessonError(hint.location, "there is no 'swift exercise=\(hint.exercise)' block before this hint")
            }
            exercises[index].hints.append(hint.text)
        }
        return exercises
    }
}

extension Snippet {
    static let failsPrefix = "// fails: "

    /// For a `mistake=` block, the check message it must fail with, from its first line `// fails: MESSAGE`.
    public var expectedFailure: String? {
        code.split(separator: "\n", maxSplits: 1).first.flatMap { $0.hasPrefix(Self.failsPrefix) ? String($0.dropFirst(Self.failsPrefix.count)) : nil }
    }
}
