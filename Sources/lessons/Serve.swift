import ArgumentParser
import Foundation
import LessonKit
import Synchronization

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the site on localhost and rebuild a lesson's page whenever its file changes.",
        discussion: """
            Build the site once first (make site). A changed lesson is rebuilt through the execution cache, so a \
            prose edit compiles nothing; the open page then reloads itself where you were, and shows any build \
            error over the page. Stop with Ctrl-C; SIGTERM and SIGHUP stop it too, and so does the end of the \
            process that started it (make), so that no server is left behind.
            """)

    @OptionGroup var options: RunnerOptions
    @OptionGroup var caching: CacheOptions

    @Option(help: "The site folder.")
    var site = "site"

    @Option(help: "The port on 127.0.0.1.")
    var port = 8000

    func run() async throws {
        try await reportingErrors {
            guard FileManager.default.fileExists(atPath: site + "/index.html") else {
                throw RunnerError("no site in \(site)/: run `make site` first")
            }
            // Python's http.server, in a process group of its own, so that stopping it also stops
            // whatever wrapper started it (pyenv's shim, for one).
            let scratch = NSTemporaryDirectory() + "lessons-serve-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            let root = absolutePath(site)
            let server = Task {
                try await ChildProcess.run("python3", arguments: ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", root],
                                           workingDirectory: scratch, timeout: .seconds(366 * 24 * 3600))
            }
            let serverEnded = Mutex(false)
            Task {
                _ = await server.result
                serverEnded.withLock { $0 = true }
            }
            let site = self.site
            let interrupt = onInterrupt {
                Task {
                    LiveReload.stop(site: site)
                    server.cancel()                        // kills the server's whole process group
                    _ = await server.result
                    try? FileManager.default.removeItem(atPath: scratch)
                    progress("\nstopped serving")
                    Foundation.exit(0)
                }
            }
            defer { interrupt.cancel() }
            let parent = getppid()                          // when it goes (make killed), the server goes too
            progress("serving \(site)/ at http://127.0.0.1:\(port)/ — edit a lesson to rebuild its page; Ctrl-C stops")
            let runner = options.makeRunner()
            let builder = SiteBuilder(runner: runner, siteFolder: site, cache: try await caching.makeCache(for: runner),
                                      front: try CourseFront(folder: options.lessonsFolder), log: progress)
            var seen = try modificationDates()
            var generation = 0
            try LiveReload.start(site: site)                 // pages poll from here on; edits from here on count
            while !serverEnded.withLock({ $0 }) {
                try await Task.sleep(for: .milliseconds(200))
                if getppid() != parent { kill(getpid(), SIGTERM) }      // the handler above stops the server and exits
                let now = try modificationDates()
                for (path, date) in now.sorted(by: { $0.key < $1.key }) where seen[path] != date {
                    var errors: [String] = []
                    do {
                        let clock = ContinuousClock(), start = clock.now
                        let lessons = try LessonCatalog.load(folder: options.lessonsFolder)
                        guard let lesson = lessons.first(where: { $0.path == path }) else { continue }
                        let run = try await builder.rebuild(lesson, among: lessons)
                        errors = run.errors.map(\.description)
                        progress("rebuilt \(lesson.pageName) in \(formatSeconds((clock.now - start).inSeconds))\(errors.isEmpty ? "" : " with \(errors.count) error(s)")")
                    } catch let error as LessonErrors {
                        errors = error.errors.map(\.description)
                    } catch let error as LessonError {
                        errors = [error.description]
                    }
                    for error in errors { printError(error) }
                    generation += 1
                    try LiveReload.publish(generation: generation, errors: errors, site: site)
                }
                seen = now
            }
            LiveReload.stop(site: site)
            try? FileManager.default.removeItem(atPath: scratch)
            throw RunnerError("the web server stopped at once, most likely because port \(port) is in use: stop what serves "
                              + "there, or choose another port: make serve PORT=\(port + 1) (lessons serve --port \(port + 1))")
        }
    }

    /// The lesson files and when each was last changed.
    func modificationDates() throws -> [String: Date] {
        var dates: [String: Date] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: options.lessonsFolder) where name.hasSuffix(".md") {
            let path = (options.lessonsFolder as NSString).appendingPathComponent(name)
            dates[path] = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        }
        return dates
    }
}
