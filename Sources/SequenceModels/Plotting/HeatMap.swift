/// A heat map of a matrix, for attention weights and gate activations: one coloured cell per element.
///
/// Row labels run down the left, column labels along the bottom, and a colour bar shows the
/// scale from the smallest to the largest value (or the given range).
public struct HeatMap: Figure {
    public var title: String
    public var values: [[Double]]
    public var rowLabels: [String]
    public var columnLabels: [String]
    public var xLabel: String
    public var yLabel: String
    /// The values at the two ends of the colour scale; nil uses the data's extremes.
    public var range: ClosedRange<Double>?
    public var caption: String { title }

    public init<Scalar: MatrixScalar>(title: String, matrix: Matrix<Scalar>, rowLabels: [String]? = nil,
                                      columnLabels: [String]? = nil, xLabel: String = "", yLabel: String = "",
                                      range: ClosedRange<Double>? = nil) {
        require(rowLabels == nil || rowLabels!.count == matrix.rows,
                "HeatMap: \(rowLabels?.count ?? 0) row labels for \(matrix.rows) rows")
        require(columnLabels == nil || columnLabels!.count == matrix.columns,
                "HeatMap: \(columnLabels?.count ?? 0) column labels for \(matrix.columns) columns")
        self.title = title
        values = (0..<matrix.rows).map { r in matrix.row(r).map(Double.init) }
        self.rowLabels = rowLabels ?? (0..<matrix.rows).map(String.init)
        self.columnLabels = columnLabels ?? (0..<matrix.columns).map(String.init)
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.range = range
    }

    /// A colour from dark blue (0) through teal to yellow (1), close to viridis.
    static func color(_ t: Double) -> String {
        let stops: [(Double, Double, Double)] = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
        let x = min(max(t.isFinite ? t : 0, 0), 1) * Double(stops.count - 1)
        let i = min(Int(x), stops.count - 2), f = x - Double(i)
        let (a, b) = (stops[i], stops[i + 1])
        func channel(_ p: Double, _ q: Double) -> String {
            let v = Int((p + (q - p) * f).rounded())
            let hex = String(v, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }
        return "#" + channel(a.0, b.0) + channel(a.1, b.1) + channel(a.2, b.2)
    }

    public var svg: String {
        let rows = values.count, columns = values.first?.count ?? 0
        let labelWidth = 12.0 + 7.0 * Double(rowLabels.map(\.count).max() ?? 1)
        let cell = max(10.0, min(36.0, 520.0 / Double(max(columns, 1)), 420.0 / Double(max(rows, 1))))
        let left = labelWidth + 24, top = 40.0
        let width = left + cell * Double(columns) + 90, height = top + cell * Double(rows) + 70
        let flat = values.flatMap { $0 }.filter(\.isFinite)
        let low = range?.lowerBound ?? (flat.min() ?? 0), high = range?.upperBound ?? (flat.max() ?? 1)
        let span = high - low > 1e-12 ? high - low : 1
        var s = SVGBuilder(width: width, height: height)
        s.text(title, x: width / 2, y: 22, anchor: "middle", size: 15, weight: "bold")
        for r in 0..<rows {
            for c in 0..<columns {
                s.rect(x: left + Double(c) * cell, y: top + Double(r) * cell, width: cell, height: cell,
                       fill: Self.color((values[r][c] - low) / span))
            }
            s.text(rowLabels[r], x: left - 6, y: top + (Double(r) + 0.5) * cell + 4, anchor: "end", size: 11)
        }
        let step = max(1, Int((14.0 / cell).rounded(.up)))
        for c in stride(from: 0, to: columns, by: step) {
            let x = left + (Double(c) + 0.5) * cell, y = top + Double(rows) * cell + 8
            s.text(columnLabels[c], x: x, y: y, anchor: "end", size: 11, rotate: -60)
        }
        s.text(xLabel, x: left + cell * Double(columns) / 2, y: height - 6, anchor: "middle", size: 12)
        s.text(yLabel, x: 14, y: top + cell * Double(rows) / 2, anchor: "middle", size: 12, rotate: -90)
        let barX = left + cell * Double(columns) + 24, barHeight = cell * Double(rows)
        for k in 0..<20 {
            s.rect(x: barX, y: top + barHeight * Double(19 - k) / 20, width: 14, height: barHeight / 20 + 0.5,
                   fill: Self.color(Double(k) / 19))
        }
        s.text(formatScalar(high, decimals: 2), x: barX + 18, y: top + 10, anchor: "start", size: 10)
        s.text(formatScalar(low, decimals: 2), x: barX + 18, y: top + barHeight, anchor: "start", size: 10)
        return s.finished()
    }
}
