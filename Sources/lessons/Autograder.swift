import ArgumentParser
import Foundation
import LessonKit

struct Autograder: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a Gradescope autograder bundle: setup.sh, run_autograder and the course's sources.",
        discussion: """
            Zip the folder's contents (not the folder) and upload the zip as a Gradescope programming assignment's \
            autograder, on Gradescope's Ubuntu 22.04 base image. Each exercise is one test, worth 1 point unless \
            --points says otherwise. It runs from any folder: the lessons come from --lessons-folder, and the \
            core's and the tool's sources from --project, by default the checkout this lessons program was built in.
            """)

    @Option(help: "The folder of lesson files.")
    var lessonsFolder = "Lessons"

    @Option(help: ArgumentHelp("The checkout that builds the core and lessons; by default the one this program was built in.", valueName: "folder"))
    var project: String?

    @Option(help: "The folder to write; it must not exist yet.")
    var output = "autograder"

    @Option(help: ArgumentHelp("Points for an exercise (1 by default; repeatable).", valueName: "name=points"))
    var points: [String] = []

    @Option(help: "The Swift release to install, such as swift-6.3.1-RELEASE; by default the one `swiftc --version` names.")
    var swiftRelease: String?

    @Flag(help: ArgumentHelp("""
        Grade each submission without the sandbox. Gradescope already runs each submission in a container of its own; \
        use this if bubblewrap cannot start there.
        """))
    var noSandbox = false

    func run() async throws {
        try await reportingErrors {
            let exercises = try LessonCatalog.load(folder: lessonsFolder).flatMap(\.exercises).map(\.name)
            _ = try pointsByExercise(points, exercises: exercises)
            var release = swiftRelease
            if release == nil {
                let version = try await ChildProcess.run("swiftc", arguments: ["--version"],
                                                         workingDirectory: FileManager.default.currentDirectoryPath, timeout: .seconds(60))
                release = GradescopeBundle.release(fromVersion: version.standardOutput)
            }
            guard let release else { throw RunnerError("cannot tell the Swift release from `swiftc --version`: pass --swift-release") }
            try GradescopeBundle(swiftRelease: release, points: points, sandboxed: !noSandbox)
                .write(to: output, lessonsFolder: lessonsFolder, projectRoot: project ?? Checkout.root ?? FileManager.default.currentDirectoryPath)
            print("wrote \(output)/ for \(release): zip its contents (cd \(output) && zip -r ../autograder.zip .) and upload the zip to Gradescope")
        }
    }
}
