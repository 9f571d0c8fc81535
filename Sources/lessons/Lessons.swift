import ArgumentParser
import Foundation
import LessonKit

@main
struct Lessons: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lessons",
        abstract: "Build, run and grade the lessons of the recurrent neural networks course.",
        subcommands: [Build.self, Run.self, Exercises.self, Grade.self, Hint.self, Autograder.self, Watch.self, Check.self, CheckSite.self, Serve.self])
}
