import Foundation

/// Grades exercises, each in its own compiled program and its own process, with a time limit.
///
/// The program for exercise E links three modules: `Learner`, the learner's file for E alone; `Reference`,
/// the lesson's reference solutions of its other exercises; and `Lesson`, the lesson's checks for E with the
/// prelude, compiled once against the stub's declarations (``GradingBuild``). The checks come from the
/// lesson, never from the learner's folder, and a pass needs the run's secret, which only `Lesson` holds.
/// A crash, an endless loop or a compile error costs that exercise alone.
public struct Grader: Sendable {
    public var compiler: SwiftCompiler
    /// How long one exercise's checks may run.
    public var timeout: Duration
    /// The learners' folder, `Exercises` by default.
    public var exercisesFolder: String
    public var scratchRoot: String
    /// The sandbox every learner's program runs in; none when this machine cannot start one and the caller
    /// accepted that.
    public var sandbox: Sandbox?
    /// The compiled parts that all learners of an exercise share, kept between runs under a folder.
    let builds: GradingBuilds
    /// Links from the builds and runs of learners' programs take turns, so that no program can change what
    /// another is linked from.
    let turns = GradingTurns()

    public init(compiler: SwiftCompiler, timeout: Duration = .seconds(10), exercisesFolder: String = "Exercises",
                scratchRoot: String = NSTemporaryDirectory(), buildFolder: String = ".cache/grading") {
        self.compiler = compiler
        self.timeout = timeout
        self.exercisesFolder = exercisesFolder
        self.scratchRoot = absolutePath(scratchRoot)
        builds = GradingBuilds(root: absolutePath(buildFolder))      // the learner's program is compiled elsewhere
    }

    /// The shared builds that a learner's program changed, as `EXERCISE: FILES`: each was made again before
    /// anything else was linked from it.
    public func changedBuilds() async -> [String] { await builds.changes }

    /// The learner's file for `exercise`.
    ///
    /// That is `NN-slug/NAME.swift` in the learner's folder, or `NAME.swift` directly in it when only that exists,
    /// as when a single file is uploaded.
    public func learnerPath(_ exercise: Exercise) -> String {
        let inLesson = (exercisesFolder as NSString).appendingPathComponent(exercise.relativePath)
        let alone = (exercisesFolder as NSString).appendingPathComponent(exercise.name + ".swift")
        let fm = FileManager.default
        return !fm.fileExists(atPath: inLesson) && fm.fileExists(atPath: alone) ? alone : inLesson
    }

