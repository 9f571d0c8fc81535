import Foundation

/// A Gradescope autograder bundle, laid out as Gradescope's autograder specification asks:
/// `setup.sh` and `run_autograder` at the root, beside the course's sources.
///
/// `setup.sh` runs once, as root, when Gradescope builds the image: it installs the Debian/Ubuntu packages
/// and the Swift toolchain this bundle was made with, builds the core and the `lessons` tool, and compiles
/// every exercise's shared grading parts. `run_autograder` runs once per submission, in its own container:
/// it grades `/autograder/submission` (laid out like `Exercises/`, or holding an `Exercises/` folder) and
/// writes `/autograder/results/results.json`.
public struct GradescopeBundle {
    /// The Swift release to install, such as `swift-6.3.1-RELEASE`.
    public var swiftRelease: String
    /// The Ubuntu release of the Gradescope image, as swift.org names its builds: `ubuntu22.04`.
    public var ubuntu = "ubuntu22.04"
    /// `--points NAME=N` arguments, passed on to `lessons grade`.
    public var points: [String] = []
    /// Whether `run_autograder` grades in the sandbox; without it, it passes `--no-sandbox` on.
    public var sandboxed = true

    public init(swiftRelease: String, points: [String] = [], sandboxed: Bool = true) {
        self.swiftRelease = swiftRelease
        self.points = points
        self.sandboxed = sandboxed
    }

    /// The Swift release named by `swiftc --version`'s output ("Swift version 6.3.1 (swift-6.3.1-RELEASE)").
    public static func release(fromVersion text: String) -> String? {
        guard let open = text.range(of: "(swift-"), let close = text[open.upperBound...].firstIndex(of: ")") else { return nil }
        return "swift-" + text[open.upperBound..<close]
    }

    /// The packages `setup.sh` installs: the course's own (Makefile's APT_PACKAGES) and the toolchain's.
    static let packages = "curl ca-certificates python3 pkg-config libcmark-dev libopenblas-dev bubblewrap binutils git gnupg2 libc6-dev "
        + "libcurl4-openssl-dev libedit2 libgcc-11-dev libpython3-dev libsqlite3-0 libstdc++-11-dev libxml2-dev libz3-dev tzdata unzip zlib1g-dev"

    /// `setup.sh`: the packages and the toolchain, then `build.sh`.
    public var setupScript: String {
        let folder = "\(swiftRelease)-\(ubuntu)"
        let url = "https://download.swift.org/\(swiftRelease.lowercased())/\(ubuntu.replacingOccurrences(of: ".", with: ""))/\(swiftRelease)/\(folder).tar.gz"
        return """
            #!/usr/bin/env bash
            # Run once by Gradescope, as root, when it builds the autograder's image (made by `lessons autograder`).
            set -euo pipefail
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -qq
            apt-get install -y -qq \(Self.packages)
            # The Swift toolchain the bundle was made with, from swift.org.
            mkdir -p /opt/swift
            curl -fsSL \(url) | tar -xz -C /opt/swift --strip-components=1
            export PATH=/opt/swift/usr/bin:$PATH
            bash /autograder/source/build.sh

            """
    }

    /// `build.sh`: builds the core and `lessons` in the bundle's folder, and compiles every exercise's shared parts.
    public var buildScript: String {
        """
        #!/usr/bin/env bash
        # The build steps of setup.sh, in the folder that holds this script (made by `lessons autograder`).
        set -euo pipefail
        cd "$(dirname "$0")"
        swift build -c release --product SequenceModels
        swift build -c release --product lessons
        # Compile every exercise's checks and reference solutions now, once, rather than in each submission's run.
        # (Stubs with a comment added are graded, and each crashes at its trap in a moment.)
        warm=$(mktemp -d)
        .build/release/lessons exercises --exercises-folder "$warm/stubs" > /dev/null
        find "$warm/stubs" -name '*.swift' -exec sh -c 'echo "// warm-up" >> "$1"' _ {} \\;
        .build/release/lessons grade --submissions "$warm" --gradebook "$warm/warm-up.csv" --reports "$warm/reports" \\
            --build-folder .cache/grading --no-sandbox > /dev/null
        rm -rf "$warm"

        """
    }

