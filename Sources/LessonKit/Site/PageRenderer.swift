import Foundation
import Mustache

/// A file of the finished site: its path inside `site/` and its bytes.
public struct SiteFile: Sendable {
    public var path: String
    public var contents: String
}

/// Turns lessons and their runs into HTML pages through the one page template.
public struct PageRenderer {
    let template: MustacheTemplate
    /// The course's front page, whose title names the course on every page.
    let front: CourseFront
    /// Whether each exercise's card offers its reference solution; a site for a class being graded leaves it out.
    let showsSolutions: Bool

    public init(front: CourseFront, showsSolutions: Bool = true) throws {
        self.front = front
        self.showsSolutions = showsSolutions
        guard let url = Bundle.module.url(forResource: "page", withExtension: "mustache", subdirectory: "Resources"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw RunnerError("LessonKit's resource Resources/page.mustache is missing from the build")
        }
        template = try MustacheTemplate(string: text)
    }

    /// A text file shipped with every site, from LessonKit's resources: `style.css`, `site.js`, `theme.js`.
    public static func resource(_ name: String) throws -> String {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard let url = Bundle.module.url(forResource: parts[0], withExtension: parts[1], subdirectory: "Resources") else {
            throw RunnerError("LessonKit's resource Resources/\(name) is missing from the build")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The lesson's page and its figure files.
    ///
    /// It is rendered from the lesson's one parse: its inline values, snippets, outputs, hints and mistakes are
    /// replaced in the tree for the rendering, and put back afterwards.
    public func render(_ run: LessonRun, allLessons: [Lesson]) -> [SiteFile] {
        run.lesson.tree.withTemporaryEdits { document in render(run, document: document, allLessons: allLessons) }
    }

    func render(_ run: LessonRun, document: MarkdownDocument, allLessons: [Lesson]) -> [SiteFile] {
        let lesson = run.lesson
        let math = lesson.math
        var figures: [SiteFile] = []
        // Math protection copies code spans whole, so the value spans here are the lesson's, in order.
        let valueSpans = document.codeSpans().filter { InlineValue.expression(inCodeSpan: $0.literal) != nil }
        for (span, value) in zip(valueSpans, lesson.inlineValues) {
            document.replace(span.node, withText: run.text(of: value) ?? "⟨not computed: \(value.expression)⟩")
        }
        // The same parse: its fenced blocks are the ones the lesson read, in order.
        for (block, role) in zip(document.fencedCodeBlocks(), lesson.fences) {
            guard case .snippet(let index) = role else {
                // The real output is shown instead of an output block; hints go in the exercise's card.
                if role != .other { document.remove(block.node) }
                continue
            }
            let snippet = lesson.snippets[index]
            if snippet.kind.mistakenExercise != nil {
                document.remove(block.node)        // wrong solutions exist for the tests, not for readers
            } else {
                document.replace(block.node, withHTML: snippetHTML(snippet, result: run.results[snippet.index], lesson: lesson, figures: &figures))
            }
        }
        var content = ""
        if let diagnostics = run.compilerDiagnostics {
            content += "<div class=\"build-error\"><p>This lesson does not compile:</p><pre>\(HTML.escape(diagnostics))</pre></div>\n"
        }
        // Headings as the page shows them, inline values filled in, under the anchors the lesson gave them.
        let shown = document.sections().dropFirst().map { math.restorePlain(in: $0.heading) }
        content += Self.linkHeadings(math.restore(in: document.html()),
                                     headings: zip(lesson.sections.dropFirst(), shown).map { ($0.level, $1, $0.anchor) })
        let page = pageHTML(title: lesson.title, content: content, current: lesson, allLessons: allLessons)
        return [SiteFile(path: lesson.pageName, contents: page)] + figures
    }

    /// Gives every `<h2>` and `<h3>` an id and an anchor link, and puts a table of contents after the `<h1>`.
    ///
    /// cmark writes headings as bare `<h2>` tags, in document order, and (in safe mode) no raw
    /// HTML from the lesson survives, so the tags found here are exactly `headings`, in order.
    /// - Complexity: O(n) in the length of `html`: one pass that copies it with the anchors put in.
    static func linkHeadings(_ html: String, headings: [(level: Int, text: String, anchor: String)], contents: Bool = true) -> String {
        let bytes = Array(html.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + headings.count * 120)
        var cursor = 0
        var toc = ""
        for heading in headings {
            let slug = HTML.escape(heading.anchor)
            let tag = Array("<h\(heading.level)>".utf8)
            var found = cursor
            while found + tag.count <= bytes.count, !bytes[found..<found + tag.count].elementsEqual(tag) { found += 1 }
            guard found + tag.count <= bytes.count else { continue }
            out += bytes[cursor..<found]
            out += Array("<h\(heading.level) id=\"\(slug)\"><a class=\"anchor\" href=\"#\(slug)\" aria-label=\"Link to this section\">#</a>".utf8)
            cursor = found + tag.count
            toc += "<li class=\"toc-level-\(heading.level)\"><a href=\"#\(slug)\">\(HTML.escape(heading.text))</a></li>\n"
        }
        out += bytes[cursor...]
        let result = String(decoding: out, as: UTF8.self)
        guard contents, !toc.isEmpty, let endOfTitle = result.range(of: "</h1>") else { return result }
        return result[..<endOfTitle.upperBound] + "\n<nav class=\"toc\" aria-label=\"On this page\"><p>On this page</p>\n<ol>\n\(toc)</ol></nav>"
            + result[endOfTitle.upperBound...]
    }

    /// The search entries of a lesson: one per section, each with the page and anchor it leads to.
    static func searchEntries(_ lesson: Lesson) -> [[String: String]] {
        lesson.sections.map { section in
            ["id": lesson.pageName + (section.anchor.isEmpty ? "" : "#" + section.anchor), "lesson": lesson.title,
             "section": section.level == 1 ? "" : section.heading, "text": section.text]
        }
    }

    /// The index page, the course's front door: the course's `index.md` (what it teaches, how to work through
    /// it), its first paragraph as the lead, then each lesson with its summary, its figures and its exercises.
    public func renderIndex(_ lessons: [Lesson]) -> SiteFile {
        let math = MathSpans(front.markdown(lessons: lessons))
        let document = MarkdownDocument(math.protectedMarkdown)
        let headings = document.sections().dropFirst().map { (level: $0.level, text: math.restorePlain(in: $0.heading)) }
        let anchors = Section.anchors(for: headings.map(\.text))
        var content = Self.linkHeadings(math.restore(in: document.html()), headings: zip(headings, anchors).map { ($0.level, $0.text, $1) },
                                        contents: false)
        if let lead = content.range(of: "</h1>\n<p>") {
            content.replaceSubrange(lead, with: "</h1>\n<p class=\"lead\">")          // the paragraph under the title
        }
        content += "<ol class=\"lesson-list\">\n"
        for lesson in lessons {
            let figures = lesson.figureCount, exercises = lesson.exercises.map(\.name)
            var facts = ["\(figures) figure\(figures == 1 ? "" : "s")"]
            if !exercises.isEmpty {
                facts.append("exercises: " + exercises.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: ", "))
            }
            content += "<li value=\"\(Int(lesson.number) ?? 0)\"><a href=\"\(HTML.escape(lesson.pageName))\">\(HTML.escape(lesson.title))</a>"
                + "<p class=\"summary\">\(HTML.escape(lesson.summary))</p><p class=\"facts\">\(facts.joined(separator: " · "))</p></li>\n"
        }
        content += "</ol>\n"
        return SiteFile(path: "index.html",
                        contents: pageHTML(title: "Contents", content: content, current: nil, allLessons: lessons))
    }

    func snippetHTML(_ snippet: Snippet, result: SnippetResult?, lesson: Lesson, figures: inout [SiteFile]) -> String {
        var html = "<div class=\"snippet\" id=\"snippet-\(snippet.index + 1)\">\n"
        if let name = snippet.kind.solvedExercise, let exercise = lesson.exercises.first(where: { $0.name == name }) {
            html = "<section class=\"exercise\" id=\"exercise-\(HTML.escape(name))\">\n"
                + "<h3 class=\"exercise-title\">Exercise: <code>\(HTML.escape(name))</code></h3>\n"
                + "<p class=\"exercise-file\">Your file: <code>Exercises/\(HTML.escape(exercise.relativePath))</code>. "
                + "Write it, then run <code>make grade</code> or <code>make watch</code>.</p>\n"
                + "<pre><code class=\"language-swift\">\(HTML.escape(exercise.stubCode))</code></pre>\n"
                + exercise.hints.enumerated().map { number, hint in
                    "<details class=\"hint\"><summary>Hint \(number + 1) of \(exercise.hints.count)</summary>\n\(Hint.html(hint))</details>\n"
                }.joined()
                + (showsSolutions ? "<details class=\"solution\"><summary>Show solution</summary>\n"
                   + "<pre><code class=\"language-swift\">\(HTML.escape(exercise.solutionCode))</code></pre>\n</details>\n" : "")
            return html + outputHTML(result, snippet: snippet, lesson: lesson, figures: &figures) + "</section>"
        }
        if let name = snippet.kind.checkedExercise {
            html = "<div class=\"snippet checks\" id=\"checks-\(HTML.escape(name))\">\n"
                + "<p class=\"checks-title\">The checks <code>make grade</code> runs on <code>\(HTML.escape(name))</code>:</p>\n"
        }
        if !snippet.kind.hidden {
            html += "<pre><code class=\"language-swift\">\(HTML.escape(snippet.visibleCode))</code></pre>\n"
        }
        let output = outputHTML(result, snippet: snippet, lesson: lesson, figures: &figures)
        if snippet.kind.hidden && output.isEmpty && snippet.kind.checkedExercise == nil { return "" }   // nothing to show
        return html + output + "</div>"
    }

    /// A snippet's output: text, figures, standard error and any trap, in order.
    func outputHTML(_ result: SnippetResult?, snippet: Snippet, lesson: Lesson, figures: inout [SiteFile]) -> String {
        var html = ""
        guard let result else { return html }
        for segment in result.segments(inLessonAt: lesson.path) {
            switch segment {
            case .output(let text):
                html += "<pre class=\"output\"><samp>\(HTML.escape(text))</samp></pre>\n"
            case .figure(let caption, let svg):
                let path = "figures/\(lesson.name)-\(figures.count + 1).svg"
                figures.append(SiteFile(path: path, contents: svg))
                // An <img> never runs scripts, whatever the SVG holds.
                html += "<figure><img src=\"\(path)\" alt=\"\(HTML.escape(caption))\"><figcaption>\(HTML.escape(caption))</figcaption></figure>\n"
            case .standardError(let text):
                html += "<pre class=\"output stderr\"><samp>\(HTML.escape(text))</samp></pre>\n"
            case .trap(let text):
                html += "<pre class=\"output \(snippet.kind.isExpectedTrap ? "expected-trap" : "trap")\"><samp>\(HTML.escape(text))</samp></pre>\n"
            case .failedClaim(let text):
                html += "<pre class=\"output trap claim\"><samp>✗ \(HTML.escape(text))</samp></pre>\n"
            }
        }
        return html
    }

    func pageHTML(title: String, content: String, current: Lesson?, allLessons: [Lesson]) -> String {
        let position = current.flatMap { lesson in allLessons.firstIndex { $0.name == lesson.name } }
        func link(_ lesson: Lesson) -> [String: Any] {
            ["href": lesson.pageName, "title": lesson.title, "number": lesson.number,
             "current": lesson.name == current?.name]
        }
        var context: [String: Any] = [
            "title": title,
            "course": front.title,
            "content": content,
            "lessons": allLessons.map(link),
        ]
        if let position {
            if position > 0 { context["previous"] = link(allLessons[position - 1]) }
            if position + 1 < allLessons.count { context["next"] = link(allLessons[position + 1]) }
        }
        return template.render(context)
    }
}
