import ArgumentParser
import Foundation
import LessonKit

struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-grade each exercise file as you save it. Stop with Ctrl-C.")

    @OptionGroup var options: ExerciseOptions

    @OptionGroup var grading: GradingOptions

    func run() async throws {
        try await reportingErrors {
            let items = try options.exercises()
            let grader = try await grading.makeGrader(exercisesFolder: options.exercisesFolder)
            let interrupt = onInterrupt {
                progress("\nstopped watching")
                Foundation.exit(0)
            }
            defer { interrupt.cancel() }
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
                    print("\(result.exercise): \(result.summary)")
                    print("progress: \(GradeReport(results).passed) of \(results.count) passed")
                }
            }
        }
    }

    func modificationDate(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}