    public var runScript: String {
        let pointArguments = points.map { " --points " + $0 }.joined() + (sandboxed ? "" : " --no-sandbox")
        return """
            #!/usr/bin/env bash
            # Run by Gradescope for each submission, in its own container (made by `lessons autograder`).
            # AUTOGRADER_ROOT, LESSONS and CORE may be set to try it outside Gradescope.
            set -uo pipefail
            ROOT="${AUTOGRADER_ROOT:-/autograder}"
            SOURCE="$ROOT/source"
            LESSONS="${LESSONS:-$SOURCE/.build/release/lessons}"
            CORE="${CORE:-$SOURCE/.build/release}"
            SUBMISSION="$ROOT/submission"
            if [ -d "$SUBMISSION/Exercises" ]; then SUBMISSION="$SUBMISSION/Exercises"; fi
            mkdir -p "$ROOT/results"
            cd "$SOURCE"
            "$LESSONS" grade --lessons-folder "$SOURCE/Lessons" --exercises-folder "$SUBMISSION" --core "$CORE" \\
                --build-folder "$SOURCE/.cache/grading" --gradescope "$ROOT/results/results.json"\(pointArguments)
            # A failing exercise is a score, not an error of the autograder.
            [ -f "$ROOT/results/results.json" ]

            """
    }

    /// What the bundle copies from the project that builds the core and the tool: what `swift build` needs
    /// (the manifest's test targets included, and `Package.resolved` for the pinned versions, when there is one).
    static let projectItems = ["Package.swift", "Package.resolved", "Sources", "Tests", "Makefile", "README.md", "docs"]

    /// Writes the bundle into `folder`: the scripts, the lessons of `lessonsFolder` as `Lessons/`, and the sources of
    /// `projectRoot`. It is written beside `folder` and renamed into place only when whole, so a failure leaves nothing.
    public func write(to folder: String, lessonsFolder: String, projectRoot: String) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: folder) {
            throw RunnerError("\(folder) already exists: choose a new folder, or remove it first")
        }
        guard fm.fileExists(atPath: projectRoot + "/Package.swift") else {
            throw RunnerError("\(projectRoot) holds no Package.swift: pass --project, the checkout that builds the core and `lessons`")
        }
        let staging = folder + ".partial-\(UUID().uuidString)"
        try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
        do {
            for (name, text) in [("setup.sh", setupScript), ("build.sh", buildScript), ("run_autograder", runScript)] {
                let path = staging + "/" + name
                try text.write(toFile: path, atomically: true, encoding: .utf8)
                try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
            }
            for item in Self.projectItems {
                let source = (projectRoot as NSString).appendingPathComponent(item)
                if fm.fileExists(atPath: source) { try fm.copyItem(atPath: source, toPath: staging + "/" + item) }
            }
            try fm.copyItem(atPath: lessonsFolder, toPath: staging + "/Lessons")
            try fm.moveItem(atPath: staging, toPath: folder)
        } catch {
            try? fm.removeItem(atPath: staging)
            throw error
        }
    }
}

extension GradeReport {
    /// Gradescope's `results.json`: the total score, the time, a summary, and one test per exercise with
    /// its points (1 each unless `points` says otherwise), `passed` or `failed`, and what the grade table says.
    public func gradescope(points: [String: Double], seconds: Double) throws -> String {
        struct Test: Encodable {
            let name: String, score: Double, max_score: Double, status: String, output: String, visibility: String
        }
        struct Results: Encodable {
            let score: Double, execution_time: Int, output: String, tests: [Test]
        }
        let tests = results.map { result in
            let worth = points[result.exercise] ?? 1
            return Test(name: "\(result.lesson) · \(result.exercise)", score: result.status == .pass ? worth : 0, max_score: worth,
                        status: result.status == .pass ? "passed" : "failed",
                        output: result.summary,
                        visibility: "visible")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let document = Results(score: tests.reduce(0) { $0 + $1.score }, execution_time: Int(seconds.rounded(.up)),
                               output: "\(passed) of \(results.count) exercises pass", tests: tests)
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }
}
