/// Accumulates SVG elements with escaped text and fixed-precision coordinates.
struct SVGBuilder {
    private var body: [String] = []
    let width: Double
    let height: Double

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
        body.append("<rect width=\"\(svgNumber(width))\" height=\"\(svgNumber(height))\" fill=\"#ffffff\"/>")
    }

    mutating func text(_ content: String, x: Double, y: Double, anchor: String, size: Double,
                       weight: String = "normal", rotate: Double? = nil) {
        let transform = rotate.map { " transform=\"rotate(\(svgNumber($0)) \(svgNumber(x)) \(svgNumber(y)))\"" } ?? ""
        body.append("<text x=\"\(svgNumber(x))\" y=\"\(svgNumber(y))\" text-anchor=\"\(anchor)\" font-size=\"\(svgNumber(size))\" font-weight=\"\(weight)\"\(transform)>\(content.xmlEscaped)</text>")
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, color: String, width: Double = 1) {
        body.append("<line x1=\"\(svgNumber(x1))\" y1=\"\(svgNumber(y1))\" x2=\"\(svgNumber(x2))\" y2=\"\(svgNumber(y2))\" stroke=\"\(color)\" stroke-width=\"\(svgNumber(width))\"/>")
    }

    mutating func frame(left: Double, top: Double, right: Double, bottom: Double) {
        body.append("<rect x=\"\(svgNumber(left))\" y=\"\(svgNumber(top))\" width=\"\(svgNumber(right - left))\" height=\"\(svgNumber(bottom - top))\" fill=\"none\" stroke=\"#333\"/>")
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String) {
        body.append("<rect x=\"\(svgNumber(x))\" y=\"\(svgNumber(y))\" width=\"\(svgNumber(width))\" height=\"\(svgNumber(height))\" fill=\"\(fill)\"/>")
    }

    mutating func circle(x: Double, y: Double, radius: Double, fill: String) {
        body.append("<circle cx=\"\(svgNumber(x))\" cy=\"\(svgNumber(y))\" r=\"\(svgNumber(radius))\" fill=\"\(fill)\"/>")
    }

    mutating func polyline(_ points: [(Double, Double)], color: String) {
        guard !points.isEmpty else { return }
        let list = points.map { "\(svgNumber($0.0)),\(svgNumber($0.1))" }.joined(separator: " ")
        body.append("<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>")
    }

    /// The title, the plot frame, tick marks and labels on both axes (with light horizontal gridlines),
    /// and the axis labels: everything a chart draws before its data.
    mutating func chartFrame(title: String, x: Axis, y: Axis, xLabel: String, yLabel: String) {
        chartFrame(title: title, left: x.pixelStart, right: x.pixelEnd,
                   xTicks: x.ticks().map { (x.pixel($0.value), $0.label) }, y: y, xLabel: xLabel, yLabel: yLabel)
    }

    /// The same frame with x ticks given as pixels and labels, for a categorical x axis.
    mutating func chartFrame(title: String, left: Double, right: Double, xTicks: [(pixel: Double, label: String)],
                             y: Axis, xLabel: String, yLabel: String) {
        let (bottom, top) = (y.pixelStart, y.pixelEnd)
        text(title, x: width / 2, y: 22, anchor: "middle", size: 15, weight: "bold")
        frame(left: left, top: top, right: right, bottom: bottom)
        for tick in xTicks {
            line(x1: tick.pixel, y1: bottom, x2: tick.pixel, y2: bottom + 5, color: "#333")
            text(tick.label, x: tick.pixel, y: bottom + 18, anchor: "middle", size: 11)
        }
        for tick in y.ticks() {
            let py = y.pixel(tick.value)
            line(x1: left, y1: py, x2: right, y2: py, color: "#e4e4e4")
            text(tick.label, x: left - 8, y: py + 4, anchor: "end", size: 11)
        }
        text(xLabel, x: (left + right) / 2, y: height - 12, anchor: "middle", size: 12)
        text(yLabel, x: 16, y: (top + bottom) / 2, anchor: "middle", size: 12, rotate: -90)
    }

    /// A rectangle with rounded corners and an outline, for the boxes of a diagram.
    mutating func box(x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String) {
        body.append("<rect x=\"\(svgNumber(x))\" y=\"\(svgNumber(y))\" width=\"\(svgNumber(width))\" height=\"\(svgNumber(height))\" rx=\"6\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"1.5\"/>")
    }

    /// An outlined circle, for a diagram's pointwise operations.
    mutating func ring(x: Double, y: Double, radius: Double, fill: String, stroke: String) {
        body.append("<circle cx=\"\(svgNumber(x))\" cy=\"\(svgNumber(y))\" r=\"\(svgNumber(radius))\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"1.5\"/>")
    }

    /// A path through `points` ending in an arrowhead.
    mutating func arrow(_ points: [(Double, Double)], color: String, width: Double, dashed: Bool) {
        guard points.count >= 2 else { return }
        usesArrowheads = true
        let list = points.map { "\(svgNumber($0.0)),\(svgNumber($0.1))" }.joined(separator: " ")
        let dash = dashed ? " stroke-dasharray=\"5 4\"" : ""
        body.append("<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(svgNumber(width))\"\(dash) marker-end=\"url(#arrowhead)\"/>")
    }

    private var usesArrowheads = false

    func finished() -> String {
        let defs = usesArrowheads
            ? "<defs><marker id=\"arrowhead\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#333\"/></marker></defs>"
            : ""
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(svgNumber(width)) \(svgNumber(height))\" width=\"\(svgNumber(width))\" height=\"\(svgNumber(height))\" font-family=\"sans-serif\">"
            + defs + body.joined() + "</svg>"
    }
}
