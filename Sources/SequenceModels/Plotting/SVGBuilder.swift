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
        let (left, right) = (x.pixelStart, x.pixelEnd), (bottom, top) = (y.pixelStart, y.pixelEnd)
        text(title, x: width / 2, y: 22, anchor: "middle", size: 15, weight: "bold")
        frame(left: left, top: top, right: right, bottom: bottom)
        for tick in x.ticks() {
            let px = x.pixel(tick.value)
            line(x1: px, y1: bottom, x2: px, y2: bottom + 5, color: "#333")
            text(tick.label, x: px, y: bottom + 18, anchor: "middle", size: 11)
        }
        for tick in y.ticks() {
            let py = y.pixel(tick.value)
            line(x1: left, y1: py, x2: right, y2: py, color: "#e4e4e4")
            text(tick.label, x: left - 8, y: py + 4, anchor: "end", size: 11)
        }
        text(xLabel, x: (left + right) / 2, y: height - 12, anchor: "middle", size: 12)
        text(yLabel, x: 16, y: (top + bottom) / 2, anchor: "middle", size: 12, rotate: -90)
    }

    func finished() -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(svgNumber(width)) \(svgNumber(height))\" width=\"\(svgNumber(width))\" height=\"\(svgNumber(height))\" font-family=\"sans-serif\">"
            + body.joined() + "</svg>"
    }
}
