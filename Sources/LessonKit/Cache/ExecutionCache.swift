import Foundation

/// Lesson runs kept on disk, so that a build re-runs only the lessons whose output can have changed.
///
/// An entry is one JSON file, `FOLDER/NN-slug/KEY.json`, where KEY hashes the run's ``RunIngredients``.
/// It holds every snippet's output, traps, figures, inline values and failed claims, the lesson's errors,
/// and the data files the run read with their hashes, which a lookup checks again. Entries are written to
/// a temporary file and renamed into place, so two builds at once, or a build killed half-way, never
/// leave a torn entry; an entry that cannot be read anyway is a warning and a re-run.
public struct ExecutionCache: Sendable {
    /// The cache's folder, `.cache/runs` by default.
    public var folder: String
    /// The ingredients this build shares across lessons.
    public var build: BuildIngredients
    /// The data folder the runs read from, whose files' hashes each entry records.
    public var dataFolder: String?
    /// How many entries to keep for one lesson: one per computation path, and a few earlier versions.
    static let entriesPerLesson = 6

    public init(folder: String, build: BuildIngredients, dataFolder: String?) {
        self.folder = folder
        self.build = build
        self.dataFolder = dataFolder
    }

    /// What a lookup found.
    public enum Lookup: Sendable {
        /// The cached run, its lines moved to where the lesson's snippets now stand.
        case hit(LessonRun)
        /// Nothing usable: the reason, in words, and whether it deserves a warning (an unreadable entry).
        case miss(reason: String, warning: Bool)
    }

    struct Entry: Codable {
        var ingredients: RunIngredients
        var places: LinePlaces
        /// The data files the run read, relative to the data folder, with their SHA-256.
        var dataFiles: [String: String]
        var results: [Int: SnippetResult]
        var errors: [LessonError]
        var seconds: Double
    }

    func lessonFolder(_ lesson: Lesson) -> String { (folder as NSString).appendingPathComponent(lesson.name) }

    /// The cached run of `program`, or why there is none.
    public func lookup(_ program: LessonProgram) -> Lookup {
        let ingredients = build.ingredients(of: program)
        let path = lessonFolder(program.lesson) + "/\(ingredients.key).json"
        guard let data = FileManager.default.contents(atPath: path) else {
            let latest = FileManager.default.contents(atPath: lessonFolder(program.lesson) + "/latest.json")
                .flatMap { try? JSONDecoder().decode(RunIngredients.self, from: $0) }
            return .miss(reason: latest.flatMap { ingredients.change(since: $0) } ?? "no cached run", warning: false)
        }
        let entry: Entry
        do {
            entry = try JSONDecoder().decode(Entry.self, from: data)
        } catch {
            return .miss(reason: "the cached run \(path) is unreadable (\(error)); running the lesson again", warning: true)
        }
        guard entry.ingredients == ingredients else {
            return .miss(reason: "the cached run \(path) belongs to other ingredients; running the lesson again", warning: true)
        }
        for (file, digest) in entry.dataFiles.sorted(by: { $0.key < $1.key }) where dataDigest(file) != digest {
            return .miss(reason: "the data file \(file) changed", warning: false)
        }
        let map = LineMap(from: entry.places, to: LinePlaces(program), path: program.lesson.path)
        return .hit(LessonRun(lesson: program.lesson, results: entry.results.mapValues(map.result),
                              errors: entry.errors.map(map.error), compilerDiagnostics: nil, seconds: entry.seconds,
                              dataFilesRead: entry.dataFiles.keys.sorted(), fromCache: true))
    }

    /// Keeps `run` of `program`, unless it did not compile or was killed at its time limit, which a re-run may not repeat.
    public func store(_ run: LessonRun, of program: LessonProgram) throws {
        guard run.compilerDiagnostics == nil, !run.timedOut, !run.fromCache else { return }
        let ingredients = build.ingredients(of: program)
        var dataFiles: [String: String] = [:]
        for file in run.dataFilesRead { dataFiles[file] = dataDigest(file) ?? "unreadable" }
        let entry = Entry(ingredients: ingredients, places: LinePlaces(program), dataFiles: dataFiles,
                          results: run.results, errors: run.errors, seconds: run.seconds)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let folder = lessonFolder(program.lesson)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Self.writeAtomically(try encoder.encode(entry), to: folder + "/\(ingredients.key).json")
        try Self.writeAtomically(try encoder.encode(ingredients), to: folder + "/latest.json")
        prune(folder)
    }

    /// Removes all but the newest entries of a lesson's folder.
    func prune(_ folder: String) {
        let fm = FileManager.default
        let entries = ((try? fm.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".json") && $0 != "latest.json" }
            .map { (name: $0, date: ((try? fm.attributesOfItem(atPath: folder + "/" + $0))?[.modificationDate] as? Date) ?? .distantPast) }
            .sorted { $0.date > $1.date }
        for old in entries.dropFirst(Self.entriesPerLesson) { try? fm.removeItem(atPath: folder + "/" + old.name) }
    }

    /// SHA-256 of a data file, or nil when it cannot be read.
    func dataDigest(_ relativePath: String) -> String? {
        dataFolder.flatMap { RunIngredients.digest(file: ($0 as NSString).appendingPathComponent(relativePath)) }
    }

    /// Writes `data` beside `path` under a unique name, then renames it into place: readers see the old file or the new, whole.
    static func writeAtomically(_ data: Data, to path: String) throws {
        let temporary = path + ".\(UUID().uuidString).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw RunnerError("cannot write \(temporary): is the cache folder writable?")
        }
        if rename(temporary, path) != 0 {
            try? FileManager.default.removeItem(atPath: temporary)
            throw RunnerError("cannot move \(temporary) to \(path)")
        }
    }
}
