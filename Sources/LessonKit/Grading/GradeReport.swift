import Foundation

/// The grade table for the terminal, and the same results as JSON and JUnit XML.
public struct GradeReport {
    public var results: [GradeResult]

    public init(_ results: [GradeResult]) { self.results = results }

    public var passed: Int { results.filter { $0.status == .pass }.count }
    public var allPassed: Bool { passed == results.count }

    /// One row per exercise tried, the ones not started on one line, then the summary:
    /// `3 of 33 passed, 1 failed, 29 not started; next: NAME (FILE)`.
    public var table: String {
        let tried = results.filter { $0.status != .notStarted }
        let nameWidth = max(8, tried.map { $0.exercise.count }.max() ?? 0)
        let statusWidth = 13
        func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
        var lines = tried.isEmpty ? [] : [pad("exercise", nameWidth) + "  " + pad("status", statusWidth) + "  details"]
        for result in tried {
            lines.append(pad(result.exercise, nameWidth) + "  " + pad(result.status.label, statusWidth) + "  " + result.feedback)
        }
        let notStarted = results.filter { $0.status == .notStarted }.map(\.exercise)
        if !notStarted.isEmpty { lines.append("not started (\(notStarted.count)): " + notStarted.joined(separator: ", ")) }
        lines.append(summary)
        return lines.joined(separator: "\n") + "\n"
    }

    /// `3 of 33 passed, 1 failed, 29 not started; next: NAME (FILE)`, the next being the first exercise, in course
    /// order, that does not pass.
    public var summary: String {
        let others = countsByStatus(results.map(\.status).filter { $0 != .pass })
        let next = results.first { $0.status != .pass }.map { "; next: \($0.exercise) (\($0.file))" } ?? ""
        return "\(passed) of \(results.count) passed" + (others.isEmpty ? "" : ", " + others) + next
    }

    struct JSONRow: Encodable {
        let exercise: String, lesson: String, file: String, status: String, details: String, seconds: Double
    }

    /// `{"passed": k, "total": n, "exercises": [...]}`, with keys sorted so the bytes are stable.
    public func json() throws -> String {
        struct Document: Encodable { let passed: Int, total: Int, exercises: [JSONRow] }
        let rows = results.map {
            JSONRow(exercise: $0.exercise, lesson: $0.lesson, file: $0.file, status: $0.status.label,
                    details: $0.status.detail, seconds: ($0.seconds * 1000).rounded() / 1000)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(Document(passed: passed, total: results.count, exercises: rows)),
                      as: UTF8.self) + "\n"
    }

    /// JUnit XML, one test case per exercise, for CI dashboards.
    public var junit: String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let failures = results.count - passed
        xml += "<testsuite name=\"exercises\" tests=\"\(results.count)\" failures=\"\(failures)\">\n"
        for result in results {
            xml += "  <testcase classname=\"\(HTML.escape(result.lesson))\" name=\"\(HTML.escape(result.exercise))\" time=\"\(formatSeconds(result.seconds).dropLast(2))\""
            if result.status == .pass {
                xml += "/>\n"
            } else {
                xml += ">\n    <failure type=\"\(HTML.escape(result.status.label))\" message=\"\(HTML.escape(result.feedback))\"/>\n  </testcase>\n"
            }
        }
        return xml + "</testsuite>\n"
    }
}
