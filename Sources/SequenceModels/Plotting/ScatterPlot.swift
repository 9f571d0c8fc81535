/// A scatter plot of labelled points, for 2-D projections of embeddings.
public struct ScatterPlot: Figure {
    public struct Point: Sendable {
        public var x: Double
        public var y: Double
        public var label: String
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public private(set) var points: [Point] = []
    public var caption: String { title }

    public init(title: String, xLabel: String, yLabel: String) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    /// Adds one point with its label (an empty label draws the point alone).
    public mutating func add<S: BinaryFloatingPoint>(x: S, y: S, label: String = "") {
        points.append(Point(x: Double(x), y: Double(y), label: label))
    }

    public var svg: String {
        let width = 640.0, height = 440.0, left = 70.0, right = 30.0, top = 36.0, bottom = 52.0
        let xAxis = Axis(values: points.map(\.x), logarithmic: false, pixelStart: left, pixelEnd: width - right)
        let yAxis = Axis(values: points.map(\.y), logarithmic: false, pixelStart: height - bottom, pixelEnd: top)
        var s = SVGBuilder(width: width, height: height)
        s.chartFrame(title: title, x: xAxis, y: yAxis, xLabel: xLabel, yLabel: yLabel)
        for point in points where point.x.isFinite && point.y.isFinite {
            let (x, y) = (xAxis.pixel(point.x), yAxis.pixel(point.y))
            s.circle(x: x, y: y, radius: 3.5, fill: LineChart.palette[0])
            if !point.label.isEmpty { s.text(point.label, x: x + 6, y: y - 5, anchor: "start", size: 11) }
        }
        return s.finished()
    }
}
