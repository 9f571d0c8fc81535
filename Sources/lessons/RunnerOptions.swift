import ArgumentParser
import Foundation
import LessonKit

/// Options every command that runs lessons shares.
struct RunnerOptions: ParsableArguments {
    @Option(help: "The folder of lesson files.")
    var lessonsFolder = "Lessons"

    @Option(help: "The release build folder of the core library (holds libSequenceModels.so); LESSONS_CORE, else .build/release here or in the checkout lessons was built in.")
    var core = Checkout.core

    @Option(help: "Seconds a lesson program may run before it is killed.")
    var timeout: Int = Int(ProcessInfo.processInfo.environment["LESSON_TIMEOUT"] ?? "") ?? 600

    @Option(help: "The course's data folder (made by `make data`), passed to lessons as COURSE_DATA; LESSONS_DATA, else .cache/data here or in the checkout.")
    var data = Checkout.data

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be a positive number of seconds") }
    }

    func makeRunner() -> LessonRunner {
        LessonRunner(compiler: SwiftCompiler(coreBuild: core), timeout: .seconds(timeout), dataFolder: data)
    }
}
