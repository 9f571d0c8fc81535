// The runner's half of a lesson program: compiled beside the generated main.swift.
// It frames each snippet's output with marker lines that the runner splits on, and runs
// `expect-trap` snippets in a forked child so that the lesson goes on after the trap.
#if canImport(Glibc)
import Glibc
#endif

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

    /// Marks the normal end of the program.
    static func finish() {
        begin(-1)
    }
}
