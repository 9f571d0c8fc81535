import Foundation
import SequenceModels

/// Everything one lesson's run produced: each snippet's output and the problems found.
public struct LessonRun: Sendable {
    public var lesson: Lesson
    /// Results by snippet index; snippets that never ran have none.
    public var results: [Int: SnippetResult]
    /// Problems, each at the Markdown line it concerns. Empty when the lesson is healthy.
    public var errors: [LessonError]
    /// The compiler's diagnostics when the program did not compile.
    public var compilerDiagnostics: String?
    /// Wall-clock seconds spent compiling and running.
    public var seconds: Double

    /// The `description` of inline value `value`, or nil when the lesson stopped before it.
    public func text(of value: InlineValue) -> String? {
        results[LessonProgram.unit(of: value, in: lesson)]?.inlineValue
    }
}

/// Compiles and runs lessons: one program per lesson, one child process per run.
public struct LessonRunner: Sendable {
    public var compiler: SwiftCompiler
    /// The time limit of one lesson program; `LESSON_TIMEOUT` or 300 s by default.
    public var timeout: Duration
    /// Where scratch folders are made; each run gets a fresh one, removed afterwards.
    public var scratchRoot: String
    /// The course's data folder, handed to lesson programs as `COURSE_DATA`.
    public var dataFolder: String?

    public init(compiler: SwiftCompiler, timeout: Duration = .seconds(300),
                scratchRoot: String = NSTemporaryDirectory(), dataFolder: String? = nil) {
        self.compiler = compiler
        self.timeout = timeout
        self.scratchRoot = scratchRoot
        self.dataFolder = dataFolder.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
    }

    /// The prelude compiled into every lesson program.
    static let preludeSource: String = {
        guard let url = Bundle.module.url(forResource: "Prelude", withExtension: "swift", subdirectory: "Resources"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("LessonKit's resource Resources/Prelude.swift is missing from the build")
        }
        return text
    }()

    /// Compiles and runs `program`, attributing output to snippets and collecting every problem.
    public func run(_ program: LessonProgram) async throws -> LessonRun {
        try compiler.requireCore()
        let start = ContinuousClock.now
        let scratch = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try program.mainSource.write(toFile: scratch + "/main.swift", atomically: true, encoding: .utf8)
        try Self.preludeSource.write(toFile: scratch + "/Prelude.swift", atomically: true, encoding: .utf8)
        let lesson = program.lesson
        func elapsed() -> Double {
            let d = ContinuousClock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }

        if let diagnostics = try await compiler.compile(sources: ["main.swift", "Prelude.swift"],
                                                         executable: "lesson", in: scratch) {
            let cleaned = Self.compilerMessages(diagnostics, scratch: scratch)
            return LessonRun(lesson: lesson, results: [:],
                             errors: [LessonError(SourceLocation(file: lesson.path, line: 1),
                                                  "the lesson does not compile:\n\(cleaned)")],
                             compilerDiagnostics: cleaned, seconds: elapsed())
        }
        let run = scratch + "/run"
        try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
        let outcome = try await ChildProcess.run(
            scratch + "/lesson", workingDirectory: run,
            environment: ["SWIFT_BACKTRACE": "enable=no", "COURSE_DATA": dataFolder ?? ""], timeout: timeout)
        var (results, last, finished) = Self.split(outcome)
        var errors: [LessonError] = []
        let byIndex = Dictionary(uniqueKeysWithValues: lesson.snippets.map { ($0.index, $0) })

        for snippet in program.included where snippet.options.runs {
            guard var result = results[snippet.index] else { continue }
            if snippet.options.expectsTrap {
                if result.errorText.contains(Self.noTrapMarker) {
                    result.errorText = result.errorText.replacingOccurrences(of: Self.noTrapMarker + "\n", with: "")
                    errors.append(LessonError(snippet.fence, "this expect-trap snippet finished without trapping"))
                } else {
                    result.trap = Self.trapMessage(result.errorText)
                    result.errorText = ""
                }
            }
            if let expected = snippet.expectedOutput,
               let difference = OutputComparison().difference(expected: expected, actual: result.text) {
                errors.append(LessonError(snippet.fence, "the output differs from its output block: \(difference)"))
            }
            results[snippet.index] = result
        }

        for index in results.keys.sorted() {
            for claim in results[index]!.failedClaims {
                errors.append(LessonError(SourceLocation(file: lesson.path, line: claim.line),
                                          "claim does not hold: \(claim.statement)"))
            }
        }

        let valuesByUnit = Dictionary(uniqueKeysWithValues: program.values.map { (LessonProgram.unit(of: $0, in: lesson), $0) })
        if !finished, let value = last.flatMap({ valuesByUnit[$0] }) {
            let message = outcome.ending == .timedOut ? "did not finish within \(timeout) and was killed"
                : "trapped: " + Self.trapMessage(results[last!]?.errorText ?? "")
            errors.append(LessonError(value.location, "the inline value `\(value.expression)` \(message)"))
        } else if !finished, let crashed = last.flatMap({ byIndex[$0] }) {
            var result = results[crashed.index] ?? SnippetResult()
            switch outcome.ending {
            case .exited(Self.checkFailedStatus) where result.checkFailure != nil:
                result.trap = "✗ " + result.checkFailure!
                errors.append(LessonError(crashed.fence, "a check fails with the reference solution: \(result.checkFailure!)"))
            case .timedOut:
                result.trap = "killed: the lesson did not finish within \(timeout)"
                errors.append(LessonError(crashed.fence, "the snippet did not finish within \(timeout) and was killed"))
            default:
                let message = Self.trapMessage(result.errorText)
                result.trap = message.isEmpty ? "the program stopped (\(outcome.ending))" : message
                result.errorText = ""
                errors.append(LessonError(crashed.fence, "the snippet trapped: \(result.trap!)"))
            }
            results[crashed.index] = result
        } else if !finished {
            errors.append(LessonError(SourceLocation(file: lesson.path, line: 1),
                                      "the lesson program stopped before its first snippet (\(outcome.ending))"))
        } else if outcome.ending != .exited(0) {
            errors.append(LessonError(SourceLocation(file: lesson.path, line: 1),
                                      "the lesson program ended with \(outcome.ending)"))
        }
        return LessonRun(lesson: lesson, results: results, errors: errors, compilerDiagnostics: nil,
                         seconds: elapsed())
    }

