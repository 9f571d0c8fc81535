/// A linear or base-10 logarithmic mapping from data values to pixels, with tick marks.
struct Axis {
    var low: Double
    var high: Double
    var logarithmic: Bool
    var pixelStart: Double
    var pixelEnd: Double

    /// An axis spanning `values`, padded so no point sits on the frame.
    init(values: [Double], logarithmic: Bool, pixelStart: Double, pixelEnd: Double) {
        let usable = logarithmic ? values.filter { $0 > 0 && $0.isFinite } : values.filter(\.isFinite)
        var low = usable.min() ?? 0
        var high = usable.max() ?? 1
        if logarithmic {
            low = Self.log10(low); high = Self.log10(high)
            low = low.rounded(.down); high = high.rounded(.up)
        }
        if high - low < 1e-12 { low -= 0.5; high += 0.5 }
        self.low = low
        self.high = high
        self.logarithmic = logarithmic
        self.pixelStart = pixelStart
        self.pixelEnd = pixelEnd
    }

    static func log10(_ x: Double) -> Double { Double.log(x) / Double.log(10) }

    /// The pixel for a data value.
    func pixel(_ value: Double) -> Double {
        let v = logarithmic ? Self.log10(Swift.max(value, 1e-300)) : value
        return pixelStart + (v - low) / (high - low) * (pixelEnd - pixelStart)
    }

    /// About five round tick values with their labels.
    func ticks() -> [(value: Double, label: String)] {
        if logarithmic {
            let step = Swift.max(1, Int(((high - low) / 6).rounded(.up)))
            return stride(from: Int(low), through: Int(high), by: step).map { e in
                (Double.pow(10, Double(e)), "1e\(e)")
            }
        }
        let raw = (high - low) / 5
        let magnitude = Double.pow(10, Self.log10(raw).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var value = (low / step).rounded(.up) * step
        var result: [(Double, String)] = []
        let decimals = Swift.max(0, -Int(Self.log10(step).rounded(.down)))
        while value <= high + step * 1e-9 {
            result.append((value, formatScalar(value, decimals: decimals)))
            value += step
        }
        return result
    }
}
