/// Lines or step curves, one series per group: calibration curves (with the diagonal of
/// perfect calibration), cumulative score distributions, a metric over history entries.
///
/// Each series has its colour, its marker shape and its dash pattern (``ChartPalette``),
/// so the series stay apart without colour. Each series is a `<g tabindex="0">` whose
/// `<title>` lists its points.
struct LineChart {
    enum Mode: Sendable {
        /// Straight segments between points, a marker at each.
        case lines
        /// A step after each point: flat to the next x, then up or down (a cumulative
        /// distribution), a marker at each point.
        case steps
    }

    struct Point: Sendable, Equatable {
        var x: Double
        var y: Double
        /// Said in the series' `<title>` for this point (counts); optional.
        var note: String = ""
        /// Said for the point instead of its x coordinate, when x is a place rather than an
        /// amount (the history's entries: `#3 2026-03-02`).
        var label: String? = nil
    }

    struct Series {
        /// Cut at 40 characters (``HTMLPage/label(_:)``), as every label of a chart is.
        var name: String
        var points: [Point]

        init(name: String, points: [Point]) {
            self.name = HTMLPage.label(name)
            self.points = points
        }
    }

    var title: String
    var description: String
    var xTitle: String
    var yTitle: String
    var series: [Series]
    var mode: Mode = .lines
    var xDomain: ClosedRange<Double>?
    var yDomain: ClosedRange<Double>?
    /// Labels for x values instead of numbers (history entries by their as-of date).
    var xTicks: [(Double, String)]?
    /// Horizontal reference lines (a rule's limit).
    var limits: [ChartLimit] = []
    /// The diagonal y = x (perfect calibration).
    var diagonal = false
    /// Vertical marks (a decision's threshold).
    var marks: [ChartLimit] = []

    static let left = 64.0, right = 150.0, top = 20.0, bottom = 44.0
    static let plotHeight = 220.0
    var height: Double { Self.top + Self.plotHeight + Self.bottom }

    var xScale: LinearScale {
        let values = series.flatMap(\.points).map(\.x) + marks.map(\.value) + (xTicks ?? []).map(\.0)
        return LinearScale(domain: xDomain ?? LinearScale.domain(holding: values), range: Self.left...(ChartFrame.width - Self.right))
    }

    var yScale: LinearScale {
        let values = series.flatMap(\.points).map(\.y) + limits.map(\.value)
        return LinearScale(domain: yDomain ?? LinearScale.domain(holding: values), range: Self.top...(Self.top + Self.plotHeight),
                           flipped: true)
    }

    var svg: Markup {
        let c = ChartNumber.coordinate
        let x = xScale, y = yScale
        var parts: [Markup] = [
            ChartFrame.yAxis(y, x: Self.left, right: ChartFrame.width - Self.right, title: yTitle),
            ChartFrame.xAxis(x, y: Self.top + Self.plotHeight, top: Self.top, title: xTitle, ticks: xTicks),
        ]
        if diagonal {
            let low = max(x.lower, y.lower), high = min(x.upper, y.upper)
            parts.append(.empty("line", ["class": "diagonal", "x1": c(x(low)), "y1": c(y(low)), "x2": c(x(high)), "y2": c(y(high))]))
        }
        for limit in limits {
            let ly = y(limit.value)
            parts.append(.tag("g", ["class": "limit-mark"], [
                .empty("line", ["class": "limit", "x1": c(x.start), "y1": c(ly), "x2": c(x.end), "y2": c(ly)]),
                .tag("text", ["class": "limit-label", "x": c(x.end + 4), "y": c(ly + 4)], text: limit.label),
            ]))
        }
        for mark in marks {
            let mx = x(mark.value)
            parts.append(.tag("g", ["class": "limit-mark"], [
                .empty("line", ["class": "mark", "x1": c(mx), "y1": c(Self.top), "x2": c(mx), "y2": c(Self.top + Self.plotHeight)]),
                .tag("text", ["class": "limit-label", "x": c(mx + 3), "y": c(Self.top + 10)], text: mark.label),
            ]))
        }
        for (index, line) in series.enumerated() {
            parts.append(seriesNode(line, index: index, x: x, y: y))
        }
        parts.append(legend)
        return ChartFrame.svg(title: title, description: description, height: height, className: "line-chart", parts)
    }

    /// The path through a series' points.
    func path(_ points: [Point], x: LinearScale, y: LinearScale) -> String {
        let c = ChartNumber.coordinate
        var commands: [String] = []
        for (index, point) in points.enumerated() {
            if index == 0 {
                commands.append("M\(c(x(point.x))) \(c(y(point.y)))")
            } else if mode == .steps {
                commands.append("H\(c(x(point.x)))")
                commands.append("V\(c(y(point.y)))")
            } else {
                commands.append("L\(c(x(point.x))) \(c(y(point.y)))")
            }
        }
        return commands.joined(separator: " ")
    }

    private func seriesNode(_ line: Series, index: Int, x: LinearScale, y: LinearScale) -> Markup {
        let seriesClass = ChartPalette.seriesClass(index)
        var nodes: [Markup] = []
        if line.points.count > 1 {
            nodes.append(.empty("path", ["class": "line \(seriesClass)", "d": path(line.points, x: x, y: y)]))
        }
        for point in line.points {
            nodes.append(ChartPalette.markerNode(ChartPalette.marker(index), x: x(point.x), y: y(point.y),
                                                 className: "marker \(seriesClass)"))
        }
        let said = line.points.map { point in
            (point.label.map { "\($0): \(ChartNumber.label(point.y))" } ?? "(\(ChartNumber.label(point.x)), \(ChartNumber.label(point.y)))")
                + (point.note.isEmpty ? "" : " \(point.note)")
        }.joined(separator: ", ")
        return .tag("g", ["class": "series", "tabindex": "0"], [.tag("title", text: "\(line.name): \(said)")] + nodes)
    }

    /// The legend at the right: each series' marker, dash and name.
    private var legend: Markup {
        let c = ChartNumber.coordinate
        let left = ChartFrame.width - Self.right + 44
        var nodes: [Markup] = []
        for (index, line) in series.enumerated() {
            let y = Self.top + 8 + Double(index) * 16
            let seriesClass = ChartPalette.seriesClass(index)
            nodes.append(.empty("line", ["class": "line \(seriesClass)", "x1": c(left), "y1": c(y), "x2": c(left + 22), "y2": c(y)]))
            nodes.append(ChartPalette.markerNode(ChartPalette.marker(index), x: left + 11, y: y, className: "marker \(seriesClass)"))
            nodes.append(.tag("text", ["class": "legend-label", "x": c(left + 28), "y": c(y + 4)], text: ChartFrame.short(line.name, limit: 14)))
        }
        return .tag("g", ["class": "legend", "aria-hidden": "true"], nodes)
    }
}
