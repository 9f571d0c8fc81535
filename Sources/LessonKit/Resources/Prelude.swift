// The runner's half of a lesson program: compiled beside the generated main.swift.
// It frames each snippet's output with marker lines that the runner splits on, and runs
// `expect-trap` snippets in a forked child so that the lesson goes on after the trap.
#if canImport(Glibc)
import Glibc
#endif
import SequenceModels

enum LessonKitProgram {
    static let marker = "\u{1}lessonkit-snippet "

    /// Line-buffers standard output, so that nothing printed before a trap is lost.
    static func start() {
        setvbuf(stdout, nil, _IOLBF, 0)
        setvbuf(stderr, nil, _IONBF, 0)
    }

    /// Marks the start of snippet `index` in both streams.
    static func begin(_ index: Int) {
        print(marker + String(index))
        fflush(stdout)
        fputs(marker + String(index) + "\n", stderr)
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
            fputs("\u{1}lessonkit-no-trap\n", stderr)
        }
    }

    static let valueMarker = "\u{1}lessonkit-value "

    /// Evaluates inline value `index` and reports its `description` on one line (`\` and newlines escaped).
    static func inlineValue<Value>(_ index: Int, _ expression: () -> Value) {
        begin(index)
        var line = valueMarker
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
}

// MARK: - Claims

extension LessonKitProgram {
    static let claimFailedMarker = "\u{1}lessonkit-claim-failed "
}

/// States that `condition` holds, in the words of the prose that relies on it.
///
/// A false claim does not stop the lesson: it is reported at its line, the page shows it under its
/// snippet, and the build fails, so prose that a run no longer supports can never be published.
func claim(_ condition: @autoclosure () -> Bool, _ statement: String, line: Int = #line) {
    guard !condition() else { return }
    print(LessonKitProgram.claimFailedMarker + "\(line) " + statement.split(separator: "\n").joined(separator: " "))
    fflush(stdout)
}

// MARK: - Graded checks
//
// A `check=NAME` block calls these. Each stops at the first failure, printing its message,
// with exit status 3, which the runner and the grader read as "a check failed".

/// Counts the checks of the block being run.
nonisolated(unsafe) var lessonKitChecksPassed = 0

extension LessonKitProgram {
    static let checkFailedMarker = "\u{1}lessonkit-check-failed "
    static let checkFailedStatus: Int32 = 3

    static func beginChecks(_ index: Int) {
        begin(index)
        lessonKitChecksPassed = 0
    }

    static let passMarker = "\u{1}lessonkit-pass "

    /// Reports that every check of `exercise` ran and held, with the run's secret, which only main.swift knows.
    static func endChecks(_ exercise: String, passToken: String) {
        print("✓ all \(lessonKitChecksPassed) checks of \(exercise) pass")
        print(passMarker + passToken)
        fflush(stdout)
    }
}

/// Passes when `condition` holds; otherwise stops the checks with `message`, which should name the likely mistake.
func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if condition() {
        lessonKitChecksPassed += 1
        return
    }
    print(LessonKitProgram.checkFailedMarker + message().split(separator: "\n").joined(separator: " "))
    fflush(stdout)
    exit(LessonKitProgram.checkFailedStatus)
}

/// Checks a shape first, so that later checks never index out of range.
func checkShape<Scalar>(_ m: Matrix<Scalar>, _ expected: [Int], _ what: String) {
    check(m.shape == expected, "\(what) should have shape \(expected), but has shape \(m.shape)")
}

/// Checks that two matrices agree within `tolerance` in every element.
func checkClose<Scalar>(_ actual: Matrix<Scalar>, _ expected: Matrix<Scalar>, tolerance: Double = 1e-8,
                        _ message: @autoclosure () -> String) {
    let close = actual.shape == expected.shape
        && zip(actual.scalars, expected.scalars).allSatisfy { abs(Double($0) - Double($1)) <= tolerance * max(1, abs(Double($1))) }
    check(close, message())
}

/// Checks that two numbers agree within `tolerance` (relative to the expected value, or absolute below 1).
func checkClose<S: BinaryFloatingPoint>(_ actual: S, _ expected: S, tolerance: Double = 1e-8,
                                        _ message: @autoclosure () -> String) {
    check(abs(Double(actual) - Double(expected)) <= tolerance * max(1, abs(Double(expected))), message())
}
