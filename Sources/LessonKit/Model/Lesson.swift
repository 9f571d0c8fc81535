import Foundation

/// A lesson file, `Lessons/NN-slug.md`, read into its title and Swift snippets.
public struct Lesson: Sendable {
    /// The two-digit number, such as `02`.
    public var number: String
    /// The name without number and extension, such as `rnn-forward`.
    public var slug: String
    /// The path used in messages, such as `Lessons/02-rnn-forward.md`.
    public var path: String
    /// The text of the first `#` heading.
    public var title: String
    /// The Markdown text.
    public var markdown: String
    /// The Swift snippets in document order.
    public var snippets: [Snippet]
    /// What each fenced code block of the Markdown is, in document order: read once, here, for every later stage.
    var fences: [FenceRole]
    /// The graded exercises, in document order.
    public var exercises: [Exercise]
    /// The inline values `` `{swift} EXPRESSION` `` of the prose, in document order.
    public var inlineValues: [InlineValue]
    /// The lesson in one sentence: the plain text of its first paragraph, which the index page shows.
    public var summary: String
    /// The prose's math, and the Markdown with placeholders in its place, which every later stage reads.
    var math: MathSpans
    /// The one parse of that Markdown, which the page is rendered from.
    let tree: LessonTree
    /// The lesson's opening and its `##`/`###` sections, with their anchors: what search indexes.
    public var sections: [Section]

    /// How many figures the lesson's snippets show: the `show(` calls in the code that runs.
    public var figureCount: Int { calls(to: "show") }

    /// How many claims about results the build checks: the `claim(` calls in the code that runs.
    public var claimCount: Int { calls(to: "claim") }

    /// How many times the code that runs (not the exercises' checks) calls `function`.
    func calls(to function: String) -> Int {
        snippets.filter { $0.kind.runsWhereItStands && $0.kind.checkedExercise == nil }
            .reduce(0) { $0 + $1.code.components(separatedBy: function + "(").count - 1 }
    }

    /// `NN-slug`, the base name of the lesson's page.
    public var name: String { "\(number)-\(slug)" }
    /// The page's file name in the site, `NN-slug.html`.
    public var pageName: String { "\(name).html" }

