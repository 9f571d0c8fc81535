import Foundation
import Testing
@testable import LessonKit

/// The execution cache: a prose edit compiles nothing, every ingredient misses, a torn entry is re-run.
@Suite(.serialized) struct ExecutionCacheTests {
    /// A scratch project: a cache folder, a data folder, and a `swiftc` wrapper that counts its runs.
    struct Workspace {
        let root = NSTemporaryDirectory() + "lessonkit-cache-test-\(UUID().uuidString)"
        var cacheFolder: String { root + "/cache" }
        var dataFolder: String { root + "/data" }
        var countFile: String { root + "/compiles" }

        init() throws {
            try FileManager.default.createDirectory(atPath: root + "/data", withIntermediateDirectories: true)
            try "first notes\n".write(toFile: root + "/data/notes.txt", atomically: true, encoding: .utf8)
        }

        /// A `swiftc` that counts its compiles (not its answers about itself); with `version`, it answers `--version` with that text instead.
        func compiler(version: String? = nil, coreBuild: String = TestPaths.coreBuild) throws -> SwiftCompiler {
            let script = root + "/swiftc-\(UUID().uuidString)"
            let versionLine = version.map { "if [ \"$1\" = --version ]; then echo '\($0)'; exit 0; fi\n" } ?? ""
            try "#!/bin/sh\n\(versionLine)case \"$1\" in --version|-print-target-info) ;; *) echo compile >> '\(countFile)' ;; esac\nexec swiftc \"$@\"\n"
                .write(toFile: script, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
            return SwiftCompiler(coreBuild: coreBuild, swiftc: script)
        }

        var compiles: Int {
            ((try? String(contentsOfFile: countFile, encoding: .utf8)) ?? "").split(separator: "\n").count
        }

        func builder(_ compiler: SwiftCompiler, environment: [String: String] = [:]) async throws -> SiteBuilder {
            let runner = LessonRunner(compiler: compiler, timeout: .seconds(60), dataFolder: dataFolder)
            let build = try await BuildIngredients.current(for: compiler, environment: environment)
            return SiteBuilder(runner: runner, siteFolder: root + "/site",
                               cache: ExecutionCache(folder: cacheFolder, build: build, dataFolder: dataFolder), log: { _ in })
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    static let lessonText = """
        # Cached

        Some prose.

        ```swift
        let notes = CourseData.text("notes.txt")
        print(notes, terminator: "")
        claim(notes.count > 100, "the notes are long")
        ```

        The notes have `{swift} notes.count` characters.

        ```swift
        precondition(notes.isEmpty, "the notes are not empty")
        ```
        """

    func lesson(_ text: String = lessonText) throws -> Lesson {
        try Lesson(path: "Lessons/01-cached.md", markdown: text)
    }

    func miss(_ builder: SiteBuilder, _ lesson: Lesson) -> String? {
        if case .miss(let reason, _)? = builder.cache?.lookup(LessonProgram(lesson: lesson)) { return reason }
        return nil
    }

    @Test func aProseEditIsServedFromTheCacheWithoutCompilingAndItsPageIsIdentical() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let builder = try await workspace.builder(try workspace.compiler())
        let first = try await builder.run(try lesson(), label: "")
        #expect(workspace.compiles == 1)
        #expect(first.errors.map(\.location.line) == [8, 13], "\(first.errors)")   // the claim, the trap

        // Two lines of prose added above the snippets move every line the run mentions.
        let edited = try lesson(Self.lessonText.replacingOccurrences(of: "Some prose.", with: "Some prose,\nnow longer,\nand edited."))
        let cached = try await builder.run(edited, label: "")
        #expect(workspace.compiles == 1, "a prose edit must not start the compiler")
        #expect(cached.fromCache)
        #expect(cached.errors.map(\.location.line) == [10, 15])
        #expect(cached.results[1]?.trap?.hasPrefix("Lesson/01-cached.md:16: ") == true, "\(String(describing: cached.results[1]?.trap))")

        let fresh = try await builder.runner.run(LessonProgram(lesson: edited))
        #expect(workspace.compiles == 2)
        #expect(fresh.errors == cached.errors)
        #expect(fresh.results == cached.results)
        let renderer = try PageRenderer(front: .untitled)
        #expect(renderer.render(cached, allLessons: [edited]).map(\.contents) == renderer.render(fresh, allLessons: [edited]).map(\.contents))
    }

    @Test func everyIngredientMisses() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let lesson = try lesson()
        let builder = try await workspace.builder(try workspace.compiler())
        _ = try await builder.run(lesson, label: "")
        #expect(miss(builder, lesson) == nil)

        let snippetEdit = try self.lesson(Self.lessonText.replacingOccurrences(of: "are not empty", with: "have text"))
        #expect(miss(builder, snippetEdit) == "its snippets changed")

        let compiler = try await workspace.builder(try workspace.compiler(version: "Swift version 99.0 (a wrapper)"))
        #expect(miss(compiler, lesson) == "the compiler changed")

        let path = try await workspace.builder(try workspace.compiler(), environment: ["SEQUENCEMODELS_PRODUCTS": "blas"])
        #expect(miss(path, lesson)?.hasPrefix("the computation path changed") == true)

        // A copy of the core build, then the same copy with one byte more: a rebuilt core.
        let core = workspace.root + "/core"
        try FileManager.default.createDirectory(atPath: core, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: core + "/Modules", withDestinationPath: TestPaths.coreBuild + "/Modules")
        try FileManager.default.copyItem(atPath: TestPaths.coreBuild + "/libSequenceModels.so", toPath: core + "/libSequenceModels.so")
        let copied = try await workspace.builder(try workspace.compiler(coreBuild: core))
        #expect(miss(copied, lesson) == nil, "the same core bytes at another path are the same core")
        let library = try #require(FileHandle(forWritingAtPath: core + "/libSequenceModels.so"))
        try library.seekToEnd()
        try library.write(contentsOf: Data([0]))
        try library.close()
        let rebuilt = try await workspace.builder(try workspace.compiler(coreBuild: core))
        #expect(miss(rebuilt, lesson) == "the core library changed")

        try "changed notes\n".write(toFile: workspace.dataFolder + "/notes.txt", atomically: true, encoding: .utf8)
        #expect(miss(builder, lesson) == "the data file notes.txt changed")
        #expect(workspace.compiles == 1)
    }

