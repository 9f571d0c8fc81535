import ArgumentParser
import Foundation
import LessonKit

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
