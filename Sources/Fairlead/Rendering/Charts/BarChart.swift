/// Horizontal bars, one row per group (or attribute, or feature), each bar with its
/// interval as a whisker, and a rule's limit drawn as a line (and a band, such as the
/// four-fifths band of disparate impact).
///
/// A bar runs from ``baseline`` (0) to its value, so its length is proportional to the
/// value; the whisker spans the interval's ends with a cap at each; a limit is a vertical
/// line at its value across all rows. Each row is a `<g tabindex="0">` with a `<title>`
/// saying its numbers, so a keyboard reaches every bar and a screen reader reads it.
///
///     BarChart(title: "Disparate impact", description: "…", axisTitle: "SR_g / SR_ref",
///              rows: [.init(label: "black", bars: [.init(value: 0.62, interval: [0.5, 0.75], style: .fail)])],
///              limits: [ChartLimit(value: 0.8, label: "limit 0.8")]).svg
struct BarChart {
    /// How a bar is drawn.
    enum Style: String, Sendable {
        /// A value no rule judges here.
        case neutral
        /// Judged and passing, or failing (hatched too).
        case pass, fail
        /// A group under the minimum size: greyed and hatched, insufficient evidence.
        case insufficient
    }

    /// The text of a bar whose value a published view withholds.
    static let withheld = "withheld"

    struct Bar {
        var value: Double?
        var interval: [Double]?
        var style: Style = .neutral
        /// The series, for rows with several bars (colour and pattern by series).
        var series: Int = 0
        /// The text shown after the bar; the value with 3 decimals when nil.
        var text: String?

        /// What a chart's description says of the bar: its value, `withheld` (a published
        /// view's ``BarChart/withheld`` text), else `undefined` — not the reason a bar's
        /// label may show.
        var said: String { value.map { ChartNumber.label($0) } ?? (text == BarChart.withheld ? BarChart.withheld : "undefined") }
    }

    struct Row {
        /// Cut at 40 characters (``HTMLPage/label(_:)``), as every label of a chart is.
        var label: String
        var bars: [Bar]
        /// Said in the row's `<title>` after its numbers (counts, verdict); cut at 400.
        var note: String = ""

        init(label: String, bars: [Bar], note: String = "") {
            self.label = HTMLPage.label(label)
            self.bars = bars
            self.note = HTMLPage.cell(note)
        }
    }

    var title: String
    var description: String
    var axisTitle: String
    var rows: [Row]
    var limits: [ChartLimit] = []
    var band: ChartBand?
    var baseline: Double = 0
    /// Series names, for the `<title>` of rows with several bars.
    var seriesNames: [String] = []

    // Layout, in the frame's coordinates.
    static let left = 196.0, right = 84.0, top = 26.0, bottom = 40.0
    static let barHeight = 12.0, barGap = 2.0, rowGap = 10.0

    /// The value axis.
    var scale: LinearScale {
        var values: [Double] = [baseline]
        for bar in rows.flatMap(\.bars) {
            if let value = bar.value { values.append(value) }
            values += (bar.interval ?? []).filter(\.isFinite)
        }
        values += limits.map(\.value)
        if let band { values += [band.lower, band.upper] }
        return LinearScale(domain: LinearScale.domain(holding: values),
                           range: Self.left...(ChartFrame.width - Self.right))
    }

    /// Computed once per chart and passed to each row: it scans every row.
    private var rowHeight: Double {
        let bars = Double(max(1, rows.map(\.bars.count).max() ?? 1))
        return bars * Self.barHeight + (bars - 1) * Self.barGap + Self.rowGap
    }

    var height: Double { height(rowHeight: rowHeight) }

    private func height(rowHeight: Double) -> Double { Self.top + Double(rows.count) * rowHeight + Self.bottom }

