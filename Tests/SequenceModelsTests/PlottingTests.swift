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
