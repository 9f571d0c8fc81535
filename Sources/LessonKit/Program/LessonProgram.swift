import Foundation

/// The Swift program made from one lesson: every compiled snippet, in order, in one `main.swift`.
///
/// Each snippet is preceded by `#sourceLocation(file:line:)`, so the compiler reports its
/// errors, and the runtime its traps, at the lesson's own lines. Snippets share one
/// top-level scope, as cells of a notebook do. How each option is compiled:
/// - plain, `hide`, `check=`, `exercise=`: run in place;
/// - `norun`: wrapped in a function that is never called;
/// - `nocompile` and `mistake=`: left out;
/// - `expect-trap`: wrapped in a closure run in a child process;
/// - `check=NAME`: in a scope of its own, framed so that it counts its checks and reports them.
///
/// Each inline value `` `{swift} EXPRESSION` `` of the prose is evaluated between the snippets
/// around it, its expression placed at its own line and column so that errors point at the span.
public struct LessonProgram {
    public var lesson: Lesson
    /// The snippets to include, by index; by default every compiled one.
    public var included: [Snippet]
    /// The inline values to evaluate: all of the lesson's when it runs whole, none when grading.
    public var values: [InlineValue]
    /// Modules imported before the snippets, for a grading program: the learner's and the reference solutions'.
    public var imports: [String]
    public init(lesson: Lesson, included: [Snippet]? = nil, imports: [String] = []) {
        self.lesson = lesson
        self.included = (included ?? lesson.snippets).filter(\.kind.compiles)
        values = included == nil ? lesson.inlineValues : []
        self.imports = imports
    }

    /// The number the program reports inline value `value` under; snippets use their own index.
    public static func resultIndex(of value: InlineValue, in lesson: Lesson) -> Int { lesson.snippets.count + value.index }

    /// The program that grades `exercise`: its checks, which see the exercise in module `Learner` and the lesson's
    /// earlier exercises in module `Reference` (``referenceSource(for:in:)``), each through a scoped import, so
    /// that those names win over the core library's own (`brevityPenalty`) and nothing else of either module is seen.
    ///
    /// It is compiled against the stub's `Learner`, never the learner's file, so nothing the learner declares
    /// (an overload of `checkClose`, of `tanh`, of `==`) can take part in the checks' overload resolution.
    public static func grading(_ exercise: Exercise, in lesson: Lesson) -> LessonProgram {
        let earlier = lesson.exercises.prefix { $0.name != exercise.name }
        return LessonProgram(lesson: lesson, included: [exercise.checks],
                             imports: ["@testable import func Learner.\(exercise.name)"] + earlier.map { "@testable import func Reference.\($0.name)" })
    }

    /// Module `Reference` of a grading program: the reference solutions of the lesson's exercises before `exercise`,
    /// which it may build on. (A later one may build on `exercise` itself, which is the learner's to write.)
    /// Foundation is exported from it to the whole module, so that a learner's file has it in scope as a lesson does.
    public static func referenceSource(for exercise: Exercise, in lesson: Lesson) -> String {
        var lines = ["@_exported import Foundation", "import SequenceModels"]
        for other in lesson.exercises.prefix(while: { $0.name != exercise.name }) {
            lines.append("#sourceLocation(file: \(stringLiteral(lesson.path)), line: \(other.solution.firstCodeLine))\n"
                         + other.solution.code + "\n#sourceLocation()")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The source of `main.swift`.
    public var mainSource: String { source(lineNumbers: true) }

    /// What the program computes, without where its snippets stand in the lesson: the execution cache's key,
    /// which a prose edit that moves the snippets leaves unchanged.
    public var computation: String { source(lineNumbers: false) }

    /// `main.swift`, with each snippet's `#sourceLocation` at its Markdown line, or at line 0 when `lineNumbers` is false.
    func source(lineNumbers: Bool) -> String {
        // The secret the checks print when, and only when, they all ran to the end and held. It arrives on standard
        // input, read before anything else runs, and lives in a `fileprivate` constant: no code of the learner's
        // can name it, and no text it prints or `exit(0)` it calls can pass for the end of the checks.
        var lines = ["import SequenceModels"] + imports + ["fileprivate let lessonKitPassToken = LessonKitProgram.start()"]
        var pendingValues = values[...]
        func evaluateValues(before snippets: Int) {
            while let value = pendingValues.first, value.snippetsBefore <= snippets {
                pendingValues.removeFirst()
                let padding = String(repeating: " ", count: max(0, (value.location.column ?? 1) - 1))
                let unit: Int = Self.resultIndex(of: value, in: lesson)
                let location: String = "#sourceLocation(file: \(Self.stringLiteral(lesson.path)), line: \(lineNumbers ? value.location.line : 0))"
                lines.append("LessonKitProgram.inlineValue(\(unit)) {\n\(location)\n\(padding)\(value.expression)\n#sourceLocation()\n}")
            }
        }
        for snippet in included {
            evaluateValues(before: snippet.index)
            let located = "#sourceLocation(file: \(Self.stringLiteral(lesson.path)), line: \(lineNumbers ? snippet.firstCodeLine : 0))\n"
                + snippet.code + (snippet.code.hasSuffix("\n") || snippet.code.isEmpty ? "" : "\n")
                + "#sourceLocation()"
            if !snippet.kind.runsWhereItStands {
                lines.append("func lessonKitNeverRun\(snippet.index)() {\n\(located)\n}")
            } else if snippet.kind.isExpectedTrap {
                lines.append("LessonKitProgram.expectTrap(\(snippet.index)) {\n\(located)\n}")
            } else if let exercise = snippet.kind.checkedExercise {
                // In a scope of their own, so that the checks' names never clash with the lesson's.
                lines.append("LessonKitProgram.beginChecks(\(snippet.index))\ndo {\n\(located)\n}\n"
                             + "LessonKitProgram.endChecks(\(Self.stringLiteral(exercise)), passToken: lessonKitPassToken)")
            } else {
                lines.append("LessonKitProgram.begin(\(snippet.index))\n\(located)")
            }
        }
        evaluateValues(before: Int.max)
        lines.append("LessonKitProgram.finish()")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The program's source files: `main.swift`, the protocol's generated half, and the prelude.
    public var sources: [ScratchProgram.Source] {
        [ScratchProgram.Source(name: "main.swift", text: mainSource),
         ScratchProgram.Source(name: "LessonKitProtocol.swift", text: RunnerProtocol.programSource),
         ScratchProgram.Source(name: "Prelude.swift", text: Self.preludeSource)]
    }

    /// The prelude compiled into every lesson program: `show`, `claim`, the checks, and the snippets' framing.
    public static let preludeSource: String = {
        guard let url = Bundle.module.url(forResource: "Prelude", withExtension: "swift", subdirectory: "Resources"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("LessonKit's resource Resources/Prelude.swift is missing from the build")
        }
        return text
    }()

    /// A Swift string literal for `text`, with quotes and backslashes escaped.
    static func stringLiteral(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