    var svg: Markup {
        let c = ChartNumber.coordinate
        let x = scale
        let rowHeight = rowHeight
        let height = height(rowHeight: rowHeight)
        let plotBottom = height - Self.bottom
        var parts: [Markup] = []
        if let band {
            parts.append(.tag("rect", ["class": "band", "x": c(x(band.lower)), "y": c(Self.top - 4),
                                       "width": c(x(band.upper) - x(band.lower)), "height": c(plotBottom - Self.top + 4)],
                              [.tag("title", text: band.label)]))
        }
        parts.append(ChartFrame.xAxis(x, y: plotBottom, top: Self.top - 4, title: axisTitle))
        for (index, row) in rows.enumerated() {
            parts.append(rowNode(row, index: index, x: x, rowHeight: rowHeight))
        }
        for (index, limit) in limits.enumerated() {
            let lx = x(limit.value)
            parts.append(.tag("g", ["class": "limit-mark"], [
                .empty("line", ["class": "limit", "x1": c(lx), "y1": c(Self.top - 8), "x2": c(lx), "y2": c(plotBottom)]),
                .tag("text", ["class": "limit-label", "x": c(lx), "y": c(Self.top - 12 - Double(index) * 11),
                              "text-anchor": lx > ChartFrame.width - Self.right - 60 ? "end" : "middle"], text: limit.label),
            ]))
        }
        return ChartFrame.svg(title: title, description: description, height: height, className: "bar-chart", parts)
    }

    private func rowNode(_ row: Row, index: Int, x: LinearScale, rowHeight: Double) -> Markup {
        let c = ChartNumber.coordinate
        let y0 = Self.top + Double(index) * rowHeight + Self.rowGap / 2
        var nodes: [Markup] = []
        var words: [String] = []
        let allInsufficient = !row.bars.isEmpty && row.bars.allSatisfy { $0.style == .insufficient }
        for (barIndex, bar) in row.bars.enumerated() {
            let y = y0 + Double(barIndex) * (Self.barHeight + Self.barGap)
            let middle = y + Self.barHeight / 2
            let text = bar.text ?? bar.value.map { ChartNumber.label($0) } ?? "undefined"
            let series = seriesNames.indices.contains(bar.series) ? "\(seriesNames[bar.series]) " : ""
            var said = "\(series)\(text)"
            var end = x(baseline)
            if let value = bar.value {
                let from = x(min(value, baseline)), to = x(max(value, baseline))
                nodes.append(.empty("rect", ["class": "bar \(bar.style.rawValue) \(ChartPalette.seriesClass(bar.series))",
                                             "x": c(from), "y": c(y), "width": c(to - from), "height": c(Self.barHeight),
                                             "data-value": ChartNumber.label(value, digits: 6)]))
                end = x(value)
            }
            if let interval = bar.interval, interval.count == 2, interval.allSatisfy(\.isFinite) {
                let (low, high) = (x(interval[0]), x(interval[1]))
                nodes.append(.empty("line", ["class": "whisker", "x1": c(low), "y1": c(middle), "x2": c(high), "y2": c(middle)]))
                nodes.append(.empty("line", ["class": "whisker-cap", "x1": c(low), "y1": c(middle - 4), "x2": c(low), "y2": c(middle + 4)]))
                nodes.append(.empty("line", ["class": "whisker-cap", "x1": c(high), "y1": c(middle - 4), "x2": c(high), "y2": c(middle + 4)]))
                end = max(end, high)
                said += " [\(ChartNumber.label(interval[0])), \(ChartNumber.label(interval[1]))]"
            }
            nodes.append(.tag("text", ["class": "value-label", "x": c(end + 5), "y": c(middle + 4)], text: text))
            words.append(said)
        }
        let label = row.label + (allInsufficient ? " *" : "")
        nodes.insert(.tag("text", ["class": "row-label" + (allInsufficient ? " insufficient-label" : ""),
                                   "x": c(Self.left - 8), "y": c(y0 + (rowHeight - Self.rowGap) / 2 + 4), "text-anchor": "end"],
                          text: ChartFrame.short(label, limit: 30)), at: 0)
        let summary = "\(row.label): \(words.joined(separator: "; "))" + (row.note.isEmpty ? "" : " — \(row.note)")
        return .tag("g", ["class": "row", "tabindex": "0"], [.tag("title", text: summary)] + nodes)
    }
}
