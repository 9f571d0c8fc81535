import Foundation

/// The Swift program made from one lesson: every compiled snippet, in order, in one `main.swift`.
///
/// Each snippet is preceded by `#sourceLocation(file:line:)`, so the compiler reports its
/// errors, and the runtime its traps, at the lesson's own lines. Snippets share one
/// top-level scope, as cells of a notebook do. How each option is compiled:
/// - plain, `hide`, `check=`, `exercise=`: run in place;
/// - `norun`: wrapped in a function that is never called;
/// - `nocompile`: left out;
/// - `expect-trap`: wrapped in a closure run in a child process.
public struct LessonProgram {
    public var lesson: Lesson
    /// The snippets to include, by index; by default every compiled one.
    public var included: [Snippet]
    /// Replacement code for some snippets, by index: a learner's exercise file, for example.
    public var replacements: [Int: (code: String, file: String, line: Int)]

    public init(lesson: Lesson, included: [Snippet]? = nil,
                replacements: [Int: (code: String, file: String, line: Int)] = [:]) {
        self.lesson = lesson
        self.included = (included ?? lesson.snippets).filter(\.options.compiles)
        self.replacements = replacements
    }

    /// The source of `main.swift`.
    public var mainSource: String {
        var lines = ["import SequenceModels", "LessonKitProgram.start()"]
        for snippet in included {
            let source = replacements[snippet.index]
                ?? (snippet.code, lesson.path, snippet.firstCodeLine)
            let located = "#sourceLocation(file: \(Self.stringLiteral(source.file)), line: \(source.line))\n"
                + source.code + (source.code.hasSuffix("\n") || source.code.isEmpty ? "" : "\n")
                + "#sourceLocation()"
            if !snippet.options.runs {
                lines.append("func lessonKitNeverRun\(snippet.index)() {\n\(located)\n}")
            } else if snippet.options.expectsTrap {
                lines.append("LessonKitProgram.expectTrap(\(snippet.index)) {\n\(located)\n}")
            } else {
                lines.append("LessonKitProgram.begin(\(snippet.index))\n\(located)")
            }
        }
        lines.append("LessonKitProgram.finish()")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Swift string literal for `text`, with quotes and backslashes escaped.
    static func stringLiteral(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
