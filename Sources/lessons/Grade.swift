import ArgumentParser
import Foundation
import LessonKit

struct Grade: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Grade exercises: each in its own process, with the lesson's checks.",
        discussion: """
            Exits with status 0 only when every graded exercise passes. With --submissions DIR, grades a whole \
            class instead: DIR holds one folder per learner, each laid out like Exercises/; it writes a gradebook \
            (CSV, one row per learner) and one JSON report per learner, and exits with status 0 once all are graded.
            """)

    @OptionGroup var options: ExerciseOptions

    @OptionGroup var grading: GradingOptions

    @Option(help: "Also write the results as JSON to this file.")
    var json: String?

    @Option(help: "Also write the results as JUnit XML to this file.")
    var junit: String?

    @Option(help: "Also write the results as Gradescope's results.json to this file (with --points).")
    var gradescope: String?

    @Argument(help: "Exercises to grade; all of them when none are named.")
    var names: [String] = []

    @Option(help: ArgumentHelp("Grade a class: a folder of learners' folders, each laid out like Exercises/.", valueName: "folder"))
    var submissions: String?

    @Option(help: "With --submissions: the gradebook to write, one row per learner (gradebook.csv by default).")
    var gradebook: String?

    @Option(help: "With --submissions: the folder for one JSON report per learner (grade-reports by default).")
    var reports: String?

    @Option(help: ArgumentHelp("Points for an exercise in the gradebook (1 by default; repeatable).", valueName: "name=points"))
    var points: [String] = []

    /// Refuses an option that would do nothing in this mode.
    func validate() throws {
        if submissions != nil {
            for (name, value) in [("--json", json), ("--junit", junit), ("--gradescope", gradescope)] where value != nil {
                throw ValidationError("\(name) writes one learner's results; with --submissions, each learner's are in --reports (one JSON file each) and the class's in --gradebook")
            }
        } else {
            for (name, value) in [("--gradebook", gradebook), ("--reports", reports)] where value != nil {
                throw ValidationError("\(name) goes with --submissions (grading a class); for your own exercises use --json, --junit or --gradescope")
            }
            if !points.isEmpty && gradescope == nil {
                throw ValidationError("--points counts in a gradebook (--submissions) or in Gradescope's results (--gradescope), and this run writes neither")
            }
        }
    }

    /// Grades every learner under `folder`, with a progress line per learner, and writes the gradebook and the reports.
    func gradeClass(_ folder: String, items: [(exercise: Exercise, lesson: Lesson)]) async throws {
        let (gradebook, reports) = (self.gradebook ?? "gradebook.csv", self.reports ?? "grade-reports")
        let table = try pointsByExercise(points, exercises: items.map(\.exercise.name))
        // A class's programs never meet builds that an earlier run's programs could have written into.
        let freshBuilds = NSTemporaryDirectory() + "lessonkit-grading-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: freshBuilds) }
        let grader = try await self.grading.makeGrader(exercisesFolder: folder, defaultBuildFolder: freshBuilds, requiresSandbox: true)
        let grading = ClassGrading(grader: grader, submissions: folder)
        let learners = try await grading.grade(items, parallelism: self.grading.jobs) { done, total, secondsLeft in
            let left = secondsLeft.map { " — about \(formatSeconds($0)) left" } ?? ""
            let width = 30, filled = total == 0 ? width : width * done / total
            progress("[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(done) of \(total) learners graded\(left)")
        }
        try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
        for learner in learners {
            if let note = learner.note { progress("warning: \(folder)/\(learner.learner): \(note)") }
            let report = learner.results.isEmpty
                ? "{\"learner\": \(jsonString(learner.learner)), \"note\": \(jsonString(learner.note ?? ""))}\n"
                : try GradeReport(learner.results).json()
            try report.write(toFile: (reports as NSString).appendingPathComponent(learner.learner + ".json"), atomically: true, encoding: .utf8)
        }
        let book = Gradebook(exercises: items.map(\.exercise.name), learners: learners, points: table)
        try book.csv.write(toFile: gradebook, atomically: true, encoding: .utf8)
        print(book.summary, terminator: "")
        print("graded \(learners.count) learner(s): wrote \(gradebook) and \(reports)/")
        await warnAboutChangedBuilds(grader)
    }

    /// Says which shared builds a learner's program wrote into (each was made again before anything was linked from it).
    func warnAboutChangedBuilds(_ grader: Grader) async {
        for change in await grader.changedBuilds() {
            progress("warning: a learner's program changed the grading build of \(change); it was made again before any other program was linked from it")
        }
    }

    func jsonString(_ text: String) -> String {
        String(decoding: (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
    }

    func run() async throws {
        try await reportingErrors {
            let items = try options.exercises(named: names)
            if let submissions { return try await gradeClass(submissions, items: items) }
            guard FileManager.default.fileExists(atPath: options.exercisesFolder) else {
                throw RunnerError("there is no \(options.exercisesFolder)/ folder yet: run `make exercises` (or `lessons exercises`) to write your exercise files")
            }
            let grader = try await grading.makeGrader(exercisesFolder: options.exercisesFolder, requiresSandbox: gradescope != nil)
            let clock = ContinuousClock(), start = clock.now
            let report = GradeReport(try await grader.grade(items, parallelism: grading.jobs))
            await warnAboutChangedBuilds(grader)
            if let gradescope {
                let seconds = (clock.now - start).inSeconds
                try report.gradescope(points: try pointsByExercise(points, exercises: items.map(\.exercise.name)), seconds: seconds).write(toFile: gradescope, atomically: true, encoding: .utf8)
            }
            print(report.table, terminator: "")
            if let json { try report.json().write(toFile: json, atomically: true, encoding: .utf8) }
            if let junit { try report.junit.write(toFile: junit, atomically: true, encoding: .utf8) }
            if !report.allPassed { throw ExitCode.failure }
        }
    }
}
