import Foundation

/// Builds the whole site: runs every lesson, renders every page, and replaces `site/` at once.
///
/// Pages are written to a staging folder beside the site; only a complete site is moved
/// into place, so a build that stops half-way leaves the previous site untouched. So does a build in which a
/// lesson has an error: its reader keeps the last good site, and its author reads the errors in the terminal.
public struct SiteBuilder {
    public var runner: LessonRunner
    public var siteFolder: String
    /// Where runs are kept between builds; nil runs every lesson (`--no-cache`).
    public var cache: ExecutionCache?
    /// Lessons to run again even when the cache has their run (`--rerun`), by number or name.
    public var rerun: Set<String>
    /// Receives one line of progress at a time.
    public var log: @Sendable (String) -> Void
    /// The course's front page, `index.md` of the lessons folder.
    public var front: CourseFront
    /// Whether exercise cards offer their reference solutions (`--without-solutions` leaves them out).
    public var showsSolutions: Bool

    public init(runner: LessonRunner, siteFolder: String, cache: ExecutionCache? = nil, rerun: Set<String> = [],
                front: CourseFront = .untitled, showsSolutions: Bool = true, log: @escaping @Sendable (String) -> Void) {
        self.runner = runner
        self.front = front
        self.showsSolutions = showsSolutions
        self.siteFolder = siteFolder
        self.cache = cache
        self.rerun = rerun
        self.log = log
    }

    /// The lesson's run: from the cache when its ingredients are unchanged, else compiled and run (and kept).
    public func run(_ lesson: Lesson, label: String) async throws -> LessonRun {
        let program = LessonProgram(lesson: lesson)
        var reason = "the cache is off"
        if let cache {
            if rerun.contains(lesson.number) || rerun.contains(lesson.name) {
                reason = "asked to with --rerun"
            } else {
                switch cache.lookup(program) {
                case .hit(let run):
                    log("\(label) \(lesson.path): from the cache")
                    return run
                case .miss(let why, let warning):
                    if warning { log("warning: \(why)") }
                    reason = warning ? "its cached run was unreadable" : why
                }
            }
        }
        log("\(label) \(lesson.path): compiling and running (\(reason))…")
        let run = try await runner.run(program)
        let verdict = run.errors.isEmpty ? "ok" : "\(run.errors.count) error(s)"
        log("\(label) \(lesson.path): \(verdict) in \(formatSeconds(run.seconds))")
        do {
            try cache?.store(run, of: program)
        } catch {
            log("warning: the run of \(lesson.path) was not cached: \(error)")
        }
        return run
    }

    /// Runs and renders `lessons`; returns each lesson's run, errors included, and whether the site was written:
    /// it is unless a lesson has an error and a previous site exists, which is then kept as it was.
    public func build(_ lessons: [Lesson]) async throws -> (runs: [LessonRun], published: Bool) {
        let renderer = try PageRenderer(front: front, showsSolutions: showsSolutions)
        let copies = try Self.webAssets()
        var files = [renderer.renderIndex(lessons), try Self.searchIndex(lessons)]
            + (try ["style.css", "site.js", "theme.js"].map { SiteFile(path: "assets/" + $0, contents: try PageRenderer.resource($0)) })
            + [LiveReload.inertFile]
        var runs: [LessonRun] = []
        for (i, lesson) in lessons.enumerated() {
            let run = try await run(lesson, label: "[\(i + 1)/\(lessons.count)]")
            runs.append(run)
            files += renderer.render(run, allLessons: lessons)
        }
        let previous = FileManager.default.fileExists(atPath: (siteFolder as NSString).appendingPathComponent("index.html"))
        guard runs.allSatisfy(\.errors.isEmpty) || !previous else { return (runs, false) }
        try publish(files, copies: copies)
        return (runs, true)
    }

    /// Runs one lesson (through the cache) and rewrites its page, its figures, the index and the search index in an existing site.
    ///
    /// Each file is replaced atomically (written beside it, then renamed), so a reader never sees half a page.
    public func rebuild(_ lesson: Lesson, among lessons: [Lesson]) async throws -> LessonRun {
        let renderer = try PageRenderer(front: front, showsSolutions: showsSolutions)
        let run = try await run(lesson, label: "")
        let files = renderer.render(run, allLessons: lessons) + [renderer.renderIndex(lessons), try Self.searchIndex(lessons)]
        let fm = FileManager.default
        for file in files {
            let path = (siteFolder as NSString).appendingPathComponent(file.path)
            try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try file.contents.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return run
    }

    /// Debian's KaTeX (`libjs-katex`), highlight.js (`libjs-highlight.js`) and lunr (`libjs-lunr`), copied into the site so it works offline.
    static let javascriptRoot = "/usr/share/javascript"

    /// The asset files to copy: (source, destination inside the site).
    static func webAssets() throws -> [(source: String, destination: String)] {
        let copies = [("lunr/lunr.min.js", "assets/lunr/lunr.min.js"), ("katex/katex.min.js", "assets/katex/katex.min.js"), ("katex/katex.min.css", "assets/katex/katex.min.css"),
                      ("katex/fonts", "assets/katex/fonts"), ("katex/contrib/auto-render.js", "assets/katex/contrib/auto-render.js"),
                      ("highlight.js/highlight.min.js", "assets/highlight/highlight.min.js")]
            .map { (source: javascriptRoot + "/" + $0.0, destination: $0.1) }
        for copy in copies where !FileManager.default.fileExists(atPath: copy.source) {
            throw RunnerError("\(copy.source) is missing: install Debian's libjs-katex, libjs-highlight.js and libjs-lunr (`make site` does)")
        }
        return copies
    }

    /// `search-index.js`: every section of every lesson, for the client-side search (lunr).
    static func searchIndex(_ lessons: [Lesson]) throws -> SiteFile {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(lessons.flatMap(PageRenderer.searchEntries)), as: UTF8.self)
            .replacingOccurrences(of: "<", with: "\\u003c")      // never "</script>" inside a script
        return SiteFile(path: "search-index.js", contents: "window.LESSON_SEARCH_INDEX = \(json);\n")
    }

    /// Writes `files` to a staging folder, copies `copies` beside them, then swaps it in for the site folder.
    func publish(_ files: [SiteFile], copies: [(source: String, destination: String)] = []) throws {
        let fm = FileManager.default
        let site = (siteFolder as NSString).standardizingPath
        let staging = site + ".staging-\(UUID().uuidString)"
        defer { try? fm.removeItem(atPath: staging) }
        for file in files {
            let path = (staging as NSString).appendingPathComponent(file.path)
            try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                   withIntermediateDirectories: true)
            try file.contents.write(toFile: path, atomically: false, encoding: .utf8)
        }
        for copy in copies {
            let destination = (staging as NSString).appendingPathComponent(copy.destination)
            try fm.createDirectory(atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            // Debian links katex.min.js and fonts/ to files elsewhere: copy what the links point to.
            try fm.copyItem(atPath: URL(fileURLWithPath: copy.source).resolvingSymlinksInPath().path, toPath: destination)
        }
        let retired = site + ".old-\(UUID().uuidString)"
        if fm.fileExists(atPath: site) { try fm.moveItem(atPath: site, toPath: retired) }
        try fm.moveItem(atPath: staging, toPath: site)
        try? fm.removeItem(atPath: retired)
    }
}

/// Seconds with one decimal, such as `3.2 s`.
public func formatSeconds(_ seconds: Double) -> String {
    let tenths = Int((seconds * 10).rounded())
    return "\(tenths / 10).\(tenths % 10) s"
}
