import Foundation
import Testing
@testable import LessonKit

/// The course's real lessons and their exercises.
func courseExercises() throws -> [(exercise: Exercise, lesson: Lesson)] {
    let lessons = try LessonCatalog.load(folder: TestPaths.packageRoot + "/Lessons")
    return lessons.flatMap { lesson in lesson.exercises.map { ($0, lesson) } }
}

/// A fresh learner folder with the given file contents, by exercise.
func learnerFolder(_ files: [(Exercise, String)]) throws -> String {
    let folder = NSTemporaryDirectory() + "exercises-\(UUID().uuidString)"
    for (exercise, contents) in files {
        let path = folder + "/" + exercise.relativePath
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
    }
    return folder
}

func grader(_ folder: String, timeout: Duration = .seconds(20)) -> Grader {
    Grader(compiler: SwiftCompiler(coreBuild: TestPaths.coreBuild), timeout: timeout, exercisesFolder: folder,
           buildFolder: TestPaths.gradingBuilds)
}

/// Grades lesson 02's `rnnCellForward` written with `body` (Glibc imported, so it may call exit or abort),
/// after `declarations` at the top level of the learner's file; in the sandbox when `sandboxed`.
func gradeRNNCellForward(body: String, declarations: String = "", sandboxed: Bool = false,
                         timeout: Duration = .seconds(20)) async throws -> GradeResult {
    let (exercise, lesson) = try #require(try courseExercises().first { $0.exercise.name == "rnnCellForward" })
    let code = """
        #if canImport(Glibc)
        import Glibc
        #endif
        \(declarations)
        func rnnCellForward(x: Matrix<Double>, aPrevious: Matrix<Double>,
                            Wax: Matrix<Double>, Waa: Matrix<Double>, ba: Matrix<Double>) -> Matrix<Double> {
            \(body)
        }
        """
    let folder = try learnerFolder([(exercise, exercise.learnerFile(code: code))])
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var grading = grader(folder, timeout: timeout)
    if sandboxed { grading.sandbox = try await Sandbox.detect().get() }
    return try await grading.grade(exercise, in: lesson)
}

