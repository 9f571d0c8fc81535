import ArgumentParser
import Foundation
import LessonKit

/// Writes one line of progress to standard output at once, unbuffered, so that it shows in CI logs as it happens.
func progress(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Writes one line to standard error, after what `print` has buffered for standard output, so that the two
/// streams, read together, never split a line.
func printError(_ text: String) {
    fflush(nil)                                      // every buffered stream: standard output first
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Runs `body`, turning lesson and runner errors into a message and exit status 1.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as LessonErrors {
        printError(error.description)
        throw ExitCode.failure
    } catch let error as LessonError {
        printError(error.description)
        throw ExitCode.failure
    } catch let error as RunnerError {
        printError("error: \(error.description)")
        throw ExitCode.failure
    }
}

/// Runs `action` on the main queue when the user presses Ctrl-C (SIGINT), closes the terminal (SIGHUP) or
/// the process is asked to stop (SIGTERM, as `kill` sends), instead of dying mid-write or leaving a child
/// such as `serve`'s web server running.
///
/// Keep the returned handlers alive for as long as they should stay installed.
func onInterrupt(_ action: @escaping @Sendable () -> Void) -> InterruptHandlers {
    InterruptHandlers(sources: [SIGINT, SIGTERM, SIGHUP].map { number in
        let source = DispatchSource.makeSignalSource(signal: number, queue: .main)
        signal(number, SIG_IGN)
        source.setEventHandler(handler: action)
        source.resume()
        return source
    })
}

/// The signal handlers `onInterrupt` installed.
struct InterruptHandlers {
    let sources: [DispatchSourceSignal]
    func cancel() { sources.forEach { $0.cancel() } }
}
