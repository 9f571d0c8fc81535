import Foundation

/// What every learner's program for one exercise shares, compiled once and kept on disk.
///
/// - module `Reference`: the reference solutions of the lesson's earlier exercises, a static library, which
///   the checks use;
/// - module `Learner`'s interface, from the exercise's stub with a copy of those solutions, which the
///   learner's code may call as it could in the lesson;
/// - module `Lesson`: the checks, the prelude and the protocol, as object files, compiled against the stub.
///
/// A learner's file is then compiled, with its own copy of the earlier solutions, as module `Learner`, and
/// linked to them. Because the checks were
/// type-checked against the stub, nothing the learner's file declares (an overload of `checkClose`, of `tanh`,
/// of `==`) can change which function a check calls: the checks reach the learner only through the stub's
/// declarations. A file that changes those declarations does not link, and is told so.
struct GradingBuild: Sendable {
    /// The folder that holds the build.
    let folder: String
    /// SHA-256 of each linked file, as this grader first found or made it.
    let digests: [String: String]
    /// The files linked into every learner's program: the checks' object files and the reference solutions.
    static let linked = ["main.o", "LessonKitProtocol.o", "Prelude.o", "libReference.a"]

    /// The build in `folder`, with its files' digests taken now.
    init(folder: String) {
        self.folder = folder
        digests = Dictionary(uniqueKeysWithValues: Self.linked.map { ($0, RunIngredients.digest(file: folder + "/" + $0) ?? "") })
    }

    /// The linked files, by path.
    var objects: [String] { Self.linked.map { folder + "/" + $0 } }

    /// The linked files that are no longer as they were first found: a learner's program wrote into them.
    func changedFiles() -> [String] {
        Self.linked.filter { RunIngredients.digest(file: folder + "/" + $0) != digests[$0] }
    }

    /// The program of one learner: their file, with a copy of the earlier solutions, compiled as module `Learner`
    /// and linked with the checks and the reference solutions, which `objects` gives at link time.
    func program(learnerFile: String, compiler: SwiftCompiler, scratchRoot: String, sandbox: Sandbox?,
                 objects: @escaping @Sendable () async throws -> [String], turns: GradingTurns) -> ScratchProgram {
        var program = ScratchProgram(compiler: compiler, sources: [], scratchRoot: scratchRoot)
        program.extraFiles = [learnerFile, folder + "/reference.swift"]
        program.flags = ["-parse-as-library", "-enable-testing"]
        program.moduleName = "Learner"
        program.debugInfo = true
        program.objects = objects
        program.turns = turns
        program.sandbox = sandbox
        return program
    }

    /// Compiles the shared parts of `exercise`'s program into `folder`.
    ///
    /// - Throws: ``RunnerError`` when the lesson's own code (its solutions, stub or checks) does not compile.
    static func compile(_ exercise: Exercise, in lesson: Lesson, compiler: SwiftCompiler, into folder: String) async throws {
        let program = LessonProgram.grading(exercise, in: lesson)
        try FileManager.default.createDirectory(atPath: folder + "/stub", withIntermediateDirectories: true)
        try LessonProgram.referenceSource(for: exercise, in: lesson).write(toFile: folder + "/reference.swift", atomically: false, encoding: .utf8)
        try exercise.stubFile.write(toFile: folder + "/stub/stub.swift", atomically: false, encoding: .utf8)
        for source in program.sources {
            try source.text.write(toFile: folder + "/" + source.name, atomically: false, encoding: .utf8)
        }
        let steps: [(what: String, arguments: [String])] = [
            ("the reference solutions of \(lesson.path)",
             ["-parse-as-library", "-enable-testing", "-g", "-emit-module", "-emit-module-path", "Reference.swiftmodule",
              "-emit-library", "-static", "-module-name", "Reference", "-o", "libReference.a", "reference.swift"]),
            ("the stub of \(exercise.name)",
             ["-parse-as-library", "-enable-testing", "-emit-module", "-emit-module-path", "stub/Learner.swiftmodule",
              "-module-name", "Learner", "stub/stub.swift", "reference.swift"]),
            ("the checks of \(exercise.name)",
             ["-c", "-g", "-module-name", SwiftCompiler.programModule, "-I", "stub", "-I", "."] + program.sources.map(\.name)),
        ]
        for step in steps {
            if let diagnostics = try await compiler.invoke(step.arguments, in: folder) {
                throw RunnerError("\(step.what) do not compile, so \(exercise.name) cannot be graded:\n\(diagnostics)")
            }
        }
    }
}

