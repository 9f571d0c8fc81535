import Foundation
import Testing
@testable import LessonKit
#if canImport(Glibc)
import Glibc
#endif

/// Hostile learners' files, graded in the sandbox: each is graded fail, crash or timeout with a plain message,
/// and nothing outside its own scratch folder changes.
///
/// Each body below attacks, then returns a matrix of the wrong shape. So an attack that the sandbox stopped
/// leaves the row `fail` with the shape message, and one that got through turns it into a crash (`abort()`)
/// or leaves its mark outside, which the test looks for.
@Suite(.serialized) struct SandboxTests {
    static let wrongShape = GradeStatus.fail("a⟨t⟩ should have shape [3, 4], but has shape [1, 1]")

    /// Grades `rnnCellForward` written as `body` followed by a return of the wrong shape, in the sandbox or not.
    func grade(_ body: String, sandboxed: Bool = true, timeout: Duration = .seconds(20)) async throws -> GradeResult {
        try await gradeRNNCellForward(body: body + "\nreturn .zeros(1, 1)", sandboxed: sandboxed, timeout: timeout)
    }

    /// A file outside every scratch folder, standing for the project, the instructor's home or another learner.
    func bystander() throws -> String {
        let folder = NSTemporaryDirectory() + "lessonkit-bystander-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "precious\n".write(toFile: folder + "/file.txt", atomically: true, encoding: .utf8)
        return folder + "/file.txt"
    }

    /// The processes whose `file` in /proc (`comm` or `cmdline`) contains `text`.
    func processes(whose file: String, contains text: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { entry in
            guard entry.allSatisfy(\.isNumber), let data = FileManager.default.contents(atPath: "/proc/\(entry)/\(file)") else { return false }
            return String(decoding: data, as: UTF8.self).contains(text)
        }
    }

    @Test func theSandboxStartsOnThisMachine() async throws {
        _ = try await Sandbox.detect().get()
    }

    /// Without the sandbox the program deletes the file; in it, the file is not even there to delete.
    @Test(arguments: [false, true])
    func deletingAFileOutsideItsFolder(sandboxed: Bool) async throws {
        let file = try bystander()
        defer { try? FileManager.default.removeItem(atPath: (file as NSString).deletingLastPathComponent) }
        let result = try await grade("unlink(\"\(file)\")", sandboxed: sandboxed)
        #expect(result.status == Self.wrongShape)
        #expect(FileManager.default.fileExists(atPath: file) == sandboxed)
    }

