/// A waterfall, one row per step: from a starting total (the typical lead's score, the
/// reference group's gap of 0) through each feature's contribution to the final total
/// (the lead's score, the group's gap).
///
/// Totals are bars from ``origin``; a step is a floating bar from the running total
/// before it to the running total after it, so its length is its contribution. Raising
/// steps and lowering steps differ in colour and pattern (lowering ones are hatched), and
/// a thin connector joins each bar to the next.
struct WaterfallChart {
    struct Step {
        /// Cut at 40 characters (``HTMLPage/label(_:)``), as every label of a chart is.
        var label: String
        var delta: Double
        /// The text after the bar; the signed delta when nil.
        var text: String?
        /// Said in the row's `<title>`; cut at 400.
        var note: String = ""

        init(label: String, delta: Double, text: String? = nil, note: String = "") {
            self.label = HTMLPage.label(label)
            self.delta = delta
            self.text = text
            self.note = HTMLPage.cell(note)
        }
    }

    var title: String
    var description: String
    var axisTitle: String
    var start: (label: String, value: Double)
    var steps: [Step]
    var end: (label: String, value: Double)
    var origin: Double = 0
    var digits = 3

    static let left = 190.0, right = 70.0, top = 14.0, bottom = 40.0, rowHeight = 22.0, barHeight = 14.0
    var height: Double { Self.top + Double(steps.count + 2) * Self.rowHeight + Self.bottom }

    /// The running total before each step, and after the last.
    var runningTotals: [Double] {
        var totals = [start.value]
        for step in steps { totals.append((totals.last ?? start.value) + step.delta) }
        return totals
    }

    var scale: LinearScale {
        LinearScale(domain: LinearScale.domain(holding: runningTotals + [start.value, end.value], including: [origin]),
                    range: Self.left...(ChartFrame.width - Self.right))
    }

    var svg: Markup {
        let c = ChartNumber.coordinate
        let x = scale
        let totals = runningTotals
        let plotBottom = height - Self.bottom
        var parts: [Markup] = [ChartFrame.xAxis(x, y: plotBottom, top: Self.top - 2, title: axisTitle)]
        func row(_ index: Int, label: String, from: Double, to: Double, className: String, text: String, said: String) -> Markup {
            let y = Self.top + Double(index) * Self.rowHeight + (Self.rowHeight - Self.barHeight) / 2
            let left = x(min(from, to)), right = x(max(from, to))
            return .tag("g", ["class": "row", "tabindex": "0"], [
                .tag("title", text: said),
                .tag("text", ["class": "row-label", "x": c(Self.left - 8), "y": c(y + 11), "text-anchor": "end"],
                     text: ChartFrame.short(label, limit: 28)),
                .empty("rect", ["class": className, "x": c(left), "y": c(y), "width": c(max(right - left, 0.5)),
                                "height": c(Self.barHeight), "data-from": ChartNumber.label(from, digits: 6),
                                "data-to": ChartNumber.label(to, digits: 6)]),
                .tag("text", ["class": "value-label", "x": c(right + 4), "y": c(y + 11)], text: text),
            ])
        }
        let label = { (value: Double) in ChartNumber.label(value, digits: self.digits) }
        parts.append(row(0, label: start.label, from: origin, to: start.value, className: "total",
                         text: label(start.value), said: "\(start.label): \(label(start.value))"))
        for (index, step) in steps.enumerated() {
            let before = totals[index], after = totals[index + 1]
            let signed = (step.delta >= 0 ? "+" : "") + label(step.delta)
            let said = "\(step.label): \(signed)" + (step.note.isEmpty ? "" : " — \(step.note)")
            parts.append(row(index + 1, label: step.label, from: before, to: after,
                             className: step.delta >= 0 ? "step up" : "step down", text: step.text ?? signed, said: said))
            let yTop = Self.top + Double(index) * Self.rowHeight + (Self.rowHeight + Self.barHeight) / 2
            parts.append(.empty("line", ["class": "connector", "x1": c(x(before)), "y1": c(yTop), "x2": c(x(before)),
                                         "y2": c(yTop + Self.rowHeight - Self.barHeight)]))
        }
        parts.append(row(steps.count + 1, label: end.label, from: origin, to: end.value, className: "total",
                         text: label(end.value), said: "\(end.label): \(label(end.value))"))
        return ChartFrame.svg(title: title, description: description, height: height, className: "waterfall-chart", parts)
    }
}
