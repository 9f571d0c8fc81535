import Foundation

/// Checks a built site as a reader would meet it: every internal link and anchor resolves, and
/// every page, opened in headless Chromium, has rendered math, highlighted code, its figures, a
/// working search, and no console messages.
public struct SiteChecker {
    public var siteFolder: String
    public var chromium: String
    /// Where the screenshots (one lesson, light and dark) are written.
    public var screenshotFolder: String

    public init(siteFolder: String, chromium: String = "chromium", screenshotFolder: String) {
        self.siteFolder = absolutePath(siteFolder)
        self.chromium = chromium
        self.screenshotFolder = absolutePath(screenshotFolder)
    }

    /// The outcome of one check.
    public struct Result {
        public var name: String
        public var problem: String?
    }

    public var pages: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: siteFolder)) ?? []).filter { $0.hasSuffix(".html") }.sorted()
    }

    func read(_ page: String) -> String {
        (try? String(contentsOfFile: siteFolder + "/" + page, encoding: .utf8)) ?? ""
    }

    /// The values of every `name="…"` attribute in `html` (the site's own, regular HTML).
    static func attributeValues(_ name: String, in html: String) -> [String] {
        html.components(separatedBy: " \(name)=\"").dropFirst().compactMap { $0.split(separator: "\"", maxSplits: 1).first.map(String.init) }
    }

    /// One result per page: every `href` and `src` to a file of the site exists, and every `#anchor` names an id there.
    public func checkLinks() -> [Result] {
        pages.map { page in
            let html = read(page)
            var problems: [String] = []
            for link in Self.attributeValues("href", in: html) + Self.attributeValues("src", in: html) {
                if link.hasPrefix("http:") || link.hasPrefix("https:") || link.hasPrefix("mailto:") { continue }
                let withoutQuery = link.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
                let parts = withoutQuery.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let target = parts[0].isEmpty ? page : parts[0]
                guard FileManager.default.fileExists(atPath: siteFolder + "/" + target) else {
                    problems.append("\(link): no file \(target)")
                    continue
                }
                if parts.count == 2, !parts[1].isEmpty, !Self.attributeValues("id", in: read(target)).contains(parts[1]) {
                    problems.append("\(link): no element with id \"\(parts[1])\" in \(target)")
                }
            }
            return Result(name: "links of \(page)", problem: problems.isEmpty ? nil : problems.joined(separator: "; "))
        }
    }

    /// Opens `page` (with an optional query) in headless Chromium; returns the DOM after scripts ran, and the console lines.
    func open(_ page: String, query: String = "", screenshot: String? = nil) async throws -> (dom: String, console: [String]) {
        try await open(page, url: "file://" + siteFolder + "/" + page + query, screenshot: screenshot)
    }

    /// Opens `url` in headless Chromium, with `wrapper` written as `wrapper.html` in the browser's scratch folder when
    /// given (and `url` then ignored); `page` names what is checked in messages.
    func open(_ page: String, url: String, wrapper: String? = nil, screenshot: String? = nil) async throws -> (dom: String, console: [String]) {
        var arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                         "--virtual-time-budget=10000", "--enable-logging=stderr", "--v=0", "--allow-file-access-from-files"]
        arguments += screenshot.map { ["--window-size=1280,2000", "--screenshot=\($0)"] } ?? ["--dump-dom"]
        let scratch = NSTemporaryDirectory() + "lessonkit-chromium-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        if let wrapper { try wrapper.write(toFile: scratch + "/wrapper.html", atomically: true, encoding: .utf8) }
        arguments.append(wrapper == nil ? url : "file://" + scratch + "/wrapper.html")
        let outcome = try await ChildProcess.run(chromium, arguments: arguments + ["--user-data-dir=" + scratch + "/profile"],
                                                 workingDirectory: scratch, environment: ["HOME": scratch],
                                                 timeout: .seconds(120))
        guard outcome.ending == .exited(0) else {
            throw RunnerError("chromium failed on \(page) (\(outcome.ending)): \(outcome.standardError.suffix(500))")
        }
        let console = outcome.standardError.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        return (outcome.standardOutput, console)
    }

    /// The pipe tables of a lesson's Markdown, counted by their delimiter rows (`| --- | :-: |`) outside fenced code:
    /// read from the source with no Markdown parser, so that it checks the renderer rather than repeats it.
    public static func tablesInSource(_ markdown: String) -> Int {
        var fence: Substring?, count = 0
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let text = line.drop(while: { $0 == " " })
            if let open = fence {
                if text.hasPrefix(open), text.drop(while: { $0 == open.first }).allSatisfy(\.isWhitespace) { fence = nil }
                continue
            }
            if text.hasPrefix("```") || text.hasPrefix("~~~") { fence = text.prefix(while: { $0 == text.first }); continue }
            let cells = text.trimmingCharacters(in: .whitespaces).split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if text.contains("|"), !cells.isEmpty, cells.allSatisfy({ cell in
                let dashes = cell.drop(while: { $0 == ":" }).reversed().drop(while: { $0 == ":" })
                return !dashes.isEmpty && dashes.allSatisfy { $0 == "-" }
            }) { count += 1 }
        }
        return count
    }

    /// What a reader of `page` sees on a phone, 375 px wide: no Markdown left raw in the text, `tables` tables with
    /// their headers (when the lesson's source is known), and nothing but code, output, math and tables scrolling
    /// sideways.
    ///
    /// The page is opened in a 375 px frame of a wrapper page, whose script measures it once its own scripts ran.
    public func checkReading(_ page: String, tables: Int?) async throws -> [Result] {
        let wrapper = """
            <!doctype html><html><body style="margin:0"><pre id="result">not measured</pre>
            <iframe id="page" src="file://\(siteFolder)/\(page)" style="width:375px;height:812px;border:0"></iframe>
            <script>
            document.getElementById("page").addEventListener("load", () => setTimeout(() => {
              const frame = document.getElementById("page"), d = frame.contentDocument, w = frame.contentWindow;
              const scrolling = "pre, table, .math.display, .katex-display";
              // Inside a box that clips what overflows it (KaTeX's arrows, its MathML copy), and fits on the screen.
              const clipped = e => { for (let a = e.parentElement; a; a = a.parentElement) {
                const style = w.getComputedStyle(a);
                if ((style.overflowX === "hidden" || style.overflowX === "clip" || style.clip !== "auto")
                    && a.getBoundingClientRect().right <= w.innerWidth + 1) return true;
              } return false; };
              const prose = d.body.cloneNode(true);
              prose.querySelectorAll("pre, code, samp, script, style, .katex, .math, nav.toc").forEach(e => e.remove());
              const wide = [...d.body.querySelectorAll("*")].filter(e => {
                const box = e.getBoundingClientRect();
                return box.right > w.innerWidth + 1 && box.width > 0 && !e.closest(scrolling) && !e.querySelector(scrolling)
                  && !clipped(e);
              }).map(e => e.tagName.toLowerCase() + (e.getAttribute("class") ? "." + e.getAttribute("class").split(" ")[0] : "")
                + " (" + Math.round(e.getBoundingClientRect().right) + " px: " + (e.textContent || "").trim().slice(0, 30) + ")");
              document.getElementById("result").textContent = JSON.stringify({
                text: prose.textContent,
                tables: [...d.querySelectorAll("article table")].filter(t => t.querySelector("thead th")).length,
                pageWidth: d.documentElement.scrollWidth, viewport: w.innerWidth, wide: wide.slice(0, 5)
              });
            }, 2000));
            </script></body></html>
            """
        let (dom, _) = try await open(page, url: "", wrapper: wrapper)
        struct Reading: Decodable { let text: String, tables: Int, pageWidth: Int, viewport: Int, wide: [String] }
        guard let start = dom.range(of: "<pre id=\"result\">"), let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex),
              let reading = try? JSONDecoder().decode(Reading.self, from: Data(Self.unescaped(String(dom[start.upperBound..<end.lowerBound])).utf8))
        else { return [Result(name: "\(page): read at 375 px", problem: "the page could not be measured in its frame")] }
        var results: [Result] = []
        let raw = Self.rawMarkdown(in: reading.text)
        results.append(Result(name: "\(page): no raw Markdown in the text", problem: raw.isEmpty ? nil : "visible: " + raw.joined(separator: " · ")))
        if let tables {
            results.append(Result(name: "\(page): its \(tables) Markdown table(s) are tables",
                                  problem: reading.tables == tables ? nil : "\(reading.tables) <table> with a header on the page"))
        }
        let scrolls = reading.pageWidth > reading.viewport + 1
        results.append(Result(name: "\(page): nothing but code, output, math and tables scrolls sideways at 375 px",
                              problem: scrolls || !reading.wide.isEmpty ? "the page is \(reading.pageWidth) px wide; too wide: \(reading.wide.joined(separator: ", "))" : nil))
        return results
    }

    /// Markdown that a renderer should have consumed, found in a page's visible prose: a table's delimiter row, a
    /// `**` or `__` pair, `$$`, an inline `$…$`, or a `[text](url)` link.
    static func rawMarkdown(in text: String) -> [String] {
        let patterns = [#"\|\s*:?-{3,}:?\s*\|"#, #"\*\*[^*\s][^*]*\*\*"#, #"__[^_\s][^_]*__"#, #"\$\$"#, #"\$[^$\s][^$]*\$"#, #"\[[^\]]+\]\([^)\s]+\)"#]
        return patterns.compactMap { pattern in
            text.range(of: pattern, options: .regularExpression).map { String(text[$0].prefix(60)) }
        }
    }

    /// `text` with the five entities Chromium's serialiser writes in element content replaced.
    static func unescaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&nbsp;", with: "\u{00A0}").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The number of times `needle` occurs in `text`.
    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// `html` without its `<pre>` blocks and tags: the text a reader sees outside code.
    static func visibleProse(_ html: String) -> String {
        var text = html
        while let start = text.range(of: "<pre"), let end = text.range(of: "</pre>", range: start.upperBound..<text.endIndex) {
            text.removeSubrange(start.lowerBound..<end.upperBound)
        }
        var result = ""
        var inTag = false
        for character in text {
            if character == "<" { inTag = true } else if character == ">" { inTag = false } else if !inTag { result.append(character) }
        }
        return result
    }

    /// The browser checks of one page.
    public func checkPage(_ page: String) async throws -> [Result] {
        let built = read(page)
        let (dom, console) = try await open(page)
        var results: [Result] = []
        func expect(_ name: String, _ condition: Bool, _ problem: @autoclosure () -> String) {
            results.append(Result(name: "\(page): \(name)", problem: condition ? nil : problem()))
        }
        let mathSpans = Self.count("class=\"math ", in: built)
        let rendered = dom.components(separatedBy: "class=\"math ").dropFirst().filter { $0.prefix(400).contains("class=\"katex") }.count
        expect("math rendered", rendered == mathSpans, "KaTeX rendered \(rendered) of \(mathSpans) math spans")
        expect("no KaTeX errors", !dom.contains("katex-error"), "a math span failed to render (katex-error)")
        let prose = Self.visibleProse(dom)
        expect("no raw TeX delimiters", !prose.contains("$$") && !prose.contains("\\("), "raw $$ or \\( is visible in the text")
        let codeBlocks = Self.count("<code class=\"language-swift", in: built)
        let highlighted = Self.count("<code class=\"language-swift hljs", in: dom)
        expect("code highlighted", highlighted == codeBlocks, "highlight.js marked \(highlighted) of \(codeBlocks) Swift blocks")
        let figures = Self.count("<figure>", in: built)
        expect("figures present", Self.count("<figure>", in: dom) == figures && (page == "index.html" || figures > 0),
               "expected \(figures) figure(s), and at least one on a lesson page")
        expect("copy buttons", Self.count("class=\"copy\"", in: dom) == Self.count("<pre", in: built), "not every code block has a copy button")
        expect("no console messages", console.isEmpty, "the page logged: \(console.joined(separator: " | "))")
        return results
    }

    /// Searches, from the index page, for a word whose first five letters appear in exactly one section of
    /// one lesson (so that no stemmed form of it is elsewhere): exactly that section must be found, linked
    /// to its anchor, with the word marked.
    public func checkSearch() async throws -> Result {
        let index = read("search-index.js")
        guard let json = index.range(of: "= ").map({ index[$0.upperBound...].dropLast(2) }),
              let entries = try? JSONDecoder().decode([[String: String]].self, from: Data(json.utf8)) else {
            return Result(name: "search", problem: "search-index.js is missing or unreadable")
        }
        let texts = entries.map { ($0["lesson"]! + " " + $0["section"]! + " " + $0["text"]!).lowercased() }
        let words = entries.map { Set($0["text"]!.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)) }
        let candidates = words.reduce(into: Set<String>()) { $0.formUnion($1) }.filter { $0.count >= 7 && $0.allSatisfy(\.isASCII) }
        guard let word = candidates.sorted().first(where: { word in texts.filter { $0.contains(word.prefix(5)) }.count == 1 }) else {
            return Result(name: "search", problem: "no word appears in exactly one section")
        }
        let target = entries[texts.firstIndex { $0.contains(word) }!]["id"]!
        let (dom, console) = try await open("index.html", query: "?search=" + word)
        let found = Self.count("class=\"search-result\"", in: dom)
        let ok = found == 1 && dom.contains("<li class=\"search-result\"><a href=\"\(target)\">") && dom.contains("<mark>")
            && console.isEmpty
        return Result(name: "search for \"\(word)\" finds \(target) alone, marked",
                      problem: ok ? nil : "found \(found) result(s)\(dom.contains("<mark>") ? "" : ", none marked")\(console.isEmpty ? "" : "; console: \(console)")")
    }

    /// Screenshots of `page` in the light and the dark theme; returns their paths.
    public func screenshots(of page: String) async throws -> [String] {
        try FileManager.default.createDirectory(atPath: screenshotFolder, withIntermediateDirectories: true)
        var paths: [String] = []
        for theme in ["light", "dark"] {
            let path = screenshotFolder + "/" + page.replacingOccurrences(of: ".html", with: "-\(theme).png")
            _ = try await open(page, query: "?theme=" + theme, screenshot: path)
            guard FileManager.default.fileExists(atPath: path) else { throw RunnerError("chromium wrote no screenshot \(path)") }
            paths.append(path)
        }
        return paths
    }
}