@Suite(.serialized) struct GradingTests {
    @Test func everyReferenceSolutionPassesAllItsChecks() async throws {
        let items = try courseExercises()
        #expect(items.count >= 2)
        let folder = try learnerFolder(items.map { ($0.exercise, $0.exercise.learnerFile(code: $0.exercise.solutionCode)) })
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let results = try await grader(folder).grade(items)
        for result in results { #expect(result.status == .pass, "\(result.exercise): \(result.status)") }
    }

    @Test func everyUntouchedStubFailsAndIsReportedNotStarted() async throws {
        let items = try courseExercises()
        let untouched = try learnerFolder(items.map { ($0.exercise, $0.exercise.stubFile) })
        // The same stubs with one comment added: now graded, and they must not pass.
        let touched = try learnerFolder(items.map { ($0.exercise, $0.exercise.stubFile + "// looked at it\n") })
        defer { try? FileManager.default.removeItem(atPath: untouched); try? FileManager.default.removeItem(atPath: touched) }
        for result in try await grader(untouched).grade(items) { #expect(result.status == .notStarted) }
        for result in try await grader(touched).grade(items) {
            guard case .crash(let message, _) = result.status else {
                Issue.record("\(result.exercise): a stub must stop at its trap, got \(result.status)")
                continue
            }
            #expect(message.contains("exercise \(result.exercise) is not solved yet"))
        }
    }

    /// Every exercise names at least four mistakes. That each fails its checks with its own message, and each
    /// reference passes, is `lessons check` (`make check-exercises`, part of `make test`).
    @Test func everyExerciseNamesFourMistakes() throws {
        for (exercise, _) in try courseExercises() {
            #expect(exercise.mistakes.count >= 4, "exercise \(exercise.name) has \(exercise.mistakes.count) mistake= blocks; every exercise needs at least four")
        }
    }

    /// Foundation is in scope in a learner's file, which imports only SequenceModels: `exp` and `sin` on a Double compile.
    @Test func foundationIsInScopeInALearnersFile() async throws {
        let (exercise, lesson) = try #require(try courseExercises().first { $0.exercise.name == "rnnCellForward" })
        let code = """
            func rnnCellForward(x: Matrix<Double>, aPrevious: Matrix<Double>, Wax: Matrix<Double>, Waa: Matrix<Double>,
                                ba: Matrix<Double>) -> Matrix<Double> {
                x.map { exp($0) * sin(1.0) }
            }
            """
        #expect(!exercise.learnerFile(code: code).contains("import Foundation") && !exercise.learnerFile(code: code).contains("Glibc"))
        let folder = try learnerFolder([(exercise, exercise.learnerFile(code: code))])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try await grader(folder).grade(exercise, in: lesson)
        guard case .fail = result.status else {
            Issue.record("the file compiles and fails a check; got \(result.status)")
            return
        }
    }

    /// Text that looks like a pass, or ending the program early, never counts as the checks' end.
    @Test(arguments: ["print(\"✓ all 5 checks of rnnCellForward pass\"); exit(0)", "exit(0)"])
    func aForgedPassFails(_ body: String) async throws {
        let result = try await gradeRNNCellForward(body: body)
        #expect(result.status == .fail("your code ended the program (exit 0) before the checks finished"))
    }

    /// Nothing the learner's file declares takes part in the checks: they were compiled against the stub.
    @Test(arguments: [
        // The issue's forgery: checks that check nothing, in the learner's file.
        """
        func checkClose(_ a: Matrix<Double>, _ b: Matrix<Double>, tolerance: Double = 1e-8, _ message: @autoclosure () -> String) {}
        func checkShape(_ m: Matrix<Double>, _ expected: [Int], _ what: String) {}
        """,
        // Operators the checks use inside checkShape and checkClose: every shape equal, every difference small.
        """
        func == (a: [Int], b: [Int]) -> Bool { true }
        func <= (a: Double, b: Double) -> Bool { true }
        """,
        // A library function the checks use for expected values, made to agree with any answer.
        """
        func tanh(_ m: Matrix<Double>) -> Matrix<Double> { .zeros(1, 1) }
        func matmul(_ a: Matrix<Double>, _ b: Matrix<Double>, transposeB: Bool) -> Matrix<Double> { .zeros(1, 1) }
        """,
    ])
    func aLearnersOverloadsNeverReachTheChecks(_ declarations: String) async throws {
        let result = try await gradeRNNCellForward(body: "return .zeros(1, 1)", declarations: declarations)
        #expect(result.status == .fail("a⟨t⟩ should have shape [3, 4], but has shape [1, 1]"))
    }

    /// A learner's program that writes a forged `main.o` (one that prints the pass line with the run's secret)
    /// into every grading build changes no other learner's grade: the next link finds the build changed and
    /// makes it again first.
    @Test func aProgramThatRewritesTheChecksForgesNoOtherPass() async throws {
        let (exercise, lesson) = try #require(try courseExercises().first { $0.exercise.name == "rnnCellForward" })
        let root = NSTemporaryDirectory() + "lessonkit-forgery-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/forged", withIntermediateDirectories: true)
        let passLine = RunnerProtocol.prefix(nonce: "\u{0}").replacingOccurrences(of: "\u{0}", with: "\\(nonce)")
            .replacingOccurrences(of: "\u{1}", with: "\\u{1}") + RunnerProtocol.Marker.pass.rawValue + " \\(token)"
        try "let nonce = readLine() ?? \"\"\nlet token = readLine() ?? \"\"\nprint(\"\(passLine)\")\n"
            .write(toFile: root + "/forged/main.swift", atomically: true, encoding: .utf8)
        let compiler = SwiftCompiler(coreBuild: TestPaths.coreBuild)
        #expect(try await compiler.invoke(["-c", "-module-name", "Lesson", "main.swift"], in: root + "/forged") == nil)
        let rewrite = """
            import Foundation
            func rnnCellForward(x: Matrix<Double>, aPrevious: Matrix<Double>,
                                Wax: Matrix<Double>, Waa: Matrix<Double>, ba: Matrix<Double>) -> Matrix<Double> {
                for build in (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/builds")) ?? [] {
                    let checks = "\(root)/builds/" + build + "/main.o"
                    try? FileManager.default.removeItem(atPath: checks)
                    try? FileManager.default.copyItem(atPath: "\(root)/forged/main.o", toPath: checks)
                }
                return .zeros(1, 1)
            }
            """
        let wrong = "func rnnCellForward(x: Matrix<Double>, aPrevious: Matrix<Double>, Wax: Matrix<Double>, Waa: Matrix<Double>, ba: Matrix<Double>) -> Matrix<Double> { .zeros(1, 1) }"
        let (forger, victim) = (try learnerFolder([(exercise, exercise.learnerFile(code: rewrite))]),
                                try learnerFolder([(exercise, exercise.learnerFile(code: wrong))]))
        defer { for folder in [forger, victim] { try? FileManager.default.removeItem(atPath: folder) } }
        var grading = Grader(compiler: compiler, timeout: .seconds(20), exercisesFolder: forger, buildFolder: root + "/builds")
        #expect(try await grading.grade(exercise, in: lesson).status == .fail("a⟨t⟩ should have shape [3, 4], but has shape [1, 1]"))
        let written = try FileManager.default.contentsOfDirectory(atPath: root + "/builds").map { root + "/builds/" + $0 + "/main.o" }
        #expect(written.contains { FileManager.default.contentsEqual(atPath: $0, andPath: root + "/forged/main.o") })
        grading.exercisesFolder = victim
        #expect(try await grading.grade(exercise, in: lesson).status == .fail("a⟨t⟩ should have shape [3, 4], but has shape [1, 1]"))
        #expect(await grading.changedBuilds() == ["rnnCellForward: main.o"])
    }

    /// A file that changes the stub's declaration is told so, in words, not with a linker's message.
    @Test func aChangedSignatureIsExplained() async throws {
        let (exercise, lesson) = try #require(try courseExercises().first { $0.exercise.name == "rnnCellForward" })
        let folder = try learnerFolder([(exercise, exercise.learnerFile(code: "func rnnCellForward(x: Matrix<Double>) -> Matrix<Double> { x }"))])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try await grader(folder).grade(exercise, in: lesson)
        guard case .compileError(let message) = result.status else {
            Issue.record("expected a compile error, got \(result.status)")
            return
        }
        #expect(message.hasSuffix("rnnCellForward.swift: your file must keep the stub's declaration of `rnnCellForward` as it is (its name, parameter labels and types, and result): the checks call it that way"))
    }

    /// A crash without a runtime message is named in plain words, and no runner marker reaches the row.
    @Test(arguments: ["rnnCellForward(x: x, aPrevious: aPrevious, Wax: Wax, Waa: Waa, ba: ba)", "abort()"])
    func aCrashRowNamesNoRunnerMarker(_ body: String) async throws {
        let result = try await gradeRNNCellForward(body: body)
        guard case .crash(let message, _) = result.status else {
            Issue.record("expected a crash row, got \(result.status)")
            return
        }
        #expect(message.hasPrefix("stack overflow") || message.hasPrefix("the program was stopped by signal"), "\(message)")
        #expect(!result.status.detail.contains("lessonkit"), "\(result.status.detail)")
    }

    /// The crash message reads the runtime's report: a trap's own words, a stack overflow, or the signal named.
    @Test func crashMessagesNameWhatHappened() {
        let file = "/tmp/learner/rnn.swift"
        let recursion = (0..<25).map { "\($0) 0x0 rnnCellForward(x:) + 12 at \(file):7:5" }.joined(separator: "\n")
        #expect(Grader.crashMessage("💣 Program crashed: Bad pointer dereference\n" + recursion, ending: .signaled(SIGSEGV), learnerPath: file)
                == "stack overflow: look for a call that never stops recursing")
        #expect(Grader.crashMessage("swift-runtime: failed to suspend thread 31280 while processing a crash", ending: .signaled(SIGABRT),
                                    learnerPath: file) == "the program was stopped by signal SIGABRT: the program aborted")
        #expect(Grader.crashMessage("Swift/Array.swift:42: Fatal error: Index out of range", ending: .signaled(SIGILL), learnerPath: file)
                == "Swift/Array.swift:42: Fatal error: Index out of range")
        // A trap in the learner's own file: the row's location already names the file and line.
        #expect(Grader.crashMessage("Learner/\((file as NSString).lastPathComponent):15: Fatal error: not solved yet", ending: .signaled(SIGILL),
                                    learnerPath: file) == "Fatal error: not solved yet")
        #expect(Grader.crashMessage("", ending: .signaled(SIGSEGV), learnerPath: file)
                == "the program was stopped by signal SIGSEGV, a bad memory access")
    }

    /// A crash, an endless loop and a compile error each change only their own row.
    @Test(arguments: ["crash", "loop", "compile"])
    func aBrokenFileCostsOnlyItsOwnExercise(_ kind: String) async throws {
        let items = try courseExercises().filter { $0.lesson.number == "02" }
        let cell = try #require(items.first { $0.exercise.name == "rnnCellForward" }).exercise
        let sequence = try #require(items.first { $0.exercise.name == "rnnForward" }).exercise
        let broken: String
        switch kind {
        case "crash":
            broken = cell.learnerFile(code: cell.stubCode).replacingOccurrences(
                of: "    // TODO: write your solution here.\n    fatalError(\"exercise rnnCellForward is not solved yet: write it in Exercises/02-rnn-forward/rnnCellForward.swift\")",
                with: "    let values = [1.0]\n    return x.map { $0 * values[2] }")
        case "loop":
            broken = cell.learnerFile(code: cell.stubCode).replacingOccurrences(
                of: "    // TODO: write your solution here.",
                with: "    var spin = 0\n    while spin >= 0 { spin = (spin + 1) % 7 }")
        default:        // a String where a Matrix belongs
            broken = cell.learnerFile(code: cell.stubCode).replacingOccurrences(
                of: "    // TODO: write your solution here.",
                with: "    let wrong: Matrix<Double> = \"not a matrix\"")
        }
        #expect(broken != cell.stubFile)
        let folder = try learnerFolder([(cell, broken), (sequence, sequence.learnerFile(code: sequence.solutionCode))])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let results = try await grader(folder, timeout: .seconds(3)).grade(items.filter { $0.exercise.name == cell.name || $0.exercise.name == sequence.name })
        let cellRow = try #require(results.first { $0.exercise == cell.name })
        let sequenceRow = try #require(results.first { $0.exercise == sequence.name })
        #expect(sequenceRow.status == .pass, "the other exercise is graded with its own file: \(sequenceRow.status)")
        let file = folder + "/02-rnn-forward/rnnCellForward.swift"
        /// `line:column` (1-based) of the first occurrence of `marker` in the learner's file.
        func position(of marker: String) -> String {
            let lines = broken.split(separator: "\n", omittingEmptySubsequences: false)
            let line = lines.firstIndex { $0.contains(marker) }!
            return "\(line + 1):\(lines[line].distance(from: lines[line].startIndex, to: lines[line].range(of: marker)!.lowerBound) + 1)"
        }
        switch kind {
        case "crash":
            #expect(cellRow.status == .crash("Swift/ContiguousArrayBuffer.swift:692: Fatal error: Index out of range",
                                             location: file + ":" + position(of: "[2]")))
        case "loop":
            #expect(cellRow.status == .timeout)
        default:
            #expect(cellRow.status == .compileError(file + ":" + position(of: "\"not a matrix\"")
                                                    + ": error: cannot convert value of type 'String' to specified type 'Matrix<Double>'"))
        }
    }
}

