import Foundation

/// The course's front page, `index.md` in the lessons folder: its `# Title` names the course on every page,
/// and its text opens the index page, above the generated list of lessons.
///
/// The text may say `{{lesson-count}}` and `{{claim-count}}`, replaced by the number of lessons and of the
/// claims their runs check. A folder without `index.md` gets a front page titled "Lessons" and no text.
public struct CourseFront: Sendable {
    /// The course's name: the plain text of the `# Title` heading.
    public var title: String
    /// The Markdown of `index.md`.
    public var markdown: String
    /// The path used in messages.
    public var path: String

    /// The front page's file name in the lessons folder.
    public static let fileName = "index.md"

    /// Reads `index.md` in `folder`, or the untitled front page when there is none.
    ///
    /// - Throws: ``LessonError`` when the file is not UTF-8 or has no `# Title` heading.
    public init(folder: String) throws {
        let path = (folder as NSString).appendingPathComponent(Self.fileName)
        guard let data = FileManager.default.contents(atPath: path) else {
            self = .untitled
            return
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LessonError(SourceLocation(file: path, line: 1), "the course's front page is not valid UTF-8")
        }
        let math = MathSpans(text)
        guard let title = MarkdownDocument(math.protectedMarkdown).title().map(math.restorePlain), !title.isEmpty else {
            throw LessonError(SourceLocation(file: path, line: 1), "the course's front page needs a '# Title' heading: the course's name")
        }
        (self.title, markdown, self.path) = (title, text, path)
    }

    /// The front page of a folder without `index.md`: titled "Lessons", with no text.
    public static let untitled = CourseFront(title: "Lessons", markdown: "# Lessons\n", path: fileName)

    init(title: String, markdown: String, path: String) {
        (self.title, self.markdown, self.path) = (title, markdown, path)
    }

    /// The front page's Markdown with its counts filled in.
    func markdown(lessons: [Lesson]) -> String {
        markdown.replacingOccurrences(of: "{{lesson-count}}", with: String(lessons.count))
            .replacingOccurrences(of: "{{claim-count}}", with: String(lessons.reduce(0) { $0 + $1.claimCount }))
    }
}
