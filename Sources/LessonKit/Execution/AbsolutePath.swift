import Foundation

/// `path` as an absolute, standardised path, read against the current folder when it is relative.
///
/// Every folder the runner and the grader keep (the core's build, the grading builds, the learner's file,
/// the data) passes through here once, where it enters: programs are compiled and run in scratch folders
/// elsewhere, where a relative path would name nothing.
public func absolutePath(_ path: String) -> String {
    URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true))
        .standardizedFileURL.path
}