    /// What every marker line of the protocol starts with.
    static let markerPrefix = "\u{1}lessonkit-"
    static let snippetMarker = "\u{1}lessonkit-snippet "
    static let checkFailedMarker = "\u{1}lessonkit-check-failed "
    static let checkFailedStatus: Int32 = 3
    static let noTrapMarker = "\u{1}lessonkit-no-trap"
    static let valueMarker = "\u{1}lessonkit-value "
    static let passMarker = "\u{1}lessonkit-pass "
    static let claimFailedMarker = "\u{1}lessonkit-claim-failed "

    /// An inline value's text as the prelude escaped it onto one line: `\\` and `\n`.
    static func unescapeValue(_ escaped: Substring) -> String {
        var text = ""
        var pendingBackslash = false
        for character in escaped {
            if pendingBackslash {
                text.append(character == "n" ? "\n" : character)
                pendingBackslash = false
            } else if character == "\\" {
                pendingBackslash = true
            } else {
                text.append(character)
            }
        }
        return text
    }

    /// Splits both streams at the snippet markers. Returns the results, the last snippet
    /// begun, and whether the program reached its end marker.
    static func split(_ outcome: ProcessOutcome) -> ([Int: SnippetResult], Int?, Bool) {
        var results: [Int: SnippetResult] = [:]
        var last: Int?
        var finished = false
        var current: Int?
        var figure: (caption: String, lines: [String])?
        for line in lines(outcome.standardOutput) {
            if line.hasPrefix(snippetMarker) {
                current = Int(line.dropFirst(snippetMarker.count))
                if current == -1 { finished = true; current = nil } else { last = current }
                continue
            }
            guard let index = current else { continue }
            var result = results[index] ?? SnippetResult()
            if let message = line.stripping(prefix: checkFailedMarker) {
                result.checkFailure = String(message)
            } else if let claim = line.stripping(prefix: claimFailedMarker) {
                let parts = claim.split(separator: " ", maxSplits: 1)
                result.failedClaims.append(FailedClaim(line: parts.first.flatMap { Int($0) } ?? 0,
                                                       statement: parts.count > 1 ? String(parts[1]) : ""))
            } else if line.hasPrefix(passMarker) {
                continue                                     // the grader's end-of-checks signal, not output
            } else if let value = line.stripping(prefix: valueMarker) {
                result.inlineValue = Self.unescapeValue(value)
            } else if let caption = line.stripping(prefix: FigureMarker.begin) {
                figure = (String(caption), [])
            } else if line == FigureMarker.end, let done = figure {
                result.items.append(.figure(caption: done.caption, svg: done.lines.joined(separator: "\n")))
                figure = nil
            } else if figure != nil {
                figure!.lines.append(String(line))
            } else if case .text(let text)? = result.items.last {
                result.items[result.items.count - 1] = .text(text + line + "\n")
            } else {
                result.items.append(.text(line + "\n"))
            }
            results[index] = result
        }
        current = nil
        for line in lines(outcome.standardError) {
            if line.hasPrefix(snippetMarker) {
                current = Int(line.dropFirst(snippetMarker.count)).flatMap { $0 >= 0 ? $0 : nil }
                if let index = current, index > (last ?? -1) { last = index }
                continue
            }
            guard let index = current else { continue }
            results[index, default: SnippetResult()].errorText += line + "\n"
        }
        for (index, result) in results {
            results[index]!.errorText = String(result.errorText.trimmingSuffixNewlines())
        }
        return (results, last, finished)
    }

    /// The lines of a stream; a final line without its newline still counts.
    static func lines(_ stream: String) -> [Substring] {
        var lines = stream.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// The runtime's message without its stack trace: `file:line: Fatal error: …`.
    static func trapMessage(_ errorText: String) -> String {
        var kept: [Substring] = []
        for line in errorText.split(separator: "\n") {
            if line.hasPrefix("Current stack trace:") { break }
            kept.append(line)
        }
        return kept.joined(separator: "\n")
    }

    /// The compiler's messages with scratch-folder paths removed; lines about the prelude dropped.
    static func compilerMessages(_ diagnostics: String, scratch: String) -> String {
        diagnostics.replacingOccurrences(of: scratch + "/", with: "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func makeScratchFolder() throws -> String {
        let path = (scratchRoot as NSString).appendingPathComponent("lessonkit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

extension Substring {
    func stripping(prefix: String) -> Substring? {
        hasPrefix(prefix) ? dropFirst(prefix.count) : nil
    }
}

extension StringProtocol {
    func trimmingSuffixNewlines() -> SubSequence {
        var s = self[...]
        while s.last == "\n" { s = s.dropLast() }
        return s
    }
}
