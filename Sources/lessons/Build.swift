import ArgumentParser
import Foundation
import LessonKit

struct Build: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every lesson and write the HTML site.",
        discussion: "The site is written to a staging folder and moved into place only when complete.")

    @OptionGroup var options: RunnerOptions

    @Option(help: "Where to write the site.")
    var site = "site"

    func run() async throws {
        try await reportingErrors {
            let lessons = try LessonCatalog.load(folder: options.lessonsFolder)
            let builder = SiteBuilder(runner: options.makeRunner(), siteFolder: site, log: progress)
            let runs = try await builder.build(lessons)
            let errors = runs.flatMap(\.errors)
            for error in errors { printError(error.description) }
            print("wrote \(site)/ with \(lessons.count) lesson(s)")
            if !errors.isEmpty { throw ExitCode.failure }
        }
    }
}
