import Foundation

/// The grade table for the terminal, and the same results as JSON and JUnit XML.
public struct GradeReport {
    public var results: [GradeResult]

    public init(_ results: [GradeResult]) { self.results = results }

    public var passed: Int { results.filter { $0.status == .pass }.count }
    public var allPassed: Bool { passed == results.count }

    /// One row per exercise, then the total: `3 of 5 passed`.
    public var table: String {
        let nameWidth = max(8, results.map { $0.exercise.count }.max() ?? 0)
        let statusWidth = 13
        func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
        var lines = [pad("exercise", nameWidth) + "  " + pad("status", statusWidth) + "  details"]
        for result in results {
            lines.append(pad(result.exercise, nameWidth) + "  " + pad(result.status.label, statusWidth) + "  " + result.feedback)
        }
        lines.append("\(passed) of \(results.count) passed")
        return lines.joined(separator: "\n") + "\n"
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
