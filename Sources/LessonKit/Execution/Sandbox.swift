import Foundation

/// Bubblewrap around a learner's program: it sees the toolchain, the core library, its own binary and its own
/// run folder, read-only but for that folder, and nothing else of the machine.
///
/// The program gets no network (a new network namespace), sees no other process (a new PID namespace, killed
/// with its parent), and receives no environment but the variables it is given. `prlimit` caps its CPU time,
/// address space, processes, file size and open files. Started as root, each program runs as a user of its
/// own, a uid drawn at random from an unused range: the kernel does not hold root's processes to a process limit,
/// and it counts processes per user, so programs sharing one user (`nobody`) would share one allowance, and one
/// learner's fork bomb would leave another's program unable to start a thread.
///
/// ```
/// bwrap --unshare-… --die-with-parent --new-session --ro-bind /usr /usr … --bind RUN RUN --chdir RUN --clearenv …
///       -- [setpriv --reuid=UID …] prlimit --cpu=… --as=… --nproc=… --fsize=… --nofile=… -- PROGRAM
/// ```
public struct Sandbox: Sendable {
    /// What one program may use.
    public struct Limits: Sendable {
        /// Address space, 1 GiB.
        public var memoryBytes = 1 << 30
        /// Processes and threads, beyond those its user already runs.
        public var processes = 64
        /// The largest file it may write, 64 MiB.
        public var fileSizeBytes = 64 << 20
        public var openFiles = 256

        public init() {}
    }

    public var limits = Limits()
    let bwrap: String, prlimit: String
    /// `setpriv`, when this process is root and the program must run as a user of its own.
    let setpriv: String?
    /// The processes (threads included) that the program's user already runs: the kernel counts them against
    /// the process limit too.
    let processesAlreadyRunning: Int

    /// The uids (and gids) programs started by root run as, one drawn for each run: far above the ranges
    /// Debian gives to users (below 60000), systemd's dynamic users (61184–65519) and container maps (100000 + 65536·k).
    static let runUsers: Range<UInt32> = 0x5000_0000..<0x6000_0000
    /// The uid and gid programs started by root share where ``runUsers`` is not mapped (a container that maps
    /// 65536 uids): one process allowance for all of them, as before each run had a user of its own.
    static let nobody: UInt32 = 65534
    /// Whether each run, started by root, gets a user of its own from ``runUsers``; else all run as ``nobody``.
    let usersOfTheirOwn: Bool

    /// Whether this process's uid and gid maps (`/proc/self/uid_map`, `gid_map`) cover ``runUsers``.
    static func runUsersAreMapped() -> Bool {
        ["uid_map", "gid_map"].allSatisfy { maps((try? String(contentsOfFile: "/proc/self/" + $0, encoding: .utf8)) ?? "", runUsers) }
    }

    /// Whether `map` (the text of `/proc/self/uid_map` or `gid_map`: lines "inside outside count") maps every id of `ids`.
    static func maps(_ map: String, _ ids: Range<UInt32>) -> Bool {
        map.split(separator: "\n").contains { line in
            let numbers = line.split(separator: " ").compactMap { UInt64($0) }
            return numbers.count == 3 && numbers[0] <= UInt64(ids.lowerBound) && UInt64(ids.upperBound) <= numbers[0] + numbers[2]
        }
    }

    /// The sandbox, if this machine can start one, or why it cannot.
    ///
    /// Finds `bwrap`, `prlimit` and (as root) `setpriv` on the `PATH`, then starts `true` in a sandbox once.
    public static func detect() async -> Result<Sandbox, SandboxUnavailable> {
        let root = geteuid() == 0
        guard let bwrap = onPath("bwrap") else {
            return .failure(SandboxUnavailable("bwrap is not installed (Debian's package bubblewrap: apt-get install bubblewrap)"))
        }
        guard let prlimit = onPath("prlimit") else {
            return .failure(SandboxUnavailable("prlimit is not installed (Debian's package util-linux)"))
        }
        let setpriv = onPath("setpriv")
        if root && setpriv == nil {
            return .failure(SandboxUnavailable("setpriv is not installed (Debian's package util-linux), so the program cannot run as nobody"))
        }
        let sandbox = Sandbox(bwrap: bwrap, prlimit: prlimit, setpriv: root ? setpriv : nil,
                              processesAlreadyRunning: root ? 0 : processesOfThisUser(), usersOfTheirOwn: runUsersAreMapped())
        let probeFolder = NSTemporaryDirectory() + "lessonkit-sandbox-probe-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: probeFolder) }
        let outcome: ProcessOutcome?
        do {
            try FileManager.default.createDirectory(atPath: probeFolder, withIntermediateDirectories: true)
            let user = try sandbox.prepare(runFolder: probeFolder)
            let probe = sandbox.command(running: "/usr/bin/true", runFolder: probeFolder, readable: [], environment: [:],
                                        cpuSeconds: 5, user: user)
            outcome = try await ChildProcess.run(probe.executable, arguments: probe.arguments, workingDirectory: probeFolder, timeout: .seconds(20))
        } catch {
            outcome = nil
        }
        guard let outcome, outcome.ending == .exited(0) else {
            let said = outcome?.standardError.trimmingCharacters(in: .whitespacesAndNewlines) ?? "it did not start"
            return .failure(SandboxUnavailable("bwrap cannot start a sandbox here (\(said)); user namespaces may be switched off"))
        }
        return .success(sandbox)
    }

