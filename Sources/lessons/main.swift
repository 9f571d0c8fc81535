import ArgumentParser
import Foundation
import LessonKit

@main
struct Lessons: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lessons",
        abstract: "Build, run and grade the lessons of the recurrent neural networks course.",
        subcommands: [Build.self, Run.self, Exercises.self, Grade.self, Watch.self])
}

/// Options every command that runs lessons shares.
struct RunnerOptions: ParsableArguments {
    @Option(help: "The folder of lesson files.")
    var lessonsFolder = "Lessons"

    @Option(help: "The release build folder of the core library (holds libSequenceModels.so).")
    var core = ".build/release"

    @Option(help: "Seconds a lesson program may run before it is killed.")
    var timeout: Int = Int(ProcessInfo.processInfo.environment["LESSON_TIMEOUT"] ?? "") ?? 300

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be a positive number of seconds") }
    }

    func makeRunner() -> LessonRunner {
        LessonRunner(compiler: SwiftCompiler(coreBuild: core), timeout: .seconds(timeout))
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Runs `body`, turning lesson and runner errors into a message and exit status 1.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as LessonErrors {
        printError(error.description)
        throw ExitCode.failure
    } catch let error as LessonError {
        printError(error.description)
        throw ExitCode.failure
    } catch let error as RunnerError {
        printError("error: \(error.description)")
        throw ExitCode.failure
    }
}

struct Build: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every lesson and write the HTML site.",
        discussion: "The site is written to a staging folder and moved into place only when complete.")

    @OptionGroup var options: RunnerOptions

    @Option(help: "Where to write the site.")
    var site = "site"

    func run() async throws {
        try await reportingErrors {
            let lessons = try LessonCatalog.load(folder: options.lessonsFolder)
            let builder = SiteBuilder(runner: options.makeRunner(), siteFolder: site, log: { print($0) })
            let runs = try await builder.build(lessons)
            let errors = runs.flatMap(\.errors)
            for error in errors { printError(error.description) }
            print("wrote \(site)/ with \(lessons.count) lesson(s)")
            if !errors.isEmpty { throw ExitCode.failure }
        }
    }
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one lesson and print its snippets with their output.")

    @OptionGroup var options: RunnerOptions

    @Argument(help: "The lesson's number or name, such as 02 or 02-rnn-forward.")
    var lesson: String

    func run() async throws {
        try await reportingErrors {
            let lesson = try LessonCatalog.find(self.lesson, in: LessonCatalog.load(folder: options.lessonsFolder))
            let run = try await options.makeRunner().run(LessonProgram(lesson: lesson))
            print(TerminalTranscript(run).text, terminator: "")
            for error in run.errors { printError(error.description) }
            if !run.errors.isEmpty { throw ExitCode.failure }
        }
    }
}

/// Options of the commands that work on the learner's exercise files.
struct ExerciseOptions: ParsableArguments {
    @Option(help: "The folder of lesson files.")
    var lessonsFolder = "Lessons"

    @Option(help: "The learner's folder of exercise files.")
    var exercisesFolder = "Exercises"

    /// Every exercise of every lesson, in course order, optionally only those named in `names`.
    func exercises(named names: [String] = []) throws -> [(exercise: Exercise, lesson: Lesson)] {
        let all = try LessonCatalog.load(folder: lessonsFolder).flatMap { lesson in lesson.exercises.map { ($0, lesson) } }
        let unknown = names.filter { name in !all.contains { $0.0.name == name } }
        guard unknown.isEmpty else {
            throw RunnerError("no exercise named \(unknown.joined(separator: ", ")); the exercises are \(all.map(\.0.name).joined(separator: ", "))")
        }
        return names.isEmpty ? all : all.filter { names.contains($0.0.name) }
    }
}

