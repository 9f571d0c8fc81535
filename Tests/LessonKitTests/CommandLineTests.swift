import Foundation
import Testing
@testable import LessonKit

/// Runs the real `lessons` binary, as a user would, from `Tests/LessonKitTests`.
func lessonsCommand(_ arguments: [String], timeout: Duration = .seconds(120)) async throws -> ProcessOutcome {
    try await ChildProcess.run(TestPaths.lessonsBinary,
                               arguments: arguments + ["--core", TestPaths.coreBuild],
                               workingDirectory: TestPaths.testsFolder, timeout: timeout)
}

@Suite(.serialized) struct CommandLineTests {
    /// An option that would do nothing in the mode asked for is refused, with a message, before anything is graded.
    @Test(arguments: [
        (["--submissions", "nowhere", "--json", "r.json"], "--json writes one learner's results"),
        (["--submissions", "nowhere", "--gradescope", "r.json"], "--gradescope writes one learner's results"),
        (["--gradebook", "book.csv"], "--gradebook goes with --submissions"),
        (["--reports", "reports"], "--reports goes with --submissions"),
        (["--points", "rnnForward=2"], "--points counts in a gradebook"),
    ])
    func gradingOptionsThatWouldDoNothingAreRefused(_ options: [String], _ message: String) async throws {
        let outcome = try await lessonsCommand(["grade", "--lessons-folder", TestPaths.packageRoot + "/Lessons"] + options)
        #expect(outcome.ending == .exited(64))
        #expect(outcome.standardError.contains(message), "\(outcome.standardError)")
    }

    @Test func runPrintsSnippetsWithTheirOutput() async throws {
        let outcome = try await lessonsCommand(["run", "02", "--lessons-folder", "Fixtures/good"])
        #expect(outcome.ending == .exited(0))
        #expect(outcome.standardOutput == "The second lesson\n\n── Fixtures/good/02-second.md:3 ──\nprint(\"second\")\n│ second\n")
    }

    /// From a course folder of one's own, with no flag: the core is found in the checkout `lessons` was built in.
    @Test func aCourseFolderOfItsOwnNeedsNoFlags() async throws {
        let folder = NSTemporaryDirectory() + "course-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: TestPaths.testsFolder + "/Fixtures/good", toPath: folder + "/Lessons")
        let outcome = try await ChildProcess.run(TestPaths.lessonsBinary, arguments: ["run", "02"], workingDirectory: folder,
                                                 environment: ["LESSONS_CORE": ""], timeout: .seconds(120))
        #expect(outcome.ending == .exited(0), "\(outcome.standardError)")
        #expect(outcome.standardOutput.hasSuffix("│ second\n"))
    }

    @Test func aCompileErrorExitsNonZeroWithTheMarkdownLocation() async throws {
        let outcome = try await lessonsCommand(["run", "01", "--lessons-folder", "Fixtures/errors"])
        #expect(outcome.ending == .exited(1))
        #expect(outcome.standardError.contains("Fixtures/errors/01-type-error.md:12:25: error: cannot convert value of type 'String'"))
    }

    @Test func aTrapExitsNonZeroNamingTheSnippet() async throws {
        let outcome = try await lessonsCommand(["run", "02", "--lessons-folder", "Fixtures/errors"])
        #expect(outcome.ending == .exited(1))
        #expect(outcome.standardError.hasPrefix("Fixtures/errors/02-trap.md:7: error: the snippet trapped: "))
        #expect(outcome.standardOutput.contains("│ reading\n✗ Swift/"))
    }

    /// Read together, as a terminal shows them, the transcript comes whole, every line of it, and the errors after it.
    @Test func theTranscriptComesWholeBeforeTheErrors() async throws {
        let alone = try await lessonsCommand(["run", "02", "--lessons-folder", "Fixtures/errors"])
        let together = try await ChildProcess.run("/bin/sh", arguments: [
            "-c", "\"$0\" run 02 --lessons-folder Fixtures/errors --core \"$1\" 2>&1", TestPaths.lessonsBinary, TestPaths.coreBuild,
        ], workingDirectory: TestPaths.testsFolder, timeout: .seconds(120))
        #expect(!alone.standardError.isEmpty)
        #expect(together.standardOutput == alone.standardOutput + alone.standardError)
    }