    /// Reads and parses the lesson at `path`.
    ///
    /// - Throws: ``LessonError`` for a misnamed file, a missing title, an unknown option,
    ///   or an `output` block that follows no runnable snippet.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LessonError(SourceLocation(file: path, line: 1), "cannot read the lesson file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LessonError(SourceLocation(file: path, line: 1), "the lesson is not valid UTF-8")
        }
        try self.init(path: path, markdown: text)
    }

    /// Parses `markdown` as the lesson at `path`.
    public init(path: String, markdown: String) throws {
        let base = (path as NSString).lastPathComponent
        let parts = base.split(separator: "-", maxSplits: 1).map(String.init)
        guard base.hasSuffix(".md"), parts.count == 2, parts[0].count == 2, parts[0].allSatisfy(\.isASCIIDigit),
              parts[1].dropLast(3).allSatisfy({ $0.isASCIILowercaseLetter || $0.isASCIIDigit || $0 == "-" }),
              parts[1].count > 3
        else {
            throw LessonError(SourceLocation(file: path, line: 1),
                              "a lesson file must be named NN-slug.md, with a lowercase slug, like 02-rnn-forward.md")
        }
        number = parts[0]
        slug = String(parts[1].dropLast(3))
        self.path = path
        self.markdown = markdown
        let math = MathSpans(markdown)
        self.math = math
        let document = MarkdownDocument(math.protectedMarkdown)
        tree = LessonTree(document)
        guard let title = document.title().map(math.restorePlain), !title.isEmpty else {
            throw LessonError(SourceLocation(file: path, line: 1), "the lesson needs a '# Title' heading")
        }
        self.title = title
        summary = document.firstParagraph().map(math.restorePlain) ?? ""
        let cut = document.sections(), lessonTitle = title
        let headings: [String] = cut.dropFirst().map { math.restorePlain(in: $0.heading) }
        let anchors = Section.anchors(for: headings)
        sections = cut.indices.map { (i: Int) -> Section in
            let text = Self.collapsingWhitespace(math.restorePlain(in: cut[i].text))
            return i == 0 ? Section(level: 1, heading: lessonTitle, anchor: "", text: text)
                : Section(level: cut[i].level, heading: headings[i - 1], anchor: anchors[i - 1], text: text)
        }
        if let inMath = math.spans.first(where: { $0.tex.contains(InlineValue.prefix) }) {
            // Math is TeX, not Markdown: the span would reach KaTeX as text. Reported where its expression starts.
            let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
            let line = lines.firstIndex { $0.contains(InlineValue.prefix) && $0.contains(inMath.tex.split(separator: "\n").first ?? "") } ?? 0
            let column = lines.isEmpty ? 0 : (lines[line].range(of: InlineValue.prefix).map { lines[line].utf8.distance(from: lines[line].startIndex, to: $0.upperBound) } ?? 0)
            throw LessonError(SourceLocation(file: path, line: line + 1, column: column + 1),
                              "an inline value cannot sit inside math ($…$): put it outside the dollar signs")
        }
        let blocks = try Self.snippets(in: document, path: path)
        snippets = blocks.snippets
        fences = blocks.fences
        inlineValues = try Self.inlineValues(in: document, markdown: markdown, path: path, snippets: snippets)
        exercises = try Exercise.collect(from: snippets, hints: blocks.hints, lessonName: "\(number)-\(slug)")
    }

    /// The Swift snippets, the hint blocks (```` ```hint=NAME ````), and what every fenced block is, in document order.
    static func snippets(in document: MarkdownDocument, path: String) throws
        -> (snippets: [Snippet], hints: [(exercise: String, text: String, location: SourceLocation)], fences: [FenceRole]) {
        var snippets: [Snippet] = []
        var hints: [(exercise: String, text: String, location: SourceLocation)] = []
        var fences: [FenceRole] = []
        var previous: (block: MarkdownDocument.CodeBlock, snippet: Int?)?
        for block in document.fencedCodeBlocks() {
            let location = SourceLocation(file: path, line: block.fenceLine)
            let firstWord = block.infoWords.first
            if let name = firstWord?.stripping(prefix: Hint.infoPrefix) {
                guard SnippetKind.isIdentifier(name) else {
                    throw LessonError(location, "a hint block is written ```hint=NAME, where NAME is the exercise's name")
                }
                hints.append((name, block.literal, location))
                fences.append(.hint)
                previous = (block, nil)
                continue
            }
            if firstWord == "output" {
                guard let previous, let index = previous.snippet,
                      document.fencedBlock(after: previous.block) == block.node else {
                    throw LessonError(location, "an output block must come right after the swift snippet it belongs to")
                }
                guard snippets[index].kind.runsWhereItStands else {
                    throw LessonError(location, "an output block follows a snippet that never runs")
                }
                snippets[index].expectedOutput = block.literal
                fences.append(.output)
                continue
            }
            if let kind = try SnippetKind(info: block.info, location: location) {
                fences.append(.snippet(snippets.count))
                snippets.append(Snippet(index: snippets.count, kind: kind, code: block.literal,
                                        fence: location))
                previous = (block, snippets.count - 1)
            } else {
                fences.append(.other)
                previous = (block, nil)
            }
        }
        return (snippets, hints, fences)
    }

    /// The inline values of the prose, each at the line and column where its expression starts.
    static func inlineValues(in document: MarkdownDocument, markdown: String, path: String,
                             snippets: [Snippet]) throws -> [InlineValue] {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
        let titleLine = document.titleLine()
        // The variables each global snippet declares, read once for all the values.
        let declarations = snippets.filter { $0.kind.runsWhereItStands && $0.kind.checkedExercise == nil && !$0.kind.isExpectedTrap }
            .map { (snippet: $0, variables: SwiftNames.declaredVariables(in: $0.code)) }
        let marker = Array(InlineValue.prefix.utf8.dropLast())          // "{swift}", before the space
        var values: [InlineValue] = []
        var before = 0                                                  // snippets above the span, which come in order
        for span in document.codeSpans() {
            guard let expression = InlineValue.expression(inCodeSpan: span.literal) else { continue }
            // cmark's column is the byte where the span's content starts; the expression follows the prefix.
            var column = span.column + InlineValue.prefix.utf8.count
            if span.line <= lines.count {
                let bytes = Array(lines[span.line - 1].utf8)
                if let start = (max(0, span.column - 1)..<max(0, bytes.count - marker.count + 1))
                    .first(where: { bytes[$0..<$0 + marker.count].elementsEqual(marker) }) {
                    column = start + InlineValue.prefix.utf8.count + 1
                }
            }
            let location = SourceLocation(file: path, line: span.line, column: column)
            if span.line == titleLine {
                throw LessonError(location, "the lesson's title cannot hold an inline value: every page's navigation shows the title")
            }
            if expression.trimmingCharacters(in: .whitespaces).isEmpty {
                throw LessonError(location, "an inline value needs an expression after {swift}")
            }
            while before < snippets.count, snippets[before].fence.line < span.line { before += 1 }
            // A global declared further down is in scope already in main.swift, and reads as zero.
            let earlier = declarations.filter { $0.snippet.index < before }.reduce(into: Set<String>()) { $0.formUnion($1.variables) }
            let read = SwiftNames.read(in: expression).subtracting(earlier)
            for later in declarations where later.snippet.index >= before {
                if let name = read.intersection(later.variables).sorted().first {
                    throw LessonError(location, "the inline value names '\(name)', which is defined only later, in the snippet at line \(later.snippet.fence.line); an inline value sees only the snippets above it")
                }
            }
            values.append(InlineValue(index: values.count, expression: expression, location: location, snippetsBefore: before))
        }
        return values
    }
}

/// A lesson's parsed tree, shared by the copies of its ``Lesson`` and lent to one renderer at a time.
final class LessonTree: @unchecked Sendable {
    private let document: MarkdownDocument
    private let lock = NSLock()

    init(_ document: MarkdownDocument) { self.document = document }

    /// Runs `body` with the tree, which it may edit: the edits are undone afterwards.
    func withTemporaryEdits<Result>(_ body: (MarkdownDocument) -> Result) -> Result {
        lock.withLock { document.withTemporaryEdits { body(document) } }
    }
}

extension Lesson {
    /// `text` with every run of ASCII whitespace made one space, and none at either end.
    ///
    /// - Complexity: O(n), over UTF-8 bytes (a search index's text can be the size of the lesson).
    static func collapsingWhitespace(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            if byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20); pendingSpace = false }
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
    var isASCIILowercaseLetter: Bool { isASCII && isLowercase }
}
