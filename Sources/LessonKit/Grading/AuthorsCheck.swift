import Foundation

/// The author's check of a course's exercises: each reference solution must pass its checks, and each
/// `mistake=` block must fail them with exactly the message of its `// fails:` line.
///
/// So "a check that names the mistake" is a rule the tool keeps, for any course: a mistake that passes, or
/// that fails for another reason than the one its author wrote down, is an error at the block's line.
public struct AuthorsCheck: Sendable {
    public var grader: Grader

    public init(grader: Grader) { self.grader = grader }

    /// The problems of `items`' exercises, each at the line of its block; `report` hears of each exercise
    /// when it is done, with the number of solutions graded for it (its reference and its mistakes).
    public func problems(in items: [(exercise: Exercise, lesson: Lesson)], parallelism: Int,
                         report: @Sendable (Exercise, Int) -> Void = { _, _ in }) async throws -> [LessonError] {
        let scratch = grader.scratchRoot + "/authors-check-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        // One job per solution to grade: the reference (mistake nil) or one mistake, each in its own file.
        let jobs = items.flatMap { item in
            ([nil] + item.exercise.mistakes.map(Optional.some)).map { (item.exercise, item.lesson, $0) }
        }
        var problems = [LessonError?](repeating: nil, count: jobs.count)
        var left = Dictionary(grouping: jobs.map(\.0.name), by: { $0 }).mapValues(\.count)
        try await withThrowingTaskGroup(of: (Int, LessonError?).self) { group in
            var next = 0
            func start() {
                guard next < jobs.count else { return }
                let (index, (exercise, lesson, mistake)) = (next, jobs[next])
                let file = scratch + "/\(index)-\(exercise.name).swift"
                group.addTask {
                    try exercise.learnerFile(code: mistake?.code ?? exercise.solutionCode).write(toFile: file, atomically: true, encoding: .utf8)
                    let result = try await grader.grade(exercise, in: lesson, file: file)
                    return (index, Self.problem(result.status, exercise: exercise, mistake: mistake))
                }
                next += 1
            }
            for _ in 0..<max(1, parallelism) { start() }
            while let (index, problem) = try await group.next() {
                problems[index] = problem
                let exercise = jobs[index].0
                left[exercise.name]! -= 1
                if left[exercise.name] == 0 { report(exercise, exercise.mistakes.count + 1) }
                start()
            }
        }
        return problems.compactMap { $0 }
    }

    /// What is wrong with a solution graded `status`: a reference must pass; a mistake must fail with its `// fails:` line.
    static func problem(_ status: GradeStatus, exercise: Exercise, mistake: Snippet?) -> LessonError? {
        guard let mistake else {
            return status == .pass ? nil
                : LessonError(exercise.solution.fence, "the reference solution of \(exercise.name) does not pass its checks: \(status.label)"
                              + (status.detail.isEmpty ? "" : ": " + status.detail))
        }
        let expected = mistake.expectedFailure ?? ""
        switch status {
        case .fail(expected):
            return nil
        case .pass:
            return LessonError(mistake.fence, "this mistake of \(exercise.name) passes its checks: add a check that catches it, with a message that names it")
        case .fail(let message):
            return LessonError(mistake.fence, "this mistake of \(exercise.name) fails with another message than its '\(Snippet.failsPrefix)' line:\n"
                               + "  got:  \(message)\n  want: \(expected)")
        default:
            return LessonError(mistake.fence, "this mistake of \(exercise.name) should fail a check with the message of its "
                               + "'\(Snippet.failsPrefix)' line, but is graded \(status.label)" + (status.detail.isEmpty ? "" : ": " + status.detail))
        }
    }
}