    @Test func writingToTheGradersHome() async throws {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? "/root"
        let target = home + "/lessonkit-sandbox-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: target) }
        let result = try await grade("""
            let fd = open("\(target)", O_WRONLY | O_CREAT, 0o644); if fd >= 0 { close(fd); abort() }
            let own = getenv("HOME").map { String(cString: $0) } ?? ""; if own == "\(home)" { abort() }
            """)
        #expect(result.status == Self.wrongShape, "the program saw the grader's HOME or wrote into it")
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test(arguments: ["/etc/shadow", "another learner's file"])
    func readingWhatIsNotItsOwn(_ what: String) async throws {
        let path = what == "/etc/shadow" ? what : try bystander()
        let result = try await grade("if open(\"\(path)\", O_RDONLY) >= 0 { abort() }")
        #expect(result.status == Self.wrongShape, "the program could open \(what)")
    }

    @Test func openingAConnection() async throws {
        // A listener on the loopback interface, outside the sandbox.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                try #require(bind(listener, raw, length) == 0 && listen(listener, 4) == 0 && getsockname(listener, raw, &length) == 0)
            }
        }
        let port = UInt16(bigEndian: address.sin_port)
        let result = try await grade("""
            var a = sockaddr_in(); a.sin_family = sa_family_t(AF_INET); a.sin_addr.s_addr = inet_addr("127.0.0.1"); a.sin_port = in_port_t(\(port)).bigEndian
            let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            let connected = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            if connected == 0 { abort() }
            """)
        #expect(result.status == Self.wrongShape, "the program reached 127.0.0.1:\(port)")
    }

    /// Forking without end meets the process limit, then the time limit; no process is left behind.
    @Test func forkingWithoutEnd() async throws {
        let name = "lkbomb\(Int.random(in: 1000...9999))"        // the forked children inherit the process's name
        let result = try await grade("""
            let fd = open("/proc/self/comm", O_WRONLY); _ = write(fd, "\(name)", \(name.utf8.count)); close(fd)
            while true { _ = fork() }
            """, timeout: .seconds(5))
        switch result.status {
        case .timeout: break
        case .crash(let message, _): #expect(message.contains("SIGXCPU") || message.contains("SIGKILL"), "\(message)")
        default: Issue.record("a fork bomb was graded \(result.status)")
        }
        try await Task.sleep(for: .seconds(1))
        #expect(processes(whose: "comm", contains: name).isEmpty, "processes outlived the grading")
    }

    /// Each run gets a user of its own only where the id map covers the range they are drawn from: not in a
    /// container that maps 65536 ids, where every run is `nobody`.
    @Test func usersOfTheirOwnOnlyWhereTheyAreMapped() {
        #expect(Sandbox.maps("         0          0 4294967295\n", Sandbox.runUsers))
        #expect(!Sandbox.maps("         0       1000          1\n         1     100000      65536\n", Sandbox.runUsers))
        #expect(Sandbox.maps("0 0 1\n1 100000 65536\n", 60000..<65535))
        #expect(!Sandbox.maps("", Sandbox.runUsers))
    }

    /// While one program forks without end, another, graded at the same time, still starts its threads: each
    /// program's processes are counted against its own limit, not against a user that all programs share.
    /// Only where runs get users of their own: as root, with the id map covering them (docs/grader-security.md).
    @Test(.enabled(if: geteuid() == 0 && Sandbox.runUsersAreMapped()))
    func aForkBombLeavesOtherProgramsTheirThreads() async throws {
        async let bomb = grade("while true { _ = fork() }", timeout: .seconds(6))
        async let neighbour = grade("""
            let end = time(nil) + 4
            while time(nil) < end {
                var thread = pthread_t()
                guard pthread_create(&thread, nil, { _ in nil }, nil) == 0 else { fatalError("pthread_create was refused") }
                pthread_join(thread, nil)
            }
            """)
        let (bombed, result) = try await (bomb, neighbour)
        #expect(bombed.status != Self.wrongShape)
        #expect(result.status == Self.wrongShape, "a program beside a fork bomb was graded \(result.status)")
    }

    @Test func allocatingEightGiB() async throws {
        let result = try await grade("""
            let size = 8 << 30
            guard let p = malloc(size) else { fatalError("the allocation of 8 GiB was refused") }
            memset(p, 1, size)
            """)
        guard case .crash(let message, _) = result.status else { Issue.record("graded \(result.status)"); return }
        #expect(message.contains("8 GiB was refused"))
    }

    @Test func writingOneGiB() async throws {
        let result = try await grade("""
            let fd = open("big", O_WRONLY | O_CREAT, 0o644)
            var chunk = [UInt8](repeating: 1, count: 1 << 20)
            for _ in 0..<1024 { guard write(fd, &chunk, chunk.count) == chunk.count else { fatalError("a write was refused") } }
            """)
        guard case .crash(let message, _) = result.status else { Issue.record("graded \(result.status)"); return }
        #expect(message.contains("SIGXFSZ") || message.contains("a write was refused"), "\(message)")
    }

    /// A child that sleeps past the time limit, after its parent has returned, dies with the sandbox.
    @Test func aChildThatOutlivesItsParent() async throws {
        let marker = "29.\(Int.random(in: 100...999))"
        let result = try await grade("_ = system(\"/bin/sleep \(marker) &\")")
        #expect(result.status == Self.wrongShape)
        try await Task.sleep(for: .seconds(1))
        let survivors = processes(whose: "cmdline", contains: marker)
        #expect(survivors.isEmpty, "the sleeping child outlived the grading: \(survivors)")
    }
}
