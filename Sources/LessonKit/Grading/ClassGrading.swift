import Foundation

/// A whole class graded at once: one folder per learner under `submissions`, each laid out like `Exercises/`.
///
/// Every learner's every exercise is one job; two run at a time (or `parallelism`), whoever they belong to,
/// so both cores stay busy. The parts every learner shares (the checks, the reference solutions, the
/// prelude) are compiled once per exercise (``GradingBuild``), so a learner costs compiling their own
/// files and running the checks. One learner's crash, hang or compile error costs only that exercise.
public struct ClassGrading: Sendable {
    public var grader: Grader
    /// The folder of learners' folders.
    public var submissions: String

    public init(grader: Grader, submissions: String) {
        self.grader = grader
        self.submissions = submissions
    }

    /// One learner's results, or why there are none.
    public struct LearnerGrades: Sendable {
        /// The learner's folder name.
        public var learner: String
        public var results: [GradeResult]
        /// What kept the folder from being graded ("not a folder"), or what is odd about it ("no exercise file
        /// found"), when something is.
        public var note: String?
    }

    /// One learner's folder, as found under `submissions`.
    public struct LearnerFolder: Sendable {
        public var name: String
        /// The folder laid out like `Exercises/`: the learner's own folder, or the `Exercises/` folder inside it
        /// (a learner's whole folder, zipped as it was); nil when the entry cannot be graded.
        public var exercises: String?
        /// Why the entry cannot be graded, or what is odd about it.
        public var note: String?
    }

    /// The learners' folders, sorted by name; an entry that is not a readable folder, or holds no exercise file
    /// of `items`, is kept with a note.
    public func learners(_ items: [(exercise: Exercise, lesson: Lesson)]) throws -> [LearnerFolder] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: submissions) else {
            throw RunnerError("cannot read the submissions folder \(submissions)")
        }
        return names.filter { !$0.hasPrefix(".") }.sorted().map { name in
            var isFolder: ObjCBool = false
            let path = (submissions as NSString).appendingPathComponent(name)
            guard fm.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
                return LearnerFolder(name: name, exercises: nil, note: "not a folder")
            }
            guard fm.isReadableFile(atPath: path), (try? fm.contentsOfDirectory(atPath: path)) != nil else {
                return LearnerFolder(name: name, exercises: nil, note: "folder unreadable")
            }
            let nested = (path as NSString).appendingPathComponent("Exercises")
            let folder = fm.fileExists(atPath: nested, isDirectory: &isFolder) && isFolder.boolValue ? nested : path
            guard items.contains(where: { fm.fileExists(atPath: (folder as NSString).appendingPathComponent($0.exercise.relativePath)) }) else {
                let example = items.first.map { " such as \(name)/\($0.exercise.relativePath)" } ?? ""
                return LearnerFolder(name: name, exercises: folder,
                                     note: "no exercise file found: a learner's folder is laid out like Exercises/\(example)")
            }
            return LearnerFolder(name: name, exercises: folder, note: nil)
        }
    }

    /// Grades every learner's every exercise in `items`; calls `progress` with learners done, the total, and
    /// the seconds left at the pace so far, each time a learner's last exercise is graded.
    public func grade(_ items: [(exercise: Exercise, lesson: Lesson)], parallelism: Int = 2,
                      progress: @Sendable (_ done: Int, _ total: Int, _ secondsLeft: Double?) -> Void = { _, _, _ in })
        async throws -> [LearnerGrades] {
        let learners = try learners(items)
        var grades = learners.map { LearnerGrades(learner: $0.name, results: [], note: $0.note) }
        var results = grades.map { _ in [GradeResult?](repeating: nil, count: items.count) }
        let jobs = learners.indices.filter { learners[$0].exercises != nil }.flatMap { l in items.indices.map { (l, $0) } }
        var remaining = learners.map { $0.exercises != nil ? items.count : 0 }
        var done = remaining.filter { $0 == 0 }.count
        let clock = ContinuousClock(), start = clock.now
        progress(done, learners.count, nil)
        try await withThrowingTaskGroup(of: (Int, Int, GradeResult).self) { group in
            var next = 0
            func startNext() {
                guard next < jobs.count else { return }
                let (learner, item) = jobs[next]
                next += 1
                var mine = grader
                mine.exercisesFolder = learners[learner].exercises!
                let (exercise, lesson) = items[item]
                group.addTask { (learner, item, try await mine.grade(exercise, in: lesson)) }
            }
            for _ in 0..<max(1, parallelism) { startNext() }
            while let (learner, item, result) = try await group.next() {
                results[learner][item] = result
                remaining[learner] -= 1
                if remaining[learner] == 0 {
                    done += 1
                    let elapsed = (clock.now - start).inSeconds
                    let graded = learners.indices.filter { remaining[$0] == 0 && learners[$0].exercises != nil }.count
                    progress(done, learners.count, graded == 0 ? nil : elapsed / Double(graded) * Double(learners.count - done))
                }
                startNext()
            }
        }
        for index in grades.indices { grades[index].results = results[index].compactMap { $0 } }
        return grades
    }
}

/// The gradebook of a class: one row per learner, one column per exercise, and a total, as CSV.
public struct Gradebook {
    public var exercises: [String]
    public var learners: [ClassGrading.LearnerGrades]
    /// Points per exercise, by name; 1 for any exercise not named.
    public var points: [String: Double]

    public init(exercises: [String], learners: [ClassGrading.LearnerGrades], points: [String: Double] = [:]) {
        self.exercises = exercises
        self.learners = learners
        self.points = points
    }

    /// The points `learner` earned for `exercise`: all of them for a pass, none otherwise.
    func score(_ learner: ClassGrading.LearnerGrades, _ exercise: String) -> Double {
        learner.results.first { $0.exercise == exercise }?.status == .pass ? points[exercise] ?? 1 : 0
    }

    /// `learner,EXERCISE…,total,note`, then a row per learner, whose note says what happened to each exercise
    /// that did not pass (`rnnForward: timed out; lstmForward: not started`). Fields are quoted as RFC 4180 asks,
    /// and a field that a spreadsheet would read as a formula (starting `=`, `+`, `-`, `@`) is prefixed with `'`.
    public var csv: String {
        var lines = [(["learner"] + exercises + ["total", "note"]).map(Self.field).joined(separator: ",")]
        for learner in learners {
            let scores = exercises.map { score(learner, $0) }
            let unpassed = learner.results.filter { $0.status != .pass && exercises.contains($0.exercise) }
                .map { "\($0.exercise): \($0.status.countedAs)" }
            let note = ([learner.note].compactMap { $0 } + unpassed).joined(separator: "; ")
            lines.append(([Self.field(learner.learner)] + scores.map(Self.number) + [Self.number(scores.reduce(0, +)),
                          Self.field(note)]).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// One line per exercise: how many learners passed it, failed it, and so on (`rnnForward: 12 passed, 3 failed`).
    public var summary: String {
        exercises.map { exercise in
            "\(exercise): " + countsByStatus(learners.compactMap { $0.results.first { $0.exercise == exercise }?.status })
        }.joined(separator: "\n") + "\n"
    }

    static func number(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }

    static func field(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
