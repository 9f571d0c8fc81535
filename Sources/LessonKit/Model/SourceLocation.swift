/// A place in a lesson file, printed the way compilers print them: `Lessons/02-rnn-forward.md:42:13`.
public struct SourceLocation: Equatable, Sendable, Codable, CustomStringConvertible {
    /// The path as given to the runner, normally relative to the project, like `Lessons/02-rnn-forward.md`.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column, when known.
    public var column: Int?

    public init(file: String, line: Int, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        column.map { "\(file):\(line):\($0)" } ?? "\(file):\(line)"
    }
}

/// A problem in a lesson, reported at its Markdown location as `file:line: error: message`.
public struct LessonError: Error, Equatable, Codable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): error: \(message)" }
}