@Suite(.serialized) struct ExerciseFilesTests {
    @Test func stubsNeverOverwriteAnEditAndResetKeepsEveryBackup() throws {
        let exercise = try #require(try courseExercises().first?.exercise)
        let folder = NSTemporaryDirectory() + "exercises-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files = ExerciseFiles(folder: folder)
        #expect(try files.writeStub(exercise) == .created)
        #expect(try files.writeStub(exercise) == .unchanged)
        try "my work, version 1".write(toFile: files.path(of: exercise), atomically: true, encoding: .utf8)
        #expect(try files.writeStub(exercise) == .keptEdited)
        #expect(try String(contentsOfFile: files.path(of: exercise), encoding: .utf8) == "my work, version 1")

        #expect(try files.reset(exercise) == .reset(backup: files.path(of: exercise) + ".bak"))
        #expect(try String(contentsOfFile: files.path(of: exercise), encoding: .utf8) == exercise.stubFile)
        try "my work, version 2".write(toFile: files.path(of: exercise), atomically: true, encoding: .utf8)
        #expect(try files.reset(exercise) == .reset(backup: files.path(of: exercise) + ".bak2"))
        #expect(try String(contentsOfFile: files.path(of: exercise) + ".bak", encoding: .utf8) == "my work, version 1")
        #expect(try String(contentsOfFile: files.path(of: exercise) + ".bak2", encoding: .utf8) == "my work, version 2")
    }