/// The grading builds of one grader, compiled at most once each, and kept under a folder between runs.
///
/// A build's folder is named by a hash of everything it is made from (the sources, the prelude, the
/// compiler's version and the core library), written under a temporary name and renamed into place. A build
/// found changed when it is about to be linked (``checked(_:for:in:compiler:)``) is made again, in a new folder.
actor GradingBuilds {
    let root: String
    private var building: [String: Task<GradingBuild, Error>] = [:]
    private var ingredients: BuildIngredients?
    /// The builds found changed and made again, as `EXERCISE: FILES`, in the order found.
    private(set) var changes: [String] = []

    init(root: String) { self.root = root }

    /// The build for `exercise`, compiled now if no earlier run left it.
    func build(for exercise: Exercise, in lesson: Lesson, compiler: SwiftCompiler) async throws -> GradingBuild {
        let key = try await key(for: exercise, in: lesson, compiler: compiler)
        if let task = building[key] { return try await task.value }
        return try await make(key: key, folder: (root as NSString).appendingPathComponent(exercise.name + "-" + key.prefix(16)),
                              exercise, in: lesson, compiler: compiler)
    }

    /// `build`, if its linked files are as they were first found; else the build made again, in a new folder.
    func checked(_ build: GradingBuild, for exercise: Exercise, in lesson: Lesson, compiler: SwiftCompiler) async throws -> GradingBuild {
        let changed = build.changedFiles()
        guard !changed.isEmpty else { return build }
        let key = try await key(for: exercise, in: lesson, compiler: compiler)
        if let current = try? await building[key]?.value, current.folder != build.folder {
            return try await checked(current, for: exercise, in: lesson, compiler: compiler)       // made again already
        }
        changes.append("\(exercise.name): \(changed.joined(separator: ", "))")
        try? FileManager.default.removeItem(atPath: build.folder)
        return try await make(key: key, folder: build.folder + "-again-\(UUID().uuidString.prefix(8))", exercise, in: lesson, compiler: compiler)
    }

    private func key(for exercise: Exercise, in lesson: Lesson, compiler: SwiftCompiler) async throws -> String {
        if ingredients == nil { ingredients = try await BuildIngredients.current(for: compiler) }
        let program = LessonProgram.grading(exercise, in: lesson)
        return RunIngredients.digest([LessonProgram.referenceSource(for: exercise, in: lesson), exercise.stubFile,
                                      program.mainSource, LessonProgram.preludeSource, RunnerProtocol.programSource,
                                      ingredients!.compiler, ingredients!.core].joined(separator: "\u{0}"))
    }

    private func make(key: String, folder: String, _ exercise: Exercise, in lesson: Lesson, compiler: SwiftCompiler) async throws -> GradingBuild {
        let root = root
        let task = Task {
            let fm = FileManager.default
            if fm.fileExists(atPath: folder + "/main.o") { return GradingBuild(folder: folder) }
            let temporary = folder + ".tmp-\(UUID().uuidString)"
            defer { try? fm.removeItem(atPath: temporary) }
            try await GradingBuild.compile(exercise, in: lesson, compiler: compiler, into: temporary)
            try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
            if rename(temporary, folder) != 0 && !fm.fileExists(atPath: folder + "/main.o") {
                throw RunnerError("cannot move the grading build to \(folder)")
            }
            return GradingBuild(folder: folder)
        }
        building[key] = task
        return try await task.value
    }
}
