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
        var arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                         "--virtual-time-budget=10000", "--enable-logging=stderr", "--v=0"]
        arguments += screenshot.map { ["--window-size=1280,2000", "--screenshot=\($0)"] } ?? ["--dump-dom"]
        arguments.append("file://" + siteFolder + "/" + page + query)
        let scratch = NSTemporaryDirectory() + "lessonkit-chromium-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let outcome = try await ChildProcess.run(chromium, arguments: arguments + ["--user-data-dir=" + scratch + "/profile"],
                                                 workingDirectory: scratch, environment: ["HOME": scratch],
                                                 timeout: .seconds(120))
        guard outcome.ending == .exited(0) else {
            throw RunnerError("chromium failed on \(page) (\(outcome.ending)): \(outcome.standardError.suffix(500))")
        }
        let console = outcome.standardError.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        return (outcome.standardOutput, console)
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
