import ArgumentParser
import Foundation
import LessonKit

/// Options of the commands that work on the learner's exercise files.
struct ExerciseOptions: ParsableArguments {
    @Option(help: "The folder of lesson files.")
    var lessonsFolder = "Lessons"

    @Option(help: "The learner's folder of exercise files.")
    var exercisesFolder = "Exercises"

    /// Every exercise of every lesson, in course order, optionally only those named in `names`.
    func exercises(named names: [String] = []) throws -> [(exercise: Exercise, lesson: Lesson)] {
        try Self.exercises(in: lessonsFolder, named: names)
    }

    /// Every exercise of the lessons in `lessonsFolder`, in course order, optionally only those named in `names`.
    static func exercises(in lessonsFolder: String, named names: [String]) throws -> [(exercise: Exercise, lesson: Lesson)] {
        let all = try LessonCatalog.load(folder: lessonsFolder).flatMap { lesson in lesson.exercises.map { ($0, lesson) } }
        let unknown = names.filter { name in !all.contains { $0.0.name == name } }
        guard unknown.isEmpty else {
            throw RunnerError("no exercise named \(unknown.joined(separator: ", ")); the exercises are \(all.map(\.0.name).joined(separator: ", "))")
        }
        return names.isEmpty ? all : all.filter { names.contains($0.0.name) }
    }
}

/// Options of the commands that grade: where the core is, and how long checks may run.
struct GradingOptions: ParsableArguments {
    @Option(help: "The release build folder of the core library; LESSONS_CORE, else .build/release here or in the checkout lessons was built in.")
    var core = Checkout.core

    @Option(help: "Seconds one exercise's checks may run.")
    var timeout = 10

    @Option(help: "How many exercises to grade at once; the number of cores by default.")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("""
        Where the compiled checks and reference solutions, shared by every learner, are kept between runs \
        (.cache/grading by default; with --submissions, a new folder for this run unless given).
        """, valueName: "folder"))
    var buildFolder: String?

    @Flag(help: ArgumentHelp("""
        Run learners' programs without the sandbox (bubblewrap), with the rights of whoever runs the grader. \
        Without it, --submissions and --gradescope stop when the sandbox cannot start; grading your own files goes on after a warning.
        """))
    var noSandbox = false

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be a positive number of seconds") }
        guard jobs > 0 else { throw ValidationError("--jobs must be a positive number") }
    }

    /// A grader whose shared builds are kept in `--build-folder`, or else in `defaultBuildFolder`, and whose
    /// learners' programs run in the sandbox: one that cannot start stops a grading that `requiresSandbox`
    /// (other people's code), and is a warning otherwise (the learner's own).
    func makeGrader(exercisesFolder: String, defaultBuildFolder: String = ".cache/grading", requiresSandbox: Bool = false) async throws -> Grader {
        var grader = Grader(compiler: SwiftCompiler(coreBuild: core), timeout: .seconds(timeout), exercisesFolder: exercisesFolder,
                            buildFolder: buildFolder ?? defaultBuildFolder)
        guard !noSandbox else { return grader }
        switch await Sandbox.detect() {
        case .success(let sandbox):
            grader.sandbox = sandbox
        case .failure(let reason) where requiresSandbox:
            throw RunnerError("learners' programs must run in a sandbox, and it cannot start: \(reason). "
                              + "Install bubblewrap, or pass --no-sandbox to run them with your own rights")
        case .failure(let reason):
            progress("warning: grading without a sandbox: \(reason)")
        }
        return grader
    }
}

/// The points of `--points NAME=POINTS` options, by exercise, checked against the course's exercises.
func pointsByExercise(_ entries: [String], exercises: [String]) throws -> [String: Double] {
    var table: [String: Double] = [:]
    for entry in entries {
        let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let value = Double(parts[1]), value >= 0 else {
            throw ValidationError("--points \(entry): write it as NAME=POINTS, such as rnnCellForward=2")
        }
        guard exercises.contains(parts[0]) else {
            throw ValidationError("--points \(entry): no exercise named \(parts[0])")
        }
        table[parts[0]] = value
    }
    return table
}