    /// `--without-solutions`: no page holds a line of any exercise's reference solution; the stub, checks and hints stay.
    @Test func aSiteWithoutSolutionsHoldsNoReferenceCode() async throws {
        let site = NSTemporaryDirectory() + "lessons-site-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: site) }
        let outcome = try await lessonsCommand(["build", "--lessons-folder", "Fixtures/authoring", "--site", site, "--no-cache", "--without-solutions"])
        #expect(outcome.ending == .exited(0), "\(outcome.standardError)")
        let pages = try FileManager.default.contentsOfDirectory(atPath: site).filter { $0.hasSuffix(".html") }
            .map { try String(contentsOfFile: site + "/" + $0, encoding: .utf8) }
        let lesson = try fixtureLesson("authoring/01-doubling.md")
        for exercise in lesson.exercises {
            let stub = Set(exercise.stubCode.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
            let lines = exercise.solutionCode.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { $0.count > 1 && !stub.contains($0) }
            #expect(!lines.isEmpty)
            for line in lines { #expect(!pages.contains { $0.contains(HTML.escape(line)) }, "a page holds the solution line '\(line)'") }
        }
        let page = try String(contentsOfFile: site + "/01-doubling.html", encoding: .utf8)
        #expect(page.contains("exercise-double") && page.contains("checks-double") && !page.contains("Show solution"))
    }

    /// An author's slips in `mistake=` blocks are errors at their lines: a `// fails:` line with another message
    /// than the checks give, and a mistake the checks pass. The block that is right is not reported.
    @Test func checkFindsAnAuthorsSlipsAtTheirLines() async throws {
        let outcome = try await lessonsCommand(["check", "--lessons-folder", "Fixtures/authoring", "--build-folder", TestPaths.gradingBuilds])
        #expect(outcome.ending == .exited(1))
        #expect(outcome.standardOutput.contains("[1/1] double: its reference and 3 mistake(s) graded"))
        #expect(outcome.standardError.contains("""
            Fixtures/authoring/01-doubling.md:24: error: this mistake of double fails with another message than its '// fails: ' line:
              got:  double(3) is 6: multiply by 2
              want: double(3) is 6: multiply by two
            """), "\(outcome.standardError)")
        #expect(outcome.standardError.contains("Fixtures/authoring/01-doubling.md:29: error: this mistake of double passes its checks"))
        #expect(!outcome.standardError.contains("01-doubling.md:19:") && !outcome.standardError.contains("01-doubling.md:3:"))
        #expect(outcome.standardError.contains("2 of 4 solutions of 1 exercise(s) are not graded as their authors wrote"))
    }

    @Test func anEndlessLessonIsKilledAndReported() async throws {
        let outcome = try await lessonsCommand(["run", "03", "--lessons-folder", "Fixtures/errors", "--timeout", "2"])
        #expect(outcome.ending == .exited(1))
        #expect(outcome.standardError == "Fixtures/errors/03-infinite-loop.md:7: error: the snippet did not finish within 2.0 seconds and was killed\n")
    }

    @Test func buildWritesACompleteSiteAndReplacesTheOldOne() async throws {
        let site = NSTemporaryDirectory() + "lessons-site-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: site) }
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
        try "stale".write(toFile: site + "/stale.html", atomically: true, encoding: .utf8)
        let outcome = try await lessonsCommand(["build", "--lessons-folder", "Fixtures/good", "--site", site, "--no-cache"])
        #expect(outcome.ending == .exited(0), "\(outcome.standardError)")
        let all = try FileManager.default.subpathsOfDirectory(atPath: site).sorted()
        let fonts = all.filter { $0.hasPrefix("assets/katex/fonts/") }
        #expect(fonts.contains("assets/katex/fonts/KaTeX_Main-Regular.woff2"), "KaTeX's fonts are copied, so math works offline")
        #expect(all.filter { !$0.hasPrefix("assets/katex/fonts/") } == [
            "01-first.html", "02-second.html", "assets", "assets/highlight", "assets/highlight/highlight.min.js",
            "assets/katex", "assets/katex/contrib", "assets/katex/contrib/auto-render.js", "assets/katex/fonts",
            "assets/katex/katex.min.css", "assets/katex/katex.min.js", "assets/live.js", "assets/lunr", "assets/lunr/lunr.min.js", "assets/site.js", "assets/style.css", "assets/theme.js",
            "figures", "figures/01-first-1.svg", "index.html", "search-index.js"])     // and stale.html is gone
        let katex = try FileManager.default.attributesOfItem(atPath: site + "/assets/katex/katex.min.js")
        #expect(katex[.type] as? FileAttributeType == .typeRegular, "a copied file, not a link into /usr/share")
        #expect(outcome.standardOutput.contains("[2/2] Fixtures/good/02-second.md: ok in"))

        // A course of its own: its index.md names it on every page and opens its front page, counts filled in,
        // and nothing of this repository's course (its title, any line of its front page) is anywhere in the site.
        let index = try String(contentsOfFile: site + "/index.html", encoding: .utf8)
        #expect(index.contains("<h1>Two Small Lessons</h1>\n<p class=\"lead\">A fixture course of 2 lessons, with 0 claims,"))
        #expect(index.contains("<h2 id=\"where-to-begin\">"))
        #expect(index.contains("<li value=\"1\"><a href=\"01-first.html\">The first lesson</a>"))
        let page = try String(contentsOfFile: site + "/01-first.html", encoding: .utf8)
        #expect(page.contains("<title>The first lesson · Two Small Lessons</title>")
                && page.contains("<p class=\"course\"><a href=\"index.html\">Two Small Lessons</a></p>"))
        let ours = try String(contentsOfFile: TestPaths.packageRoot + "/Lessons/index.md", encoding: .utf8)
            .split(separator: "\n").map { String($0.drop { "#-0123456789. ".contains($0) }.prefix(40)) }.filter { $0.count >= 10 }
        #expect(ours.count >= 8)
        for file in all where file.hasSuffix(".html") || file.hasSuffix(".js") && !file.contains("/") {
            let text = try String(contentsOfFile: site + "/" + file, encoding: .utf8)
            for line in ours { #expect(!text.contains(line), "\(file) holds '\(line)' from this course's front page") }
        }
    }

    @Test func anUnknownLessonIsAClearError() async throws {
        let outcome = try await lessonsCommand(["run", "09", "--lessons-folder", "Fixtures/good"])
        #expect(outcome.ending == .exited(1))
        #expect(outcome.standardError == "error: no lesson '09'; the lessons are 01, 02\n")
    }
}

@Suite(.serialized) struct ExerciseCommandTests {
    @Test func aClassIsGradedIntoAGradebookAndOneReportPerLearner() async throws {
        let root = NSTemporaryDirectory() + "class-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let items = try courseExercises().filter { $0.lesson.number == "02" }
        let cell = try #require(items.first { $0.exercise.name == "rnnCellForward" }).exercise
        let sequence = try #require(items.first { $0.exercise.name == "rnnForward" }).exercise
        func write(_ learner: String, _ exercise: Exercise, _ code: String) throws {
            let path = root + "/submissions/\(learner)/" + exercise.relativePath
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try exercise.learnerFile(code: code).write(toFile: path, atomically: true, encoding: .utf8)
        }
        try write("ada", cell, cell.solutionCode)
        try write("ada", sequence, sequence.solutionCode)
        try write("bob", cell, "func rnnCellForward(x: Matrix<Double>, aPrevious: Matrix<Double>, Wax: Matrix<Double>, Waa: Matrix<Double>, ba: Matrix<Double>) -> Matrix<Double> { [1.0][3] == 0 ? x : x }")
        try write("bob", sequence, "let broken: Int = \"text\"")
        try write("=cy, the third", cell, cell.solutionCode)       // a name a spreadsheet would read as a formula
        try "not a learner".write(toFile: root + "/submissions/notes.txt", atomically: true, encoding: .utf8)

        let outcome = try await lessonsCommand(["grade", "rnnCellForward", "rnnForward", "--lessons-folder", TestPaths.packageRoot + "/Lessons",
                                                "--submissions", root + "/submissions", "--gradebook", root + "/book.csv",
                                                "--reports", root + "/reports", "--points", "rnnForward=2", "--build-folder", TestPaths.gradingBuilds])
        #expect(outcome.ending == .exited(0), "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("4 of 4 learners graded"))
        let book = try String(contentsOfFile: root + "/book.csv", encoding: .utf8)
        #expect(book == "learner,rnnCellForward,rnnForward,total,note\r\n\"'=cy, the third\",1,0,1,rnnForward: not started\r\nada,1,2,3,\r\n"
                 + "bob,0,0,0,rnnCellForward: crashed; rnnForward: did not compile\r\nnotes.txt,0,0,0,not a folder\r\n")
        // The terminal says, per exercise, what happened across the class.
        #expect(outcome.standardOutput.contains("rnnCellForward: 2 passed, 1 crashed\nrnnForward: 1 passed, 1 did not compile, 1 not started\n"),
                "\(outcome.standardOutput)")
        let bob = try String(contentsOfFile: root + "/reports/bob.json", encoding: .utf8)
        #expect(bob.contains("\"status\" : \"crash\"") && bob.contains("\"status\" : \"compile error\""), "\(bob)")
        #expect(!bob.contains("lessonkit"), "no runner marker or scratch path in a report")
        #expect(FileManager.default.fileExists(atPath: root + "/reports/ada.json"))
    }

    @Test func aLearnerGetsStubsGradesThemAndKeepsEdits() async throws {
        let folder = NSTemporaryDirectory() + "learner-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lessons = TestPaths.packageRoot + "/Lessons"
        let common = ["--lessons-folder", lessons, "--exercises-folder", folder]
        let written = try await ChildProcess.run(TestPaths.lessonsBinary, arguments: ["exercises"] + common,
                                                 workingDirectory: TestPaths.testsFolder, timeout: .seconds(60))
        #expect(written.ending == .exited(0))
        #expect(written.standardOutput.contains("wrote \(folder)/02-rnn-forward/rnnCellForward.swift"))

        let report = folder + "/report.json"
        let fresh = try await lessonsCommand(["grade"] + common + ["--json", report, "--build-folder", TestPaths.gradingBuilds])
        #expect(fresh.ending == .exited(1))
        /// The words of the table row for `exercise`.
        func row(_ exercise: String, in output: String) -> [Substring] {
            output.split(separator: "\n").first { $0.hasPrefix(exercise + " ") }?.split(separator: " ") ?? []
        }
        // Nothing tried: no rows, the exercises not started on one line, and the summary naming the first to do.
        let count = try courseExercises().count
        #expect(row("rnnCellForward", in: fresh.standardOutput).isEmpty)
        #expect(fresh.standardOutput.hasPrefix("not started (\(count)): softmaxCrossEntropyGradient, adamStep, vocabularyIndex, "))
        #expect(fresh.standardOutput.hasSuffix("0 of \(count) passed, \(count) not started; next: softmaxCrossEntropyGradient (\(folder)/00-training-a-model/softmaxCrossEntropyGradient.swift)\n"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any]
        #expect(json?["passed"] as? Int == 0)

        // Copying in the reference solution turns that row into a pass; the edit survives `exercises`.
        let exercise = try #require(try courseExercises().first { $0.exercise.name == "rnnCellForward" }?.exercise)
        let path = folder + "/" + exercise.relativePath
        let solved = exercise.learnerFile(code: exercise.solutionCode)
        try solved.write(toFile: path, atomically: true, encoding: .utf8)
        let graded = try await lessonsCommand(["grade", "rnnCellForward", "--build-folder", TestPaths.gradingBuilds] + common)
        #expect(graded.ending == .exited(0), "\(graded.standardOutput)")
        #expect(row("rnnCellForward", in: graded.standardOutput) == ["rnnCellForward", "pass"])
        let again = try await ChildProcess.run(TestPaths.lessonsBinary, arguments: ["exercises"] + common,
                                               workingDirectory: TestPaths.testsFolder, timeout: .seconds(60))
        #expect(again.standardOutput.contains("kept your edited \(path)"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == solved)
    }

    /// Grading before `make exercises` says what to do, rather than failing to write the report.
    @Test func gradingWithoutAnExercisesFolderSaysWhatToDo() async throws {
        let folder = NSTemporaryDirectory() + "no-exercises-\(UUID().uuidString)"
        let outcome = try await lessonsCommand(["grade", "--lessons-folder", TestPaths.packageRoot + "/Lessons", "--exercises-folder", folder,
                                                "--json", folder + "/grade-report.json"])
        #expect(outcome.ending == .exited(1))
        #expect(outcome.standardError == "error: there is no \(folder)/ folder yet: run `make exercises` (or `lessons exercises`) to write your exercise files\n")
    }

    @Test func anUnknownExerciseIsAClearError() async throws {
        let outcome = try await lessonsCommand(["grade", "noSuchExercise", "--lessons-folder", TestPaths.packageRoot + "/Lessons"])
        #expect(outcome.ending == .exited(1))
        #expect(outcome.standardError.hasPrefix("error: no exercise named noSuchExercise; the exercises are "))
    }

    @Test func serveRebuildsAnEditedLessonThroughTheCacheAndTellsOpenPages() async throws {
        let root = NSTemporaryDirectory() + "lessons-serve-test-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/Lessons", withIntermediateDirectories: true)
        let lesson = root + "/Lessons/02-second.md"
        try FileManager.default.copyItem(atPath: TestPaths.testsFolder + "/Fixtures/good/02-second.md", toPath: lesson)
        let common = ["--lessons-folder", root + "/Lessons", "--site", root + "/site", "--cache-folder", root + "/cache"]
        #expect(try await lessonsCommand(["build"] + common).ending == .exited(0))
        #expect(try String(contentsOfFile: root + "/site/assets/live.js", encoding: .utf8).hasPrefix("//"), "a built site does not reload")

        let port = String(Int.random(in: 20_000..<40_000))
        let server = Task { try await lessonsCommand(["serve", "--port", port] + common, timeout: .seconds(120)) }
        defer { server.cancel() }
        func state() -> String { (try? String(contentsOfFile: root + "/site/livereload.json", encoding: .utf8)) ?? "" }
        func waitFor(_ condition: () -> Bool) async throws {
            for _ in 0..<300 where !condition() { try await Task.sleep(for: .milliseconds(100)) }
        }
        try await waitFor { state().contains("\"generation\":0") }
        #expect(try String(contentsOfFile: root + "/site/assets/live.js", encoding: .utf8) == "window.LESSONS_LIVE_RELOAD = true;\n")

        let text = try String(contentsOfFile: lesson, encoding: .utf8)
        try text.replacingOccurrences(of: "# The second lesson", with: "# The second lesson\n\nA new paragraph.")
            .write(toFile: lesson, atomically: true, encoding: .utf8)
        try await waitFor { state().contains("\"generation\":1") }
        #expect(state() == "{\"errors\":[],\"generation\":1}\n")
        #expect(try String(contentsOfFile: root + "/site/02-second.html", encoding: .utf8).contains("<p>A new paragraph.</p>"))

        try (text + "\n```swift hidden\nprint(1)\n```\n").write(toFile: lesson, atomically: true, encoding: .utf8)
        try await waitFor { state().contains("\"generation\":2") }
        #expect(state().contains("unknown snippet option 'hidden'"), "the page is told of the build error: \(state())")
        // Ctrl-C, as a user stops it: the site is left as a build wrote it.
        _ = try await ChildProcess.run("pkill", arguments: ["-INT", "-f", "serve --port \(port) "], workingDirectory: root, timeout: .seconds(10))
        let outcome = try await server.value
        #expect(outcome.ending == .exited(0))
        #expect(outcome.standardOutput.contains("02-second.md: from the cache"), "a prose edit compiles nothing: \(outcome.standardOutput)")
        #expect(!outcome.standardOutput.contains("compiling and running"))
        #expect(try String(contentsOfFile: root + "/site/assets/live.js", encoding: .utf8).hasPrefix("//"))
    }
}
