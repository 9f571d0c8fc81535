import ArgumentParser
import Foundation
import LessonKit

struct Grade: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Grade exercises: each in its own process, with the lesson's checks.",
        discussion: "Exits with status 0 only when every graded exercise passes.")

    @OptionGroup var options: ExerciseOptions

    @OptionGroup var grading: GradingOptions

    @Option(help: "Also write the results as JSON to this file.")
    var json: String?

    @Option(help: "Also write the results as JUnit XML to this file.")
    var junit: String?

    @Argument(help: "Exercises to grade; all of them when none are named.")
    var names: [String] = []

    func run() async throws {
        try await reportingErrors {
            let items = try options.exercises(named: names)
            let grader = grading.makeGrader(exercisesFolder: options.exercisesFolder)
            let report = GradeReport(try await grader.grade(items))
            print(report.table, terminator: "")
            if let json { try report.json().write(toFile: json, atomically: true, encoding: .utf8) }
            if let junit { try report.junit.write(toFile: junit, atomically: true, encoding: .utf8) }
            if !report.allPassed { throw ExitCode.failure }
        }
    }
}
