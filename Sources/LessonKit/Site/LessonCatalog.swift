import Foundation

/// The lessons of a course folder, in file-name order.
public enum LessonCatalog {
    /// Every `NN-slug.md` in `folder`, parsed. Files that do not parse are reported together.
    ///
    /// - Throws: ``LessonErrors`` listing every file that failed.
    public static func load(folder: String) throws -> [Lesson] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw RunnerError("cannot read the lessons folder '\(folder)'")
        }
        var lessons: [Lesson] = []
        var errors: [LessonError] = []
        for name in names.sorted() where name.hasSuffix(".md") && name.first?.isNumber == true {
            do {
                lessons.append(try Lesson(path: (folder as NSString).appendingPathComponent(name)))
            } catch let error as LessonError {
                errors.append(error)
            }
        }
        if !errors.isEmpty { throw LessonErrors(errors: errors) }
        if let duplicate = Dictionary(grouping: lessons, by: \.number).first(where: { $0.value.count > 1 }) {
            throw RunnerError("two lessons share the number \(duplicate.key): \(duplicate.value.map(\.path).joined(separator: ", "))")
        }
        return lessons
    }

    /// The lesson whose number or name is `selector` (`02`, `2`, or `02-rnn-forward`).
    public static func find(_ selector: String, in lessons: [Lesson]) throws -> Lesson {
        let match = lessons.first {
            $0.number == selector || $0.name == selector || Int($0.number) == Int(selector)
        }
        guard let match else {
            throw RunnerError("no lesson '\(selector)'; the lessons are \(lessons.map(\.number).joined(separator: ", "))")
        }
        return match
    }
}

/// Several lesson errors, one per line.
public struct LessonErrors: Error, CustomStringConvertible {
    public var errors: [LessonError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
