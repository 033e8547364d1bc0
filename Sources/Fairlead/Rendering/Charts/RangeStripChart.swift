/// Ranges along one axis, a row each: the score thresholds at which each rule holds
/// (the threshold sweep), with the decision's own threshold marked.
///
/// A range [from, to] is a shaded rectangle from x(from) to x(to); a single point (a rule
/// that holds at one grid threshold) a thin one. A row with no range says so.
struct RangeStripChart {
    struct Row {
        var label: String
        var ranges: [[Double]]
    }

    var title: String
    var description: String
    var axisTitle: String
    var domain: ClosedRange<Double>
    var rows: [Row]
    var marks: [ChartLimit] = []

    static let left = 250.0, right = 30.0, top = 24.0, bottom = 40.0, rowHeight = 26.0
    var height: Double { Self.top + Double(rows.count) * Self.rowHeight + Self.bottom }
    var scale: LinearScale { LinearScale(domain: domain, range: Self.left...(ChartFrame.width - Self.right)) }

    var svg: Markup {
        let c = ChartNumber.coordinate
        let x = scale
        let plotBottom = height - Self.bottom
        var parts: [Markup] = [ChartFrame.xAxis(x, y: plotBottom, top: Self.top - 4, title: axisTitle)]
        for (index, row) in rows.enumerated() {
            let y = Self.top + Double(index) * Self.rowHeight + 4
            var nodes: [Markup] = [
                .tag("text", ["class": "row-label", "x": c(Self.left - 8), "y": c(y + 13), "text-anchor": "end"],
                     text: ChartFrame.short(row.label, limit: 40)),
                .empty("rect", ["class": "strip-track", "x": c(x.start), "y": c(y), "width": c(x.end - x.start), "height": "18"]),
            ]
            for range in row.ranges where range.count == 2 {
                let from = x(range[0]), to = x(range[1])
                nodes.append(.empty("rect", ["class": "holds", "x": c(from - (to - from < 2 ? 1 : 0)), "y": c(y),
                                             "width": c(max(2, to - from)), "height": "18"]))
            }
            if row.ranges.isEmpty {
                nodes.append(.tag("text", ["class": "value-label", "x": c(x.start + 6), "y": c(y + 13)], text: "holds at no threshold"))
            }
            let said = row.ranges.isEmpty ? "holds at no threshold"
                : "holds for thresholds " + row.ranges.filter { $0.count == 2 }.map {
                    $0[0] == $0[1] ? ChartNumber.label($0[0], digits: 2)
                        : "\(ChartNumber.label($0[0], digits: 2))–\(ChartNumber.label($0[1], digits: 2))"
                }.joined(separator: ", ")
            parts.append(.tag("g", ["class": "row", "tabindex": "0"], [.tag("title", text: "\(row.label): \(said)")] + nodes))
        }
        for mark in marks {
            let mx = x(mark.value)
            parts.append(.tag("g", ["class": "limit-mark"], [
                .empty("line", ["class": "mark", "x1": c(mx), "y1": c(Self.top - 8), "x2": c(mx), "y2": c(plotBottom)]),
                .tag("text", ["class": "limit-label", "x": c(mx), "y": c(Self.top - 11), "text-anchor": "middle"], text: mark.label),
            ]))
        }
        return ChartFrame.svg(title: title, description: description, height: height, className: "strip-chart", parts)
    }
}
