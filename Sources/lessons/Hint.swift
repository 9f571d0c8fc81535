import ArgumentParser
import Foundation
import LessonKit

struct Hint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the next hint of an exercise.",
        discussion: """
            Each call shows one more hint, as Rustlings does; after the last, the last again. How many you have \
            seen is kept in .hints.json in your exercises folder.
            """)

    @OptionGroup var options: ExerciseOptions

    @Argument(help: "The exercise, such as rnnCellForward.")
    var name: String

    func run() async throws {
        try await reportingErrors {
            guard let (exercise, _) = try options.exercises(named: [name]).first else { return }
            guard let hint = try HintProgress(exercisesFolder: options.exercisesFolder).next(for: exercise) else {
                print("\(name) has no hints: its checks' messages name the likely mistake")
                return
            }
            print("Hint \(hint.number) of \(exercise.hints.count) for \(name):\n")
            let text = LessonKit.Hint.terminalText(hint.text)
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
            if hint.number == exercise.hints.count { print("\n(that is the last hint)") }
        }
    }
}
