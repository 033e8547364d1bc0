@testable import Fairlead
import Foundation
import Testing

/// The charts draw what they are given, where it belongs: real coordinates read back from
/// the SVG they write, by an XML parser.
@Suite struct ChartGeometryTests {
    static func barChart() -> BarChart {
        BarChart(title: "Disparate impact", description: "per group", axisTitle: "ratio",
                 rows: [
                    .init(label: "white", bars: [.init(value: 1.0, interval: [0.9, 1.1], style: .pass)]),
                    .init(label: "black", bars: [.init(value: 0.5, interval: [0.4, 0.6], style: .fail)]),
                    .init(label: "other", bars: [.init(value: 0.25, interval: [0.05, 0.7], style: .insufficient)]),
                 ],
                 limits: [ChartLimit(value: 0.8, label: "limit 0.8")],
                 band: ChartBand(lower: 0.8, upper: 1.25, label: "four-fifths band"))
    }

    @Test func barLengthIsProportionalToValue() throws {
        let chart = Self.barChart()
        let svg = try SVGElements(chart.svg.html)
        let bars = svg.all("rect", class: "bar")
        #expect(bars.count == 3)
        let x = chart.scale
        let zero = x(0)
        let widths = bars.map { $0.number("width") }
        // Every bar starts at 0 on the axis.
        for bar in bars { #expect(abs(bar.number("x") - zero) <= 0.05) }
        // 1.0 : 0.5 : 0.25, to the 0.1 the coordinates are rounded to.
        #expect(abs(widths[0] - 2 * widths[1]) <= 0.2)
        #expect(abs(widths[1] - 2 * widths[2]) <= 0.2)
        #expect(abs(widths[0] - (x(1) - x(0))) <= 0.1)
        #expect(widths[0] > 100)
    }

    @Test func whiskersSitAtTheIntervalEnds() throws {
        let chart = Self.barChart()
        let svg = try SVGElements(chart.svg.html)
        let whiskers = svg.all("line", class: "whisker")
        #expect(whiskers.count == 3)
        let x = chart.scale
        let intervals = [[0.9, 1.1], [0.4, 0.6], [0.05, 0.7]]
        for (whisker, interval) in zip(whiskers, intervals) {
            #expect(abs(whisker.number("x1") - x(interval[0])) <= 0.05)
            #expect(abs(whisker.number("x2") - x(interval[1])) <= 0.05)
            #expect(whisker.number("y1") == whisker.number("y2"))
        }
        let caps = svg.all("line", class: "whisker-cap")
        #expect(caps.count == 6)
        #expect(abs(caps[2].number("x1") - x(0.4)) <= 0.05 && abs(caps[3].number("x1") - x(0.6)) <= 0.05)
        // A whisker runs through the middle of its bar.
        let bars = svg.all("rect", class: "bar")
        for (bar, whisker) in zip(bars, whiskers) {
            #expect(abs(bar.number("y") + bar.number("height") / 2 - whisker.number("y1")) <= 0.1)
        }
    }

    @Test func limitLineAndBandSitAtTheirValues() throws {
        let chart = Self.barChart()
        let svg = try SVGElements(chart.svg.html)
        let x = chart.scale
        let limit = try #require(svg.all("line", class: "limit").first)
        #expect(abs(limit.number("x1") - x(0.8)) <= 0.05)
        #expect(limit.number("x1") == limit.number("x2"))
        // It crosses every row.
        let bars = svg.all("rect", class: "bar")
        #expect(limit.number("y1") < bars.map { $0.number("y") }.min() ?? 0)
        #expect(limit.number("y2") > bars.map { $0.number("y") + $0.number("height") }.max() ?? 0)
        let band = try #require(svg.all("rect", class: "band").first)
        #expect(abs(band.number("x") - x(0.8)) <= 0.05)
        #expect(abs(band.number("x") + band.number("width") - x(1.25)) <= 0.1)
    }

    @Test func rowsCarryTextAlternativesAndKeyboardFocus() throws {
        let svg = try SVGElements(Self.barChart().svg.html)
        let root = try #require(svg.elements.first)
        #expect(root.name == "svg" && root.attributes["role"] == "img")
        #expect(svg.elements[1].name == "title" && svg.elements[1].text == "Disparate impact")
        #expect(svg.elements[2].name == "desc")
        let rows = svg.all("g", class: "row")
        #expect(rows.count == 3)
        #expect(rows.allSatisfy { $0.attributes["tabindex"] == "0" })
        let titles = svg.all("title").map(\.text)
        #expect(titles.contains("black: 0.500 [0.400, 0.600]"))
        // The small group is greyed and marked, its bar hatched by its class.
        #expect(svg.all("rect", class: "insufficient").count == 1)
        #expect(svg.all("text", class: "insufficient-label").first?.text == "other *")
    }

    @Test func negativeValuesGrowLeftFromZero() throws {
        let chart = BarChart(title: "t", description: "d", axisTitle: "difference",
                             rows: [.init(label: "a", bars: [.init(value: -0.2)]), .init(label: "b", bars: [.init(value: 0.1)])])
        let svg = try SVGElements(chart.svg.html)
        let bars = svg.all("rect", class: "bar")
        let x = chart.scale
        #expect(abs(bars[0].number("x") - x(-0.2)) <= 0.05)
        #expect(abs(bars[0].number("x") + bars[0].number("width") - x(0)) <= 0.1)
        #expect(abs(bars[0].number("width") - 2 * bars[1].number("width")) <= 0.2)
    }

    @Test func hostileLabelsAreEscapedAndTheSVGStaysWellFormed() throws {
        let chart = BarChart(title: "<script>alert(1)</script>", description: "\" onload=\"x", axisTitle: "a&b",
                             rows: [.init(label: "</svg><img src=x onerror=alert(1)>", bars: [.init(value: 1)], note: "x'y")])
        let text = chart.svg.html
        #expect(!text.contains("<script") && !text.contains("<img") && !text.contains("\" onload"))
        let svg = try SVGElements(text)
        #expect(svg.elements[1].text == "<script>alert(1)</script>")
        #expect(svg.all("svg").count == 1)
    }

    @Test func lineChartPointsAndStepsSitAtTheirCoordinates() throws {
        let chart = LineChart(title: "Calibration", description: "d", xTitle: "mean score", yTitle: "observed",
                              series: [.init(name: "a", points: [.init(x: 0.1, y: 0.2), .init(x: 0.5, y: 0.4)]),
                                       .init(name: "b", points: [.init(x: 0.2, y: 0.1), .init(x: 0.9, y: 0.8)])],
                              xDomain: 0...1, yDomain: 0...1, limits: [ChartLimit(value: 0.5, label: "limit")], diagonal: true)
        let svg = try SVGElements(chart.svg.html)
        let circles = svg.all("circle", class: "marker")
        let (x, y) = (chart.xScale, chart.yScale)
        // Series 0 has circles: its two points, plus one in the legend.
        #expect(circles.count == 3)
        #expect(abs(circles[0].number("cx") - x(0.1)) <= 0.05 && abs(circles[0].number("cy") - y(0.2)) <= 0.05)
        #expect(abs(circles[1].number("cx") - x(0.5)) <= 0.05 && abs(circles[1].number("cy") - y(0.4)) <= 0.05)
        // y grows upward.
        #expect(y(1) < y(0))
        let limit = try #require(svg.all("line", class: "limit").first)
        #expect(abs(limit.number("y1") - y(0.5)) <= 0.05)
        let diagonal = try #require(svg.all("line", class: "diagonal").first)
        #expect(abs(diagonal.number("x1") - x(0)) <= 0.05 && abs(diagonal.number("y1") - y(0)) <= 0.05)
        #expect(abs(diagonal.number("x2") - x(1)) <= 0.05 && abs(diagonal.number("y2") - y(1)) <= 0.05)

        var steps = chart
        steps.mode = .steps
        let path = steps.path([.init(x: 0.1, y: 0.2), .init(x: 0.5, y: 0.4)], x: x, y: y)
        #expect(path == "M\(ChartNumber.coordinate(x(0.1))) \(ChartNumber.coordinate(y(0.2))) H\(ChartNumber.coordinate(x(0.5))) V\(ChartNumber.coordinate(y(0.4)))")
    }

    @Test func waterfallStepsRunFromTotalToTotal() throws {
        let chart = WaterfallChart(title: "w", description: "d", axisTitle: "score", start: ("typical lead", 0.2),
                                   steps: [.init(label: "visits", delta: 0.3), .init(label: "age", delta: -0.1)],
                                   end: ("this lead", 0.4))
        let svg = try SVGElements(chart.svg.html)
        let x = chart.scale
        let steps = svg.all("rect", class: "step")
        #expect(steps.count == 2)
        #expect(abs(steps[0].number("x") - x(0.2)) <= 0.05)
        #expect(abs(steps[0].number("width") - (x(0.5) - x(0.2))) <= 0.1)
        #expect(steps[1].classes.contains("down"))
        #expect(abs(steps[1].number("x") - x(0.4)) <= 0.05)
        #expect(abs(steps[1].number("width") - (x(0.5) - x(0.4))) <= 0.1)
        let totals = svg.all("rect", class: "total")
        #expect(abs(totals[1].number("x") - x(0)) <= 0.05 && abs(totals[1].number("width") - (x(0.4) - x(0))) <= 0.1)
    }

    @Test func histogramBarsSpanTheirBinsWithHeightsByDensity() throws {
        let chart = HistogramChart(title: "h", description: "d", axisTitle: "score",
                                   bins: [.init(lower: 0, upper: 0.5, count: 10), .init(lower: 0.5, upper: 0.6, count: 10)],
                                   domain: 0...1)
        let svg = try SVGElements(chart.svg.html)
        let bins = svg.all("rect", class: "bin")
        let x = chart.xScale
        #expect(abs(bins[0].number("x") - x(0)) <= 0.05 && abs(bins[0].number("width") - (x(0.5) - x(0))) <= 0.1)
        #expect(abs(bins[1].number("x") - x(0.5)) <= 0.05)
        // The same rows in a fifth of the width: five times as tall.
        #expect(abs(bins[1].number("height") - 5 * bins[0].number("height")) <= 0.6)
    }

    @Test func rangeStripShadesWhereTheRuleHolds() throws {
        let chart = RangeStripChart(title: "sweep", description: "d", axisTitle: "threshold", domain: 0...1,
                                    rows: [.init(label: "disparate_impact >= 0.8", ranges: [[0.1, 0.25], [0.6, 0.6]]),
                                           .init(label: "never", ranges: [])],
                                    marks: [ChartLimit(value: 0.3, label: "0.3")])
        let svg = try SVGElements(chart.svg.html)
        let x = chart.scale
        let holds = svg.all("rect", class: "holds")
        #expect(holds.count == 2)
        #expect(abs(holds[0].number("x") - x(0.1)) <= 0.05 && abs(holds[0].number("width") - (x(0.25) - x(0.1))) <= 0.1)
        #expect(abs(holds[1].number("x") + holds[1].number("width") / 2 - x(0.6)) <= 0.1)
        #expect(abs((svg.all("line", class: "mark").first?.number("x1") ?? 0) - x(0.3)) <= 0.05)
    }

    @Test(arguments: [(0.0, "0"), (-0.04, "0"), (12.25, "12.3"), (-3.0, "-3"), (640, "640"), (0.25, "0.3")])
    func coordinatesAreShortAndLocaleFree(value: Double, expected: String) {
        #expect(ChartNumber.coordinate(value) == expected)
    }

    @Test func scalesPickRoundTicks() {
        let scale = LinearScale(domain: 0...1, range: 100...500)
        #expect(scale(0.25) == 200)
        let ticks = scale.ticks()
        #expect(ticks.count == 6 && ticks.first == 0 && abs((ticks.last ?? 0) - 1) < 1e-9)
        #expect(zip(ticks, [0, 0.2, 0.4, 0.6, 0.8, 1]).allSatisfy { abs($0 - $1) < 1e-9 })
        #expect(LinearScale.domain(holding: [0.13, 0.92]).lowerBound == 0)
    }

    /// Values from a saved report or a history's metric rows can be ±1e308: the domain's
    /// padding overflowed to infinity and its bounds to NaN, and building the range
    /// stopped the process (`history show --format html` over such rows).
    @Test(arguments: [[1e308, -1e308], [1e308], [-1e308, 0.5], [1e300, 1e300], [5e-324, -5e-324]])
    func extremeValuesGiveAFiniteDomainAndAChart(values: [Double]) throws {
        let domain = LinearScale.domain(holding: values)
        #expect(domain.lowerBound.isFinite && domain.upperBound.isFinite && domain.lowerBound < domain.upperBound)
        let chart = LineChart(title: "t", description: "d", xTitle: "entry", yTitle: "value",
                              series: [.init(name: "a", points: values.enumerated().map { .init(x: Double($0.offset), y: $0.element) })])
        let svg = try SVGElements(chart.svg.html)
        #expect(svg.all("circle", class: "marker").count == values.count + 1)
        #expect(!chart.svg.html.contains("nan") && !chart.svg.html.contains("inf"))
    }

    @Test(arguments: [(1e300, "100000000000000"), (-1e300, "-100000000000000")])
    func coordinatesFarOffTheDrawingAreClippedNotATrap(value: Double, expected: String) {
        #expect(ChartNumber.coordinate(value) == expected)
        #expect(ChartNumber.tick(1, step: .infinity) == "1")
    }
}
