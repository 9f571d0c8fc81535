import ArgumentParser
import Synchronization
import Foundation
import LessonKit

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the exercises as their author: each reference passes its checks, each mistake= block fails with its // fails: line.",
        discussion: """
            Grades every exercise's reference solution and every mistake= block against the exercise's checks. \
            A reference that does not pass, a mistake that passes, and a mistake that fails with another message \
            than its // fails: line are each an error at the block's line in the lesson, and the exit status is 1.
            """)

    @Option(help: "The folder of lesson files.")
    var lessonsFolder = "Lessons"

    @OptionGroup var grading: GradingOptions

    @Argument(help: "Exercises to check; all by default.")
    var names: [String] = []

    func run() async throws {
        try await reportingErrors {
            let items = try ExerciseOptions.exercises(in: lessonsFolder, named: names)
            let grader = try await grading.makeGrader(exercisesFolder: "Exercises")
            let total = items.count, done = Mutex(0)
            let problems = try await AuthorsCheck(grader: grader).problems(in: items, parallelism: grading.jobs) { exercise, solutions in
                let count = done.withLock { $0 += 1; return $0 }
                progress("[\(count)/\(total)] \(exercise.name): its reference and \(solutions - 1) mistake(s) graded")
            }
            for problem in problems { printError(problem.description) }
            let solutions = items.reduce(0) { $0 + $1.exercise.mistakes.count + 1 }
            guard problems.isEmpty else {
                printError("\(problems.count) of \(solutions) solutions of \(total) exercise(s) are not graded as their authors wrote (above)")
                throw ExitCode.failure
            }
            print("all \(solutions) solutions of \(total) exercise(s) are graded as their authors wrote: every reference passes, every mistake fails with its own message")
        }
    }
}
