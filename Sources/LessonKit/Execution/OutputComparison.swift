/// Compares a snippet's real output with the `output` block its author wrote.
///
/// Text must match exactly, up to trailing spaces and blank lines at the end; numbers
/// match within a relative tolerance, so `0.3333` matches `0.33331` but not `0.34`.
public struct OutputComparison {
    public var relativeTolerance: Double = 1e-3
    public var absoluteTolerance: Double = 1e-9

    public init() {}

    /// nil when `actual` matches `expected`, otherwise a description of the first difference.
    public func difference(expected: String, actual: String) -> String? {
        let want = Self.tokens(Self.normalised(expected)), got = Self.tokens(Self.normalised(actual))
        for (i, pair) in zip(want, got).enumerated() {
            switch pair {
            case (.number(let a, _), .number(let b, _))
                where abs(a - b) <= absoluteTolerance + relativeTolerance * max(abs(a), abs(b)):
                continue
            case (.text(let a), .text(let b)) where a == b:
                continue
            default:
                return "expected \(pair.0.display) but got \(pair.1.display) (item \(i + 1))"
            }
        }
        if want.count != got.count {
            return want.count > got.count
                ? "the output ends early; next expected \(want[got.count].display)"
                : "the output goes on with \(got[want.count].display)"
        }
        return nil
    }

    enum Token: Equatable {
        case number(Double, String)
        case text(String)

        var display: String {
            switch self {
            case .number(_, let written): "number \(written)"
            case .text(let t): "'\(t)'"
            }
        }
    }

    static func normalised(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingSuffixWhitespace() }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    /// Splits text into numbers and the runs of text between them.
    static func tokens(_ text: String) -> [Token] {
        let chars = Array(text)
        var tokens: [Token] = []
        var pending = ""
        var i = 0
        func isDigit(_ j: Int) -> Bool { j < chars.count && chars[j].isASCIIDigit }
        while i < chars.count {
            let startsNumber = isDigit(i) || ((chars[i] == "-" || chars[i] == "+") && isDigit(i + 1)
                && (i == 0 || !(chars[i - 1].isLetter || chars[i - 1].isASCIIDigit)))
            guard startsNumber else { pending.append(chars[i]); i += 1; continue }
            var j = i + 1
            while isDigit(j) { j += 1 }
            if j < chars.count, chars[j] == ".", isDigit(j + 1) { j += 1; while isDigit(j) { j += 1 } }
            if j < chars.count, chars[j] == "e" || chars[j] == "E" {
                var k = j + 1
                if k < chars.count, chars[k] == "-" || chars[k] == "+" { k += 1 }
                if isDigit(k) { j = k; while isDigit(j) { j += 1 } }
            }
            let written = String(chars[i..<j])
            if !pending.isEmpty { tokens.append(.text(pending)); pending = "" }
            tokens.append(.number(Double(written) ?? .nan, written))
            i = j
        }
        if !pending.isEmpty { tokens.append(.text(pending)) }
        return tokens
    }
}
