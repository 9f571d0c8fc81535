import Foundation

/// Builds the whole site: runs every lesson, renders every page, and replaces `site/` at once.
///
/// Pages are written to a staging folder beside the site; only a complete site is moved
/// into place, so a build that stops half-way leaves the previous site untouched.
public struct SiteBuilder {
    public var runner: LessonRunner
    public var siteFolder: String
    /// Receives one line of progress at a time.
    public var log: @Sendable (String) -> Void

    public init(runner: LessonRunner, siteFolder: String, log: @escaping @Sendable (String) -> Void) {
        self.runner = runner
        self.siteFolder = siteFolder
        self.log = log
    }

    /// Runs and renders `lessons`; returns each lesson's run, errors included.
    public func build(_ lessons: [Lesson]) async throws -> [LessonRun] {
        let renderer = try PageRenderer()
        var files = [renderer.renderIndex(lessons),
                     SiteFile(path: "assets/style.css", contents: try PageRenderer.stylesheet())]
        var runs: [LessonRun] = []
        for (i, lesson) in lessons.enumerated() {
            log("[\(i + 1)/\(lessons.count)] \(lesson.path): compiling and running…")
            let run = try await runner.run(LessonProgram(lesson: lesson))
            let verdict = run.errors.isEmpty ? "ok" : "\(run.errors.count) error(s)"
            log("[\(i + 1)/\(lessons.count)] \(lesson.path): \(verdict) in \(formatSeconds(run.seconds))")
            runs.append(run)
            files += renderer.render(run, allLessons: lessons)
        }
        try publish(files)
        return runs
    }

    /// Writes `files` to a staging folder, then swaps it in for the site folder.
    func publish(_ files: [SiteFile]) throws {
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
