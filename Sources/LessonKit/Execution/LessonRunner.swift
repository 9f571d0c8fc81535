import Foundation

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
    /// The data files the program read, relative to the data folder, sorted.
    public var dataFilesRead: [String] = []
    /// Whether the program was killed at its time limit.
    public var timedOut = false
    /// Whether this run was read from the execution cache rather than run.
    public var fromCache = false

    /// The `description` of inline value `value`, or nil when the lesson stopped before it.
    public func text(of value: InlineValue) -> String? {
        results[LessonProgram.resultIndex(of: value, in: lesson)]?.inlineValue
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
        self.scratchRoot = absolutePath(scratchRoot)
        self.dataFolder = dataFolder.map(absolutePath)
    }

    /// Compiles and runs `program`, attributing output to snippets and collecting every problem.
    public func run(_ program: LessonProgram) async throws -> LessonRun {
        let start = ContinuousClock.now
        let lesson = program.lesson
        func elapsed() -> Double { (ContinuousClock.now - start).inSeconds }
        let markers = RunnerProtocol()
        let scratch = ScratchProgram(compiler: compiler, sources: program.sources, scratchRoot: scratchRoot)
        let outcome: ProcessOutcome
        switch try await scratch.run(environment: ["SWIFT_BACKTRACE": "enable=no", RunnerProtocol.dataVariable: dataFolder ?? ""],
                                     input: markers.input(), timeout: timeout) {
        case .didNotCompile(let diagnostics):
            return LessonRun(lesson: lesson, results: [:],
                             errors: [LessonError(SourceLocation(file: lesson.path, line: 1),
                                                  "the lesson does not compile:\n\(diagnostics)")],
                             compilerDiagnostics: diagnostics, seconds: elapsed())
        case .ran(let ran):
            outcome = ran
        }
        var (results, last, finished, dataRead) = Self.resultsBySnippet(outcome, markersOf: markers)
        var errors: [LessonError] = []
        let byIndex = Dictionary(uniqueKeysWithValues: lesson.snippets.map { ($0.index, $0) })

        for snippet in program.included where snippet.kind.runsWhereItStands {
            guard var result = results[snippet.index] else { continue }
            if snippet.kind.isExpectedTrap {
                if result.finishedWithoutTrap {
                    errors.append(LessonError(snippet.fence, "this expect-trap snippet finished without trapping"))
                } else {
                    result.trap = TrapReport.lines(result.errorText).joined(separator: "\n")
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
                errors.append(claim.error(inLessonAt: lesson.path))
            }
        }

        let valuesByResultIndex = Dictionary(uniqueKeysWithValues: program.values.map { (LessonProgram.resultIndex(of: $0, in: lesson), $0) })
        if !finished, let value = last.flatMap({ valuesByResultIndex[$0] }) {
            let message = outcome.ending == .timedOut ? "did not finish within \(timeout) and was killed"
                : "trapped: " + TrapReport.lines(results[last!]?.errorText ?? "").joined(separator: "\n")
            errors.append(LessonError(value.location, "the inline value `\(value.expression)` \(message)"))
        } else if !finished, let crashed = last.flatMap({ byIndex[$0] }) {
            var result = results[crashed.index] ?? SnippetResult()
            switch outcome.ending {
            case .exited(RunnerProtocol.checkFailedStatus) where result.checkFailure != nil:
                result.trap = "✗ " + result.checkFailure!
                errors.append(LessonError(crashed.fence, "a check fails with the reference solution: \(result.checkFailure!)"))
            case .timedOut:
                result.trap = "killed: the lesson did not finish within \(timeout)"
                errors.append(LessonError(crashed.fence, "the snippet did not finish within \(timeout) and was killed"))
            default:
                let message = TrapReport.lines(result.errorText).joined(separator: "\n")
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
                         seconds: elapsed(), dataFilesRead: dataRead, timedOut: outcome.ending == .timedOut)
    }

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

    /// Splits both streams at the snippet markers of `protocol`. Returns the results, the last snippet
    /// begun, whether the program reached its end marker, and the data files it read.
    static func resultsBySnippet(_ outcome: ProcessOutcome, markersOf protocol: RunnerProtocol)
        -> (results: [Int: SnippetResult], last: Int?, finished: Bool, dataRead: [String]) {
        var results: [Int: SnippetResult] = [:]
        var last: Int?
        var finished = false
        var current: Int?
        var dataRead = Set<String>()
        var figure: (caption: String, lines: [String])?
        for line in lines(outcome.standardOutput) {
            let marker = `protocol`.parse(line)
            if marker?.marker == .snippet {
                current = Int(marker!.payload)
                if current == -1 { finished = true; current = nil } else { last = current }
                continue
            }
            if marker?.marker == .dataRead {
                dataRead.insert(String(marker!.payload))
                continue
            }
            guard let index = current else { continue }
            var result = results[index] ?? SnippetResult()
            switch marker {
            case (.checkFailed, let message)?:
                result.checkFailure = String(message)
            case (.claimFailed, let claim)?:
                let parts = claim.split(separator: " ", maxSplits: 1)
                result.failedClaims.append(FailedClaim(line: parts.first.flatMap { Int($0) } ?? 0,
                                                       statement: parts.count > 1 ? String(parts[1]) : ""))
            case (.value, let value)?:
                result.inlineValue = Self.unescapeValue(value)
            case (.figureBegin, let caption)?:
                figure = (String(caption), [])
            case (.figureEnd, _)? where figure != nil:
                result.items.append(.figure(caption: figure!.caption, svg: figure!.lines.joined(separator: "\n")))
                figure = nil
            case (.pass, _)?, (.figureEnd, _)?, (.noTrap, _)?, (.snippet, _)?, (.dataRead, _)?:
                break                                  // the grader's end-of-checks signal, or a marker out of place
            case nil where figure != nil:
                figure!.lines.append(String(line))
            case nil:
                if case .text(let text)? = result.items.last {
                    result.items[result.items.count - 1] = .text(text + line + "\n")
                } else {
                    result.items.append(.text(line + "\n"))
                }
            }
            results[index] = result
        }
        current = nil
        for line in lines(outcome.standardError) {
            let marker = `protocol`.parse(line)
            if marker?.marker == .snippet {
                current = Int(marker!.payload).flatMap { $0 >= 0 ? $0 : nil }
                // Standard output gives the order; inline values are numbered after the snippets, so no
                // number from here may overrule it. It names the last unit only when output had none.
                if last == nil, let index = current { last = index }
                continue
            }
            guard let index = current else { continue }
            if marker?.marker == .noTrap {
                results[index, default: SnippetResult()].finishedWithoutTrap = true
            } else if marker == nil {
                results[index, default: SnippetResult()].errorText += line + "\n"
            }
        }
        for (index, result) in results {
            results[index]!.errorText = String(result.errorText.trimmingSuffixNewlines())
        }
        return (results, last, finished, dataRead.sorted())
    }

    /// The lines of a stream; a final line without its newline still counts.
    static func lines(_ stream: String) -> [Substring] {
        var lines = stream.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }
}

extension StringProtocol {
    func trimmingSuffixNewlines() -> SubSequence {
        var s = self[...]
        while s.last == "\n" { s = s.dropLast() }
        return s
    }
}
