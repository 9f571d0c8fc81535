/// A line chart of one or more series, with axis labels, a legend, and an optional log scale.
///
/// ```swift
/// var chart = LineChart(title: "Loss", xLabel: "step", yLabel: "nats")
/// chart.add("train", x: steps, y: losses)
/// show(chart)
/// ```
public struct LineChart: Figure {
    /// One named line.
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    /// Plots y on a base-10 log scale; non-positive values are left out.
    public var logScaleY: Bool
    public private(set) var series: [Series] = []
    public var caption: String { title }

    public init(title: String, xLabel: String, yLabel: String, logScaleY: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logScaleY = logScaleY
    }

    /// Adds a series; `x` and `y` must have the same length.
    public mutating func add<X: BinaryFloatingPoint, Y: BinaryFloatingPoint>(_ name: String, x: [X], y: [Y]) {
        require(x.count == y.count, "LineChart.add: \(x.count) x values but \(y.count) y values")
        series.append(Series(name: name, points: zip(x, y).map { (Double($0), Double($1)) }))
    }

    /// Adds a series plotted against 0, 1, 2, ….
    public mutating func add<Y: BinaryFloatingPoint>(_ name: String, y: [Y]) {
        add(name, x: y.indices.map(Double.init), y: y)
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]

    public var svg: String {
        let width = 640.0, height = 360.0
        let left = 70.0, right = 150.0, top = 36.0, bottom = 52.0
        let all = series.flatMap(\.points)
        let xAxis = Axis(values: all.map(\.x), logarithmic: false, pixelStart: left, pixelEnd: width - right)
        let yAxis = Axis(values: all.map(\.y), logarithmic: logScaleY, pixelStart: height - bottom, pixelEnd: top)
        var s = SVGBuilder(width: width, height: height)
        s.chartFrame(title: title, x: xAxis, y: yAxis, xLabel: xLabel, yLabel: yLabel)
        for (i, line) in series.enumerated() {
            let color = Self.palette[i % Self.palette.count]
            let visible = line.points.filter { $0.y.isFinite && (!logScaleY || $0.y > 0) }
            s.polyline(visible.map { (xAxis.pixel($0.x), yAxis.pixel($0.y)) }, color: color)
            let legendY = top + 14 + Double(i) * 20
            s.line(x1: width - right + 12, y1: legendY - 4, x2: width - right + 32, y2: legendY - 4,
                   color: color, width: 2.5)
            s.text(line.name, x: width - right + 38, y: legendY, anchor: "start", size: 12)
        }
        return s.finished()
    }
}
