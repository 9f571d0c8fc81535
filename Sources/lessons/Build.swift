import ArgumentParser
import Foundation
import LessonKit

struct Build: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every lesson and write the HTML site.",
        discussion: """
            The site is written to a staging folder and moved into place only when complete, and only when no \
            lesson has an error: then the previous site, if there is one, is kept as it was. A lesson whose \
            snippets, core library, compiler, prelude, data and computation path are unchanged is read from the \
            execution cache (--cache-folder); the log says which lessons re-ran, and why.
            """)

    @OptionGroup var options: RunnerOptions
    @OptionGroup var caching: CacheOptions

    @Option(help: "Where to write the site.")
    var site = "site"

    @Flag(help: "Leave every exercise's reference solution off the pages (for a class being graded); stubs, checks and hints stay.")
    var withoutSolutions = false

    func run() async throws {
        try await reportingErrors {
            let runner = options.makeRunner()
            async let cache = caching.makeCache(for: runner)     // asks swiftc its version while the lessons are read
            let lessons = try LessonCatalog.load(folder: options.lessonsFolder)
            for lesson in caching.rerun where !lessons.contains(where: { $0.number == lesson || $0.name == lesson }) {
                throw RunnerError("--rerun \(lesson): no lesson has that number or name in \(options.lessonsFolder)/")
            }
            let builder = SiteBuilder(runner: runner, siteFolder: site, cache: try await cache,
                                      rerun: Set(caching.rerun), front: try CourseFront(folder: options.lessonsFolder),
                                      showsSolutions: !withoutSolutions, log: progress)
            let (runs, published) = try await builder.build(lessons)
            let errors = runs.flatMap(\.errors)
            for error in errors { printError(error.description) }
            if published {
                print("wrote \(site)/ with \(lessons.count) lesson(s)")
            } else {
                let failing = runs.filter { !$0.errors.isEmpty }.map(\.lesson.path)
                printError("kept \(site)/ as it was: \(failing.joined(separator: ", ")) \(failing.count == 1 ? "has" : "have") errors (above)")
            }
            if !errors.isEmpty { throw ExitCode.failure }
        }
    }
}