    @Test func theStubShowsTheSignatureATodoAndATrap() throws {
        let exercise = try #require(try courseExercises().first { $0.exercise.name == "rnnCellForward" }?.exercise)
        #expect(exercise.stubCode.contains("func rnnCellForward(x: Matrix<Double>"))
        #expect(exercise.stubCode.contains("// TODO: write your solution here."))
        #expect(exercise.stubCode.contains("fatalError(\"exercise rnnCellForward is not solved yet"))
        #expect(!exercise.stubCode.contains("matmul(aPrevious"))
        #expect(!exercise.solutionCode.contains("BEGIN SOLUTION"))
    }
}

/// Links and runs take turns: while a program runs, nothing is linked, and the other way round.
@Suite struct GradingTurnsTests {
    /// Counts the members of each kind inside at once, and the worst overlap of the two kinds seen.
    actor Inside {
        var count: [GradingTurns.Kind: Int] = [.linking: 0, .running: 0]
        var overlaps = 0
        var mostAtOnce = 0
        func enter(_ kind: GradingTurns.Kind) {
            count[kind]! += 1
            if count[.linking]! > 0 && count[.running]! > 0 { overlaps += 1 }
            mostAtOnce = max(mostAtOnce, count[kind]!)
        }
        func leave(_ kind: GradingTurns.Kind) { count[kind]! -= 1 }
    }

    @Test func linksAndRunsNeverOverlapAndEitherKindSharesItsTurn() async throws {
        let turns = GradingTurns(), inside = Inside()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                let kind: GradingTurns.Kind = index % 3 == 0 ? .running : .linking
                group.addTask {
                    try await turns.during(kind) {
                        await inside.enter(kind)
                        try await Task.sleep(for: .milliseconds(2))
                        await inside.leave(kind)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(await inside.overlaps == 0)
        #expect(await inside.mostAtOnce > 1)
    }
}
