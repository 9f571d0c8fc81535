import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import SequenceModels

/// Counts the elements of a well-formed XML document by name; nil when it does not parse.
final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    var texts: [String] = []
    static func count(_ xml: String) -> ElementCounter? {
        let counter = ElementCounter()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = counter
        return parser.parse() ? counter : nil
    }
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        counts[name, default: 0] += 1
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { texts.append(string) }
}

@Suite struct PlottingTests {
    @Test func lineChartIsWellFormedDeterministicAndEscaped() throws {
        func chart() -> LineChart {
            var c = LineChart(title: "loss <script>", xLabel: "step", yLabel: "nats", logScaleY: true)
            c.add("train & test", y: [10.0, 1.0, 0.1, 0.01])
            c.add("other", y: [5.0, 0.5, -1, 0.05])   // the negative value cannot be drawn on a log scale
            return c
        }
        let svg = chart().svg
        #expect(svg == chart().svg)
        let parsed = try #require(ElementCounter.count(svg))
        #expect(parsed.counts["polyline"] == 2)
        #expect(parsed.texts.joined().contains("loss <script>"))      // the parser unescapes what the SVG escaped
        #expect(!svg.contains("<script>"))
        #expect(parsed.texts.contains("1e-2") && parsed.texts.contains("1e1"))
        let secondLine = svg.components(separatedBy: "<polyline points=\"")[2].prefix { $0 != "\"" }
        #expect(secondLine.split(separator: " ").count == 3)
    }

    @Test func heatMapHasOneCellPerElementAndAColourBar() throws {
        let m = Matrix<Double>([[0, 0.5, 1], [1, 0.25, 0]])
        let map = HeatMap(title: "attention", matrix: m, rowLabels: ["out 1", "out 2"], columnLabels: ["a", "b", "c"])
        let parsed = try #require(ElementCounter.count(map.svg))
        #expect(parsed.counts["rect"] == 1 + 6 + 20)          // background, cells, colour bar
        #expect(map.svg.contains("fill=\"#440154\"") && map.svg.contains("fill=\"#fde725\""))   // both ends of the scale
        #expect(HeatMap.color(0.5) == "#21918c")
    }

    @Test func scatterPlotLabelsEveryPoint() throws {
        var plot = ScatterPlot(title: "words", xLabel: "PC 1", yLabel: "PC 2")
        for (i, word) in ["king", "queen", "man", "woman"].enumerated() { plot.add(x: Double(i), y: Double(i * i), label: word) }
        let parsed = try #require(ElementCounter.count(plot.svg))
        #expect(parsed.counts["circle"] == 4)
        #expect(["king", "queen", "man", "woman"].allSatisfy(parsed.texts.contains))
    }
}

@Suite struct BarChartTests {
    @Test func oneBarPerSeriesAndCategoryFromZero() throws {
        var chart = BarChart(title: "accuracy <by kind>", categories: ["ambiguous", "all"], yLabel: "accuracy")
        chart.add("one way", values: [0.5, 0.9])
        chart.add("both ways", values: [1.0, 1.0])
        let svg = chart.svg
        #expect(svg == chart.svg)
        let parsed = try #require(ElementCounter.count(svg))
        // Background, frame, four bars, two legend swatches.
        #expect(parsed.counts["rect"] == 1 + 1 + 4 + 2)
        #expect(["ambiguous", "all", "one way", "both ways", "accuracy <by kind>"].allSatisfy(parsed.texts.joined().contains))
        // Bars start at zero: the 0.5 bar is half as tall as the 1.0 bar.
        let heights = svg.components(separatedBy: "height=\"").dropFirst().map { Double($0.prefix { $0 != "\"" })! }
        let bars = heights.dropFirst(3).filter { $0 != 12 }    // after the <svg>, the background and the frame; no swatches
        #expect(abs(bars[0] * 2 - bars[2]) < 0.02, "\(bars)")
    }
}

@Suite struct DiagramTests {
    @Test func boxesArrowsAndOperationsAreDrawnWithOneArrowheadDefinition() throws {
        func diagram() -> Diagram {
            var d = Diagram(title: "cell <&>", width: 300, height: 150)
            d.box("σ", x: 60, y: 75, style: .gate)
            d.operation("×", x: 150, y: 75)
            d.arrow(from: (92, 75), to: (137, 75))
            d.arrow(through: [(150, 62), (150, 20), (250, 20)], dashed: true)
            d.label("c⟨t⟩", x: 270, y: 20)
            return d
        }
        let svg = diagram().svg
        #expect(svg == diagram().svg)
        let parsed = try #require(ElementCounter.count(svg))
        #expect(parsed.counts["marker"] == 1)
        #expect(parsed.counts["polyline"] == 2)
        #expect(parsed.counts["circle"] == 1)
        #expect(parsed.counts["rect"] == 2)                   // background and the box
        #expect(["σ", "×", "c⟨t⟩", "cell <&>"].allSatisfy(parsed.texts.joined().contains))
        #expect(svg.contains("stroke-dasharray"))
        #expect(!LineChart(title: "t", xLabel: "x", yLabel: "y").svg.contains("<marker"), "charts carry no arrowhead definition")
    }
}
