/// A diagram of boxes, pointwise operations, arrows and labels: unrolled graphs and cells, drawn by the code.
///
/// Coordinates are pixels in a `width × height` canvas, y growing downwards; boxes and operations
/// are placed by their centres. The white background keeps it legible in the dark theme, and
/// the SVG scales to a phone's width.
///
/// ```swift
/// var d = Diagram(title: "One RNN step", width: 300, height: 160)
/// d.box("cell", x: 150, y: 80)
/// d.arrow(from: (150, 140), to: (150, 97))                 // x⟨t⟩ into the cell
/// d.label("x⟨t⟩", x: 150, y: 155)
/// show(d)
/// ```
public struct Diagram: Figure {
    /// How a box is filled: a plain box, a gate (a sigmoid layer), or a layer with another nonlinearity.
    public enum Style: Sendable {
        case plain, gate, layer, highlight

        var fill: String {
            switch self {
            case .plain: "#f4f6fa"
            case .gate: "#fde9c8"
            case .layer: "#dcebf7"
            case .highlight: "#e3f3e0"
            }
        }
    }

    public var title: String
    public var width: Double
    public var height: Double
    public var caption: String { title }
    private var builder: SVGBuilder

    public init(title: String, width: Double, height: Double) {
        self.title = title
        self.width = width
        self.height = height
        builder = SVGBuilder(width: width, height: height + 30)
        builder.text(title, x: width / 2, y: 20, anchor: "middle", size: 15, weight: "bold")
    }

    /// The canvas is drawn 30 pixels below the title.
    private func shifted(_ y: Double) -> Double { y + 30 }

    /// A box centred at (x, y) with a centred label.
    public mutating func box(_ label: String, x: Double, y: Double, width: Double = 64, height: Double = 34, style: Style = .plain) {
        builder.box(x: x - width / 2, y: shifted(y) - height / 2, width: width, height: height, fill: style.fill, stroke: "#333")
        builder.text(label, x: x, y: shifted(y) + 5, anchor: "middle", size: 13)
    }

    /// A pointwise operation, such as ×, + or tanh, in a circle centred at (x, y).
    public mutating func operation(_ symbol: String, x: Double, y: Double, radius: Double = 13) {
        builder.ring(x: x, y: shifted(y), radius: radius, fill: "#ffffff", stroke: "#333")
        builder.text(symbol, x: x, y: shifted(y) + 5, anchor: "middle", size: symbol.count > 2 ? 10 : 15)
    }

    /// An arrow along straight segments through `points`, with its head at the last point.
    public mutating func arrow(through points: [(Double, Double)], dashed: Bool = false, bold: Bool = false) {
        builder.arrow(points.map { ($0.0, shifted($0.1)) }, color: "#333", width: bold ? 3 : 1.5, dashed: dashed)
    }

    /// A straight arrow from one point to another.
    public mutating func arrow(from start: (Double, Double), to end: (Double, Double), dashed: Bool = false, bold: Bool = false) {
        arrow(through: [start, end], dashed: dashed, bold: bold)
    }

    /// Text centred (or anchored `"start"` / `"end"`) at (x, y).
    public mutating func label(_ text: String, x: Double, y: Double, size: Double = 13, anchor: String = "middle") {
        builder.text(text, x: x, y: shifted(y) + 4, anchor: anchor, size: size)
    }

    public var svg: String { builder.finished() }
}
