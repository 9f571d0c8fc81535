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

    public init() throws {
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
        // The same text parsed the same way: its Swift fences are the lesson's snippets, in order.
        var next = 0
        for block in document.fencedCodeBlocks() {
            let firstWord = block.info.split(whereSeparator: { $0 == " " || $0 == "\t" }).first
            if firstWord == "output" || firstWord?.hasPrefix(Hint.infoPrefix) == true {
                document.remove(block.node)        // the real output is shown instead; hints go in the exercise's card
                continue
            }
            guard firstWord == "swift", next < lesson.snippets.count else { continue }
            let snippet = lesson.snippets[next]
            next += 1
            if snippet.kind.mistake != nil {
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
    static func linkHeadings(_ html: String, headings: [(level: Int, text: String, anchor: String)]) -> String {
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
        guard !toc.isEmpty, let endOfTitle = result.range(of: "</h1>") else { return result }
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

    /// The index page, the course's front door: what it teaches, how to work through it, what every page
    /// guarantees, and each lesson with its summary, its figures and its exercises.
    public func renderIndex(_ lessons: [Lesson]) -> SiteFile {
        var content = """
            <h1>Recurrent Neural Networks, in Swift</h1>
            <p class="lead">A course in \(lessons.count) lessons on recurrent neural networks, from the first recurrent cell to \
            attention and BLEU, written as literate Swift. It assumes you can read Swift, multiply matrices and take a \
            derivative; it assumes no machine-learning framework. Every model is built from its equations, on a small \
            core library whose definitions read like the lessons.</p>
            <h2 id="start">How to start</h2>
            <ol class="steps">
            <li>Install the Swift toolchain (6.2 or later, from swift.org; the course is tested with 6.3.1) on Debian or Ubuntu. Everything else is installed by \
            <code>make</code> the first time it needs it (with <code>sudo apt-get</code> when you are not root).</li>
            <li><code>git clone</code> the course's repository, and in its folder run <code>make site</code>: it builds the core \
            library and the <code>lessons</code> tool, downloads the Shakespeare corpus and runs every lesson into \
            <code>site/</code>, in about 20 minutes on 2 cores the first time (5 to build, 15 to run the lessons) and seconds after that.</li>
            <li>Open <code>site/index.html</code>, and start with lesson 01.</li>
            </ol>
            <h2 id="how-to-work">How to work through it</h2>
            <ol class="steps">
            <li>Read a lesson here, then run it yourself: <code>make lesson L=02</code> prints its snippets with their output.</li>
            <li><code>make exercises</code> writes your exercise files into <code>Exercises/</code>; it never overwrites a file you edited.</li>
            <li>Write a solution, then <code>make grade</code> grades every exercise, or <code>make watch</code> grades each file again \
            when you save it (Ctrl-C stops it). A failing check names the likely mistake.</li>
            </ol>
            <h2 id="guarantees">What every page guarantees</h2>
            <ul class="guarantees">
            <li>Every code block was compiled and run to make the page; what is printed under it is its real output.</li>
            <li>Every number in the prose that a run produced is filled in by that run, not typed by hand.</li>
            <li>The claims about results (“beats”, “falls”, “near”), \(lessons.reduce(0) { $0 + $1.claimCount }) in the course, are \
            checked when the site is built; a claim that no longer holds stops the build. Where a lesson offers a reason for a \
            result that its run does not test, it says so (“we have not tested”, “the likely reason”).</li>
            </ul>
            <h2 id="lessons">The lessons</h2>
            <ol class="lesson-list">

            """
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
        if let name = snippet.kind.exercise, let exercise = lesson.exercises.first(where: { $0.name == name }) {
            html = "<section class=\"exercise\" id=\"exercise-\(HTML.escape(name))\">\n"
                + "<h3 class=\"exercise-title\">Exercise: <code>\(HTML.escape(name))</code></h3>\n"
                + "<p class=\"exercise-file\">Your file: <code>Exercises/\(HTML.escape(exercise.relativePath))</code>. "
                + "Write it, then run <code>make grade</code> or <code>make watch</code>.</p>\n"
                + "<pre><code class=\"language-swift\">\(HTML.escape(exercise.stubCode))</code></pre>\n"
                + exercise.hints.enumerated().map { number, hint in
                    "<details class=\"hint\"><summary>Hint \(number + 1) of \(exercise.hints.count)</summary>\n\(Hint.html(hint))</details>\n"
                }.joined()
                + "<details class=\"solution\"><summary>Show solution</summary>\n"
                + "<pre><code class=\"language-swift\">\(HTML.escape(exercise.solutionCode))</code></pre>\n</details>\n"
            return html + outputHTML(result, snippet: snippet, lesson: lesson, figures: &figures) + "</section>"
        }
        if let name = snippet.kind.check {
            html = "<div class=\"snippet checks\" id=\"checks-\(HTML.escape(name))\">\n"
                + "<p class=\"checks-title\">The checks <code>make grade</code> runs on <code>\(HTML.escape(name))</code>:</p>\n"
        }
        if !snippet.kind.hidden {
            html += "<pre><code class=\"language-swift\">\(HTML.escape(snippet.visibleCode))</code></pre>\n"
        }
        return html + outputHTML(result, snippet: snippet, lesson: lesson, figures: &figures) + "</div>"
    }

    /// A snippet's output: text, figures, standard error and any trap, in order.
    func outputHTML(_ result: SnippetResult?, snippet: Snippet, lesson: Lesson, figures: inout [SiteFile]) -> String {
        var html = ""
        guard let result else { return html }
        for item in result.items {
            switch item {
            case .text(let text) where !text.isEmpty:
                html += "<pre class=\"output\"><samp>\(HTML.escape(text))</samp></pre>\n"
            case .figure(let caption, let svg):
                let path = "figures/\(lesson.name)-\(figures.count + 1).svg"
                figures.append(SiteFile(path: path, contents: svg))
                // An <img> never runs scripts, whatever the SVG holds.
                html += "<figure><img src=\"\(path)\" alt=\"\(HTML.escape(caption))\"><figcaption>\(HTML.escape(caption))</figcaption></figure>\n"
            default:
                break
            }
        }
        if !result.errorText.isEmpty {
            html += "<pre class=\"output stderr\"><samp>\(HTML.escape(result.errorText))</samp></pre>\n"
        }
        if let trap = result.trap {
            html += "<pre class=\"output \(snippet.kind.expectsTrap ? "expected-trap" : "trap")\"><samp>\(HTML.escape(trap))</samp></pre>\n"
        }
        for claim in result.failedClaims {
            html += "<pre class=\"output trap claim\"><samp>✗ \(HTML.escape(lesson.path)):\(claim.line): claim does not hold: \(HTML.escape(claim.statement))</samp></pre>\n"
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
