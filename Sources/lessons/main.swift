import ArgumentParser
import Foundation
import LessonKit

@main
struct Lessons: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lessons",
        abstract: "Build, run and grade the lessons of the recurrent neural networks course.",
        subcommands: [Build.self, Run.self])
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
