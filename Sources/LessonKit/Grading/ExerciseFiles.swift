import Foundation

/// Writes learners' stub files, never losing an edit.
public struct ExerciseFiles {
    public var folder: String

    public init(folder: String = "Exercises") { self.folder = folder }

    /// What happened to one exercise's file.
    public enum Outcome: Hashable {
        case created
        /// The file was already the stub; nothing to do.
        case unchanged
        /// The file differs from the stub: the learner's work, left alone.
        case keptEdited
        /// The stub was restored; the learner's version was saved under this name.
        case reset(backup: String)
    }

    public func path(of exercise: Exercise) -> String {
        (folder as NSString).appendingPathComponent(exercise.relativePath)
    }

    /// Writes the stub of `exercise` unless the learner has a different file there.
    public func writeStub(_ exercise: Exercise) throws -> Outcome {
        let path = path(of: exercise)
        if let existing = FileManager.default.contents(atPath: path) {
            return String(decoding: existing, as: UTF8.self) == exercise.stubFile ? .unchanged : .keptEdited
        }
        try write(exercise.stubFile, to: path)
        return .created
    }

    /// Restores the stub; the current file, if it differs, is kept as `NAME.swift.bak`
    /// (or `.bak2`, `.bak3`, … so that no earlier backup is overwritten).
    public func reset(_ exercise: Exercise) throws -> Outcome {
        let path = path(of: exercise)
        guard let existing = FileManager.default.contents(atPath: path),
              String(decoding: existing, as: UTF8.self) != exercise.stubFile else {
            try write(exercise.stubFile, to: path)
            return .unchanged
        }
        var backup = path + ".bak"
        var counter = 2
        while FileManager.default.fileExists(atPath: backup) {
            backup = path + ".bak\(counter)"
            counter += 1
        }
        try FileManager.default.copyItem(atPath: path, toPath: backup)
        try write(exercise.stubFile, to: path)
        return .reset(backup: backup)
    }

    /// Writes through a temporary file and a rename, so a file is never left half-written.
    func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
