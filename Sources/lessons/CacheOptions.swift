import ArgumentParser
import LessonKit

/// Options of the commands that build pages through the execution cache.
struct CacheOptions: ParsableArguments {
    @Option(help: "Where lesson runs are kept between builds.")
    var cacheFolder = ".cache/runs"

    @Flag(help: "Run every lesson, neither reading nor writing the cache.")
    var noCache = false

    @Option(help: ArgumentHelp("Run this lesson again even if the cache has its run (a number or name; repeatable).",
                               valueName: "lesson"))
    var rerun: [String] = []

    /// The cache for `runner`'s build, or nil with --no-cache.
    func makeCache(for runner: LessonRunner) async throws -> ExecutionCache? {
        guard !noCache else { return nil }
        return ExecutionCache(folder: cacheFolder, build: try await BuildIngredients.current(for: runner.compiler),
                              dataFolder: runner.dataFolder)
    }
}
