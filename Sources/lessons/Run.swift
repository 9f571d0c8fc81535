import ArgumentParser
import Foundation
import LessonKit

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one lesson and print its snippets with their output.")

    @OptionGroup var options: RunnerOptions

    @Argument(help: "The lesson's number or name, such as 02 or 02-rnn-forward.")
    var lesson: String

    @Flag(help: "Show each exercise's reference solution; by default its stub, as the page shows it.")
    var solutions = false

    func run() async throws {
        try await reportingErrors {
            let lesson = try LessonCatalog.find(self.lesson, in: LessonCatalog.load(folder: options.lessonsFolder))
            let run = try await options.makeRunner().run(LessonProgram(lesson: lesson))
            let transcript = TerminalTranscript(run, solutions: solutions).text
            print(transcript, terminator: transcript.hasSuffix("\n") ? "" : "\n")
            for error in run.errors { printError(error.description) }
            if !run.errors.isEmpty { throw ExitCode.failure }
        }
    }
}