    @Test func aCorruptEntryIsAWarningAndARerun() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let lesson = try lesson()
        let builder = try await workspace.builder(try workspace.compiler())
        _ = try await builder.run(lesson, label: "")
        let key = builder.cache!.build.ingredients(of: LessonProgram(lesson: lesson)).key
        let entry = workspace.cacheFolder + "/01-cached/\(key).json"
        #expect(FileManager.default.fileExists(atPath: entry))
        try "{\"ingredients\": tor".write(toFile: entry, atomically: true, encoding: .utf8)
        guard case .miss(let reason, let warning)? = builder.cache?.lookup(LessonProgram(lesson: lesson)) else {
            Issue.record("a torn entry was read as a hit")
            return
        }
        #expect(warning && reason.contains("unreadable"))
        let rerun = try await builder.run(lesson, label: "")
        #expect(!rerun.fromCache && workspace.compiles == 2)
        #expect(miss(builder, lesson) == nil, "the re-run replaced the torn entry")
    }

    @Test func linesMoveInTextWithoutTouchingOtherFiles() {
        let old = LinePlaces(snippets: [[5, 6, 3]], values: [11])
        let new = LinePlaces(snippets: [[7, 8, 3]], values: [14])
        let map = LineMap(from: old, to: new, path: "Lessons/01-a.md")
        #expect(map.text("Lesson/01-a.md:7: Fatal error, Lessons/01-a.md:11:3 and Other.md:7") ==
                "Lesson/01-a.md:9: Fatal error, Lessons/01-a.md:14:3 and Other.md:7")
        #expect(map.line(1) == 1 && map.line(5) == 7)
    }
}
