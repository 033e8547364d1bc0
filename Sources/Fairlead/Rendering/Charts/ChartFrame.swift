/// The parts every chart shares: the `<svg>` root with its text alternative, axes and
/// grid lines. Charts are drawn in a fixed coordinate system (``width`` wide) and scale to
/// their container through `viewBox`, so a page prints them whole.
struct ChartFrame {
    /// The coordinate width of every chart.
    static let width = 640.0

    /// The root `<svg>`: `<title>` (its accessible name, a tooltip too) and `<desc>` (the
    /// data in words) first, then the parts.
    static func svg(title: String, description: String, height: Double, className: String, _ parts: [Markup]) -> Markup {
        let c = ChartNumber.coordinate
        return .tag("svg", ["class": "chart \(className)", "viewBox": "0 0 \(c(width)) \(c(height))",
                            "width": c(width), "height": c(height), "role": "img", "xmlns": "http://www.w3.org/2000/svg"],
                    [.tag("title", text: title), .tag("desc", text: description)] + parts)
    }

    /// A horizontal axis at `y` from the scale's start to its end: grid lines up to `top`,
    /// tick labels below, and the axis title.
    static func xAxis(_ scale: LinearScale, y: Double, top: Double, title: String, ticks: [(Double, String)]? = nil) -> Markup {
        let c = ChartNumber.coordinate
        let step = scale.tickStep()
        let marks = ticks ?? scale.ticks().map { ($0, ChartNumber.tick($0, step: step)) }
        var nodes: [Markup] = [.empty("line", ["class": "axis", "x1": c(scale.start), "y1": c(y), "x2": c(scale.end), "y2": c(y)])]
        for (value, text) in marks {
            let x = scale(value)
            nodes.append(.empty("line", ["class": "grid", "x1": c(x), "y1": c(top), "x2": c(x), "y2": c(y)]))
            nodes.append(.tag("text", ["class": "tick", "x": c(x), "y": c(y + 14), "text-anchor": "middle"], text: text))
        }
        nodes.append(.tag("text", ["class": "axis-title", "x": c((scale.start + scale.end) / 2), "y": c(y + 30),
                                   "text-anchor": "middle"], text: title))
        return .tag("g", ["class": "x-axis", "aria-hidden": "true"], nodes)
    }

    /// A vertical axis at `x` (the scale maps values to y): grid lines across to `right`,
    /// tick labels to the left, the title rotated.
    static func yAxis(_ scale: LinearScale, x: Double, right: Double, title: String) -> Markup {
        let c = ChartNumber.coordinate
        let step = scale.tickStep(count: 4)
        var nodes: [Markup] = [.empty("line", ["class": "axis", "x1": c(x), "y1": c(scale.start), "x2": c(x), "y2": c(scale.end)])]
        for value in scale.ticks(count: 4) {
            let y = scale(value)
            nodes.append(.empty("line", ["class": "grid", "x1": c(x), "y1": c(y), "x2": c(right), "y2": c(y)]))
            nodes.append(.tag("text", ["class": "tick", "x": c(x - 6), "y": c(y + 4), "text-anchor": "end"],
                              text: ChartNumber.tick(value, step: step)))
        }
        let middle = (scale.start + scale.end) / 2
        nodes.append(.tag("text", ["class": "axis-title", "x": c(x - 42), "y": c(middle), "text-anchor": "middle",
                                   "transform": "rotate(-90 \(c(x - 42)) \(c(middle)))"], text: title))
        return .tag("g", ["class": "y-axis", "aria-hidden": "true"], nodes)
    }

    /// `text` cut to `limit` characters with an ellipsis (the whole name stays in the
    /// element's `<title>` and in the table beside the chart).
    static func short(_ text: String, limit: Int = 24) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}

/// A reference value drawn across a chart: a rule's limit, parity, a tolerance.
struct ChartLimit: Sendable, Equatable {
    var value: Double
    /// What it is, e.g. "limit 0.8 (disparate_impact >= 0.8)".
    var label: String
}

/// A shaded range of values: the four-fifths band [0.8, 1.25], a drift tolerance.
struct ChartBand: Sendable, Equatable {
    var lower: Double
    var upper: Double
    var label: String
}