struct Exercises: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the exercise stubs into the exercises folder.",
        discussion: "A file you have edited is never overwritten. --reset NAME restores one stub and keeps your version as NAME.swift.bak.")

    @OptionGroup var options: ExerciseOptions

    @Option(name: .customLong("reset"), help: "Restore this exercise's stub, keeping your file as a .bak.")
    var reset: [String] = []

    func run() async throws {
        try await reportingErrors {
            let files = ExerciseFiles(folder: options.exercisesFolder)
            if !reset.isEmpty {
                for (exercise, _) in try options.exercises(named: reset) {
                    switch try files.reset(exercise) {
                    case .reset(let backup): print("restored \(files.path(of: exercise)); your version is in \(backup)")
                    default: print("restored \(files.path(of: exercise))")
                    }
                }
                return
            }
            var counts = [ExerciseFiles.Outcome: Int]()
            for (exercise, _) in try options.exercises() {
                let outcome = try files.writeStub(exercise)
                counts[outcome, default: 0] += 1
                if outcome == .keptEdited { print("kept your edited \(files.path(of: exercise))") }
                if outcome == .created { print("wrote \(files.path(of: exercise))") }
            }
            print("\(counts[.created] ?? 0) written, \(counts[.keptEdited] ?? 0) kept as you edited them, \(counts[.unchanged] ?? 0) unchanged")
        }
    }
}


struct Grade: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Grade exercises: each in its own process, with the lesson's checks.",
        discussion: "Exits with status 0 only when every graded exercise passes.")

    @OptionGroup var options: ExerciseOptions

    @Option(help: "The release build folder of the core library.")
    var core = ".build/release"

    @Option(help: "Seconds one exercise's checks may run.")
    var timeout = 10

    @Option(help: "Also write the results as JSON to this file.")
    var json: String?

    @Option(help: "Also write the results as JUnit XML to this file.")
    var junit: String?

    @Argument(help: "Exercises to grade; all of them when none are named.")
    var names: [String] = []

    func run() async throws {
        try await reportingErrors {
            let items = try options.exercises(named: names)
            let grader = Grader(compiler: SwiftCompiler(coreBuild: core), timeout: .seconds(timeout),
                                exercisesFolder: options.exercisesFolder)
            let report = GradeReport(try await grader.grade(items))
            print(report.table, terminator: "")
            if let json { try report.json().write(toFile: json, atomically: true, encoding: .utf8) }
            if let junit { try report.junit.write(toFile: junit, atomically: true, encoding: .utf8) }
            if !report.allPassed { throw ExitCode.failure }
        }
    }
}

struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-grade each exercise file as you save it. Stop with Ctrl-C.")

    @OptionGroup var options: ExerciseOptions

    @Option(help: "The release build folder of the core library.")
    var core = ".build/release"

    @Option(help: "Seconds one exercise's checks may run.")
    var timeout = 10

    func run() async throws {
        try await reportingErrors {
            let items = try options.exercises()
            let grader = Grader(compiler: SwiftCompiler(coreBuild: core), timeout: .seconds(timeout),
                                exercisesFolder: options.exercisesFolder)
            let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .main)
            signal(SIGINT, SIG_IGN)
            interrupt.setEventHandler {
                print("\nstopped watching")
                Foundation.exit(0)
            }
            interrupt.resume()
            var results = try await grader.grade(items)
            print(GradeReport(results).table, terminator: "")
            print("watching \(options.exercisesFolder)/ — save an exercise file to grade it again; Ctrl-C stops")
            var seen = items.map { modificationDate(grader.learnerPath($0.exercise)) }
            while true {
                try await Task.sleep(for: .milliseconds(400))
                for (index, item) in items.enumerated() {
                    let date = modificationDate(grader.learnerPath(item.exercise))
                    guard date != seen[index] else { continue }
                    seen[index] = date
                    results[index] = try await grader.grade(item.exercise, in: item.lesson)
                    let result = results[index]
                    print("\(result.exercise): \(result.status.label)\(result.status.detail.isEmpty ? "" : " — " + result.status.detail)")
                    print("progress: \(GradeReport(results).passed) of \(results.count) passed")
                }
            }
        }
    }

    func modificationDate(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}
