import Foundation
import Synchronization

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
        // One solution to grade per job: the reference (mistake nil) or one mistake, each in a file of its own.
        let jobs = items.flatMap { item in
            ([nil] + item.exercise.mistakes.map(Optional.some)).map { (exercise: item.exercise, lesson: item.lesson, mistake: $0) }
        }
        var files: [String] = []
        for (index, job) in jobs.enumerated() {
            files.append(scratch + "/\(index)-\(job.exercise.name).swift")
            try job.exercise.learnerFile(code: job.mistake?.code ?? job.exercise.solutionCode)
                .write(toFile: files[index], atomically: true, encoding: .utf8)
        }
        let exercises = Dictionary(items.map { ($0.exercise.name, $0.exercise) }, uniquingKeysWith: { first, _ in first })
        let left = Mutex(Dictionary(grouping: jobs.map(\.exercise.name), by: { $0 }).mapValues(\.count))
        let results = try await grader.grade(jobs.indices.map { (jobs[$0].exercise, jobs[$0].lesson, files[$0]) },
                                             parallelism: parallelism) { result in
            let done = left.withLock { left in
                left[result.exercise]! -= 1
                return left[result.exercise] == 0
            }
            if done, let exercise = exercises[result.exercise] { report(exercise, exercise.mistakes.count + 1) }
        }
        return zip(jobs, results).compactMap { job, result in Self.problem(result.status, exercise: job.exercise, mistake: job.mistake) }
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
