/// Anything that draws itself as a standalone SVG document.
///
/// A lesson puts a figure on its page with `show(_:)`, which the lesson runner's prelude defines.
public protocol Figure {
    /// The figure as SVG text. The same figure always gives the same bytes.
    var svg: String { get }
    /// A one-line caption shown under the figure on the lesson page.
    var caption: String { get }
}

extension String {
    /// The string with `& < > " '` escaped for SVG text and quoted attributes.
    public var xmlEscaped: String {
        var out = ""
        for ch in self {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}

/// Formats a coordinate with two decimals, so SVG output is byte-for-byte reproducible.
func svgNumber(_ x: Double) -> String { formatScalar(x, decimals: 2) }
