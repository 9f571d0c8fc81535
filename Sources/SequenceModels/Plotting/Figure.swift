/// Anything that draws itself as a standalone SVG document.
public protocol Figure {
    /// The figure as SVG text. The same figure always gives the same bytes.
    var svg: String { get }
    /// A one-line caption shown under the figure on the lesson page.
    var caption: String { get }
}

/// Hands a figure to the lesson runner, which puts it on the page under the current snippet.
///
/// Outside the runner this prints the SVG between two marker lines, which is harmless.
public func show(_ figure: some Figure) {
    print(FigureMarker.begin + figure.caption.replacingControlCharacters())
    print(figure.svg)
    print(FigureMarker.end)
}

/// The lines that frame a figure in a lesson program's standard output.
public enum FigureMarker {
    /// Starts a figure; the caption follows on the same line.
    public static let begin = "\u{1}lessonkit-figure-begin "
    /// Ends a figure.
    public static let end = "\u{1}lessonkit-figure-end"
}

extension String {
    func replacingControlCharacters() -> String {
        String(unicodeScalars.map { $0.value < 0x20 ? " " : Character($0) })
    }

    /// The string with `& < > " '` escaped for SVG and HTML text and quoted attributes.
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