    /// Grades one exercise from the learner's file (or from `file`, when given).
    public func grade(_ exercise: Exercise, in lesson: Lesson, file: String? = nil) async throws -> GradeResult {
        let path = file ?? learnerPath(exercise)
        let start = ContinuousClock.now
        func result(_ status: GradeStatus) -> GradeResult {
            GradeResult(exercise: exercise.name, lesson: lesson.name, file: path, status: status,
                        seconds: (ContinuousClock.now - start).inSeconds, hints: exercise.hints.count,
                        hintsSeen: min(exercise.hints.count, HintProgress(exercisesFolder: exercisesFolder).shown()[exercise.name] ?? 0))
        }
        guard let data = FileManager.default.contents(atPath: path), String(decoding: data, as: UTF8.self) != exercise.stubFile
        else { return result(.notStarted) }
        // Feedback on the approach, read from the code itself: never from a comment or a string.
        if let name = SwiftNames.mentioned(exercise.forbidden, in: String(decoding: data, as: UTF8.self)).first {
            return result(.fail("calls \(name), which this exercise asks you to write yourself"))
        }

        try compiler.requireCore()
        let shared = try await builds.build(for: exercise, in: lesson, compiler: compiler)
        let passToken = UUID().uuidString                     // new for every run: nothing can have learned it
        let speaking = RunnerProtocol()
        let absolute = absolutePath(path)
        let (builds, compiler) = (builds, compiler)
        let program = shared.program(learnerFile: absolute, compiler: compiler, scratchRoot: scratchRoot, sandbox: sandbox, objects: {
            try await builds.checked(shared, for: exercise, in: lesson, compiler: compiler).objects
        }, turns: turns)
        let outcome: ProcessOutcome
        switch try await program.run(
            environment: ["SWIFT_BACKTRACE": "enable=yes,interactive=no,color=no,registers=none,images=none,threads=crashed"],
            input: speaking.input(passToken: passToken), timeout: timeout) {
        case .didNotCompile(let diagnostics) where diagnostics.contains("undefined symbol"):     // lld's words
            return result(.compileError("\(path): your file must keep the stub's declaration of `\(exercise.name)` as it is "
                                        + "(its name, parameter labels and types, and result): the checks call it that way"))
        case .didNotCompile(let diagnostics):
            return result(.compileError(Self.firstError(diagnostics, learnerPath: absolute, shownAs: path)))
        case .ran(let ran):
            outcome = ran
        }
        let checkFailure = LessonRunner.lines(outcome.standardOutput).lazy.compactMap { speaking.parse($0) }
            .first { $0.marker == .checkFailed }?.payload
        switch outcome.ending {
        case .timedOut:
            return result(.timeout)
        case .exited(RunnerProtocol.checkFailedStatus) where checkFailure != nil:
            return result(.fail(String(checkFailure!)))
        case .exited(0) where outcome.standardOutput.contains(speaking.marker(.pass) + passToken + "\n"):
            return result(.pass)
        case .exited(let status):
            return result(.fail("your code ended the program (exit \(status)) before the checks finished"))
        default:
            // The runner's markers share standard error with the runtime's report: leave them out of the row.
            let report = outcome.standardError.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix(speaking.prefix) }.joined(separator: "\n")
            return result(.crash(Self.crashMessage(report, ending: outcome.ending, learnerPath: absolute),
                                 location: Self.crashLocation(report, learnerPath: absolute, shownAs: path)))
        }
    }

    /// The crash in plain words: the runtime's trap message when there is one, else the signal, named,
    /// with a stack overflow recognised by the learner's function filling the backtrace.
    ///
    /// A trap in the learner's own file is given without the runtime's `Learner/FILE:LINE: ` prefix: the row's
    /// location names the learner's file and line already.
    static func crashMessage(_ report: String, ending: ProcessEnding, learnerPath: String) -> String {
        if let message = TrapReport.runtimeMessage(report) {
            let ownPrefix = "Learner/" + (learnerPath as NSString).lastPathComponent + ":"
            guard message.hasPrefix(ownPrefix), let end = message.range(of: ": ", range: message.index(message.startIndex, offsetBy: ownPrefix.count)..<message.endIndex)
            else { return message }
            return String(message[end.upperBound...])
        }
        guard case .signaled(let signal) = ending else { return TrapReport.message(report) ?? "the program stopped" }
        let framesInLearnerFile = report.components(separatedBy: " at " + learnerPath + ":").count - 1
        if signal == SIGSEGV && framesInLearnerFile >= 20 || report.contains("stack overflow") {
            return "stack overflow: look for a call that never stops recursing"
        }
        let names: [Int32: String] = [SIGSEGV: "SIGSEGV, a bad memory access", SIGBUS: "SIGBUS, a bad memory access",
                                      SIGABRT: "SIGABRT: the program aborted", SIGILL: "SIGILL: a trap",
                                      SIGTRAP: "SIGTRAP: a trap", SIGFPE: "SIGFPE: an arithmetic error", SIGKILL: "SIGKILL",
                                      SIGXCPU: "SIGXCPU: it used more CPU time than its time limit",
                                      SIGXFSZ: "SIGXFSZ: it wrote a file larger than the sandbox allows (64 MiB)"]
        return "the program was stopped by signal \(names[signal] ?? String(signal))"
    }

    /// Grades several exercises, `parallelism` at a time; calls `report` as each one finishes.
    public func grade(_ items: [(exercise: Exercise, lesson: Lesson)], parallelism: Int = 2,
                      report: @Sendable (GradeResult) -> Void = { _ in }) async throws -> [GradeResult] {
        try await grade(items.map { ($0.exercise, $0.lesson, nil) }, parallelism: parallelism, report: report)
    }

    /// Grades several exercises, each from the learner's file or from the `file` given, `parallelism` at a time;
    /// calls `report` as each one finishes. The results come in the order of `items`.
    public func grade(_ items: [(exercise: Exercise, lesson: Lesson, file: String?)], parallelism: Int = 2,
                      report: @Sendable (GradeResult) -> Void = { _ in }) async throws -> [GradeResult] {
        var results = [GradeResult?](repeating: nil, count: items.count)
        try await withThrowingTaskGroup(of: (Int, GradeResult).self) { group in
            var next = 0
            func start() {
                guard next < items.count else { return }
                let (index, item) = (next, items[next])
                group.addTask { (index, try await grade(item.exercise, in: item.lesson, file: item.file)) }
                next += 1
            }
            for _ in 0..<max(1, parallelism) { start() }
            while let (index, result) = try await group.next() {
                results[index] = result
                report(result)
                start()
            }
        }
        return results.map { $0! }
    }

    /// `file:line:column` of the first backtrace frame in the learner's file.
    static func crashLocation(_ errorText: String, learnerPath: String, shownAs path: String) -> String? {
        for line in errorText.split(separator: "\n") {
            guard let range = line.range(of: " at " + learnerPath + ":") else { continue }
            return path + ":" + line[range.upperBound...].trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// The compiler's first error, with the learner's file shown as the learner named it.
    static func firstError(_ diagnostics: String, learnerPath: String, shownAs path: String) -> String {
        let cleaned = diagnostics.replacingOccurrences(of: learnerPath, with: path)
        return cleaned.split(separator: "\n").first { $0.contains(": error: ") }.map(String.init)
            ?? cleaned.split(separator: "\n").first.map(String.init) ?? "the exercise does not compile"
    }
}
