/// A grouped bar chart: one group of bars per category, one bar per series, from zero.
///
/// Use it when the x axis names categories rather than measures a quantity, so that no line
/// suggests values between them:
///
/// ```swift
/// var chart = BarChart(title: "Tagging accuracy", categories: ["ambiguous words", "all words"], yLabel: "accuracy")
/// chart.add("unidirectional", values: [0.49, 0.92])
/// chart.add("bidirectional", values: [1.0, 1.0])
/// show(chart)
/// ```
public struct BarChart: Figure {
    /// One named series: a value for every category.
    public struct Series: Sendable {
        public var name: String
        public var values: [Double]
    }

    public var title: String
    public var categories: [String]
    public var yLabel: String
    public private(set) var series: [Series] = []
    public var caption: String { title }

    public init(title: String, categories: [String], yLabel: String) {
        self.title = title
        self.categories = categories
        self.yLabel = yLabel
    }

    /// Adds a series; it needs one value per category.
    public mutating func add<Y: BinaryFloatingPoint>(_ name: String, values: [Y]) {
        require(values.count == categories.count, "BarChart.add: \(values.count) values for \(categories.count) categories")
        series.append(Series(name: name, values: values.map(Double.init)))
    }

    public var svg: String {
        let width = 640.0, height = 360.0
        let left = 70.0, right = 150.0, top = 36.0, bottom = 52.0
        // The axis starts at zero, so bar heights compare honestly.
        let yAxis = Axis(values: [0] + series.flatMap(\.values), logarithmic: false, pixelStart: height - bottom, pixelEnd: top)
        let groupWidth = (width - right - left) / Double(max(1, categories.count))
        let barWidth = groupWidth * 0.7 / Double(max(1, series.count))
        let centres = categories.indices.map { left + groupWidth * (Double($0) + 0.5) }
        var s = SVGBuilder(width: width, height: height)
        s.chartFrame(title: title, left: left, right: width - right, xTicks: Array(zip(centres, categories)),
                     y: yAxis, xLabel: "", yLabel: yLabel)
        for (i, bars) in series.enumerated() {
            let color = LineChart.palette[i % LineChart.palette.count]
            for (k, value) in bars.values.enumerated() where value.isFinite {
                let x = centres[k] - groupWidth * 0.35 + barWidth * Double(i)
                let (y, base) = (yAxis.pixel(max(value, 0)), yAxis.pixel(0))
                s.rect(x: x, y: y, width: barWidth, height: base - y, fill: color)
            }
            let legendY = top + 14 + Double(i) * 20
            s.rect(x: width - right + 12, y: legendY - 10, width: 20, height: 12, fill: color)
            s.text(bars.name, x: width - right + 38, y: legendY, anchor: "start", size: 12)
        }
        return s.finished()
    }
}
