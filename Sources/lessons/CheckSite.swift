import ArgumentParser
import Foundation
import LessonKit

struct CheckSite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-site",
        abstract: "Check the built site in headless Chromium, and check every internal link.",
        discussion: "Prints one line per failed check and ends with 'site-check: N passed, N failed'.")

    @Argument(help: "The site folder.")
    var site = "site"

    @Option(help: "Where to write the light and dark screenshots.")
    var screenshots = ".build/screenshots"

    @Option(help: "The folder of lesson files, whose Markdown tables must be tables on their pages.")
    var lessonsFolder = "Lessons"

    @Option(help: "The lesson page to photograph.")
    var screenshotPage = "02-rnn-forward.html"

    func run() async throws {
        try await reportingErrors {
            let checker = SiteChecker(siteFolder: site, screenshotFolder: screenshots)
            guard !checker.pages.isEmpty else { throw RunnerError("no pages in \(site)/: run `make site` first") }
            var results = checker.checkLinks()
            for (i, page) in checker.pages.enumerated() {
                progress("[\(i + 1)/\(checker.pages.count)] \(page)")
                results += try await checker.checkPage(page)
                let source = (lessonsFolder as NSString).appendingPathComponent(page.replacingOccurrences(of: ".html", with: ".md"))
                let tables = (try? String(contentsOfFile: source, encoding: .utf8)).map(SiteChecker.tablesInSource)
                results += try await checker.checkReading(page, tables: tables)
            }
            results.append(try await checker.checkSearch())
            for path in try await checker.screenshots(of: screenshotPage) { print("screenshot: \(path)") }
            for failure in results where failure.problem != nil { printError("FAIL \(failure.name): \(failure.problem!)") }
            let failed = results.filter { $0.problem != nil }.count
            print("checked \(checker.pages.count) pages")
            print("site-check: \(results.count - failed) passed, \(failed) failed")
            if failed > 0 { throw ExitCode.failure }
        }
    }
}