    /// The command that runs `program` in the sandbox, in `runFolder`, as `user` (from ``prepare(runFolder:)``),
    /// with only `environment` and the folders `readable` (read-only) besides the system's libraries.
    func command(running program: String, runFolder: String, readable: [String], environment: [String: String],
                 cpuSeconds: Int, user: UInt32) -> (executable: String, arguments: [String]) {
        var arguments = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
        if setpriv == nil { arguments.append("--unshare-user") }        // an unprivileged bwrap needs a user namespace
        arguments += ["--die-with-parent", "--new-session", "--ro-bind", "/usr", "/usr", "--perms", "0755", "--dir", "/etc"]
        // Debian's alternatives (libopenblas.so.0 among them) are symbolic links through /etc/alternatives.
        for folder in ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc/ld.so.cache", "/etc/localtime", "/etc/alternatives"] {
            arguments += ["--ro-bind-try", folder, folder]              // symbolic links into /usr on merged systems
        }
        arguments += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
        // bwrap makes the folders above a mount point readable by its owner alone: make them 0755, so that nobody gets through.
        var made: Set<String> = ["/", "/usr", "/tmp", "/proc", "/dev"]
        for path in readable + [runFolder] {
            var above: [String] = []
            var folder = (path as NSString).deletingLastPathComponent
            while !made.contains(folder) && folder != "/" {
                above.append(folder)
                folder = (folder as NSString).deletingLastPathComponent
            }
            for folder in above.reversed() { arguments += ["--perms", "0755", "--dir", folder]; made.insert(folder) }
        }
        for path in readable { arguments += ["--ro-bind", path, path] }
        arguments += ["--bind", runFolder, runFolder, "--chdir", runFolder, "--clearenv",
                      "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", runFolder, "--setenv", "LANG", "C.UTF-8"]
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) { arguments += ["--setenv", name, value] }
        arguments.append("--")
        if let setpriv {
            arguments += [setpriv, "--reuid=\(user)", "--regid=\(user)", "--clear-groups", "--inh-caps=-all",
                          "--no-new-privs", "--"]
        }
        arguments += [prlimit, "--cpu=\(cpuSeconds)", "--as=\(limits.memoryBytes)",
                      "--nproc=\(processesAlreadyRunning + limits.processes)", "--fsize=\(limits.fileSizeBytes)",
                      "--nofile=\(limits.openFiles)", "--core=0", "--", program]
        return (bwrap, arguments)
    }

    /// Makes `runFolder` the program's and returns the user it runs as: as root, a user of its own, drawn from
    /// ``runUsers`` (or ``nobody``, where those are not mapped), who is given the folder (it could not write to it
    /// otherwise); else this process's user.
    func prepare(runFolder: String) throws -> UInt32 {
        guard setpriv != nil else { return getuid() }
        var generator = SystemRandomNumberGenerator()
        let user = usersOfTheirOwn ? UInt32.random(in: Self.runUsers, using: &generator) : Self.nobody
        guard chown(runFolder, user, user) == 0 else {
            throw RunnerError("the sandbox could not hand \(runFolder) to uid \(user): \(String(cString: strerror(errno)))")
        }
        return user
    }

    /// How the program ended: bwrap exits with 128 + N when a signal N ended the program.
    func ending(_ bwrapEnding: ProcessEnding) -> ProcessEnding {
        if case .exited(let status) = bwrapEnding, status > 128, status <= 128 + 64 { return .signaled(status - 128) }
        return bwrapEnding
    }

    /// `name`'s absolute path, from the `PATH` or the usual system folders.
    static func onPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin", "/usr/sbin", "/sbin"]
        return folders.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The tasks (processes and threads) this process's user runs now, from `/proc`.
    static func processesOfThisUser() -> Int {
        let uid = String(getuid())
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var count = 0
        for entry in entries where entry.allSatisfy(\.isNumber) {
            guard let status = try? String(contentsOfFile: "/proc/\(entry)/status", encoding: .utf8) else { continue }
            let lines = status.split(separator: "\n")
            guard lines.contains(where: { $0.hasPrefix("Uid:") && $0.split(separator: "\t").dropFirst().first.map(String.init) == uid })
            else { continue }
            count += lines.first { $0.hasPrefix("Threads:") }.flatMap { Int($0.dropFirst(8).trimmingCharacters(in: .whitespaces)) } ?? 1
        }
        return count
    }
}

/// Why this machine cannot start the sandbox.
public struct SandboxUnavailable: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
