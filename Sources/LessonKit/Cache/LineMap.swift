import Foundation

/// Where a program's snippets and inline values stand in their lesson, and how to move a run's line numbers
/// when a prose edit shifts them: a cached run then reads as if it had run at the new lines.
struct LinePlaces: Codable, Equatable, Sendable {
    /// For each compiled snippet, in order: its fence line, its first code line, and its number of code lines.
    var snippets: [[Int]]
    /// Each inline value's line, in order.
    var values: [Int]

    init(snippets: [[Int]], values: [Int]) {
        self.snippets = snippets
        self.values = values
    }

    init(_ program: LessonProgram) {
        snippets = program.included.map { [$0.fence.line, $0.firstCodeLine, $0.code.split(separator: "\n", omittingEmptySubsequences: false).count] }
        values = program.values.map(\.location.line)
    }
}

/// Old line → new line, for the lines a run can mention: fences, code lines and inline values.
struct LineMap {
    private var table: [Int: Int] = [:]
    let path: String
    /// How places in the lesson are written: its path, and `Lesson/NN-x.md`, as the runtime writes a trap's `#fileID`.
    let spellings: [[UInt8]]

    /// The map between two placings of the same program; other lines stay where they are.
    init(from old: LinePlaces, to new: LinePlaces, path: String) {
        self.path = path
        spellings = [path, SwiftCompiler.programModule + "/" + (path as NSString).lastPathComponent].map { Array(($0 + ":").utf8) }
        for (was, now) in zip(old.snippets, new.snippets) where was != now {
            table[was[0]] = now[0]
            for offset in 0..<min(was[2], now[2]) { table[was[1] + offset] = now[1] + offset }
        }
        for (was, now) in zip(old.values, new.values) where was != now { table[was] = now }
    }

    var isIdentity: Bool { table.isEmpty }

    func line(_ old: Int) -> Int { table[old] ?? old }

    /// `text` with every `PATH:LINE` moved, as in a trap message `Lesson/05-x.md:120: Fatal error: …`.
    ///
    /// - Complexity: O(n) in the length of `text`.
    func text(_ text: String) -> String {
        guard !isIdentity else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if let needle = spellings.first(where: { i + $0.count <= bytes.count && bytes[i..<i + $0.count].elementsEqual($0) }) {
                out += needle
                i += needle.count
                var j = i
                while j < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[j]) { j += 1 }
                if j > i, let number = Int(String(decoding: bytes[i..<j], as: UTF8.self)) {
                    out += Array(String(line(number)).utf8)
                    i = j
                }
                continue
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A snippet's result with every line it mentions moved.
    func result(_ result: SnippetResult) -> SnippetResult {
        guard !isIdentity else { return result }
        var moved = result
        moved.items = result.items.map {
            switch $0 {
            case .text(let t): .text(text(t))
            case .figure(let caption, let svg): .figure(caption: caption, svg: svg)
            }
        }
        moved.errorText = text(result.errorText)
        moved.trap = result.trap.map(text)
        moved.checkFailure = result.checkFailure.map(text)
        moved.inlineValue = result.inlineValue.map(text)
        moved.failedClaims = result.failedClaims.map { FailedClaim(line: line($0.line), statement: $0.statement) }
        return moved
    }

    /// An error with its location and message moved.
    func error(_ error: LessonError) -> LessonError {
        var location = error.location
        if location.file == path { location.line = line(location.line) }
        return LessonError(location, text(error.message))
    }
}
