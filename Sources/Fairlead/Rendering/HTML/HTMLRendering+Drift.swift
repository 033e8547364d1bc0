import FairleadCore

extension HTMLRendering {
    /// The comparison with the baseline audit: each change with its interval against the
    /// tolerance band, the score PSI per group against its limit, and every finding in a table.
    static func drift(_ report: AuditReport) -> [Markup] {
        guard let drift = report.drift else { return [] }
        var children: [Markup] = [
            .tag("h2", ["id": "drift"], text: "Drift against the baseline"),
            .tag("p", [:], [.tag("strong", text: DriftRendering.verdictWord(drift.status)), .text(" — " + DriftRendering.summary(drift, profile: report.profile.name))]),
        ]
        for note in drift.notes { children.append(.tag("p", ["class": "meta"], text: "Note: \(note)")) }
        let changes = drift.findings.filter { $0.kind != .psi && $0.change != nil }
        if !changes.isEmpty {
            let shown = changes.filter { $0.verdict != .pass || abs($0.change ?? 0) > $0.tolerance }
            let drawn = shown.isEmpty ? Array(changes.prefix(12)) : shown
            let tolerance = drawn.map(\.tolerance).max() ?? drift.settings.tolerance
            let rows = drawn.map { finding in
                // Decision, attribute and group: "hispanic · selection_rate" stood for two
                // decisions' findings alike, and "unknown" for any attribute's.
                BarChart.Row(label: [finding.decision, finding.attribute, finding.group, finding.metric].compactMap { $0 }.joined(separator: " · "), bars: [.init(value: finding.change, interval: finding.interval,
                                                                       style: finding.verdict == .fail ? .fail : finding.verdict == .pass ? .pass : .insufficient)],
                             note: "\(ReportFormatting.number(finding.baseline)) → \(ReportFormatting.number(finding.current)); \(finding.reason)")
            }
            let chart = BarChart(title: "Changes since the baseline", description: rows.map { "\($0.label) \($0.bars[0].value.map { ChartNumber.label($0) } ?? "")" }.joined(separator: "; "),
                                 axisTitle: "change (now − baseline)", rows: rows,
                                 band: ChartBand(lower: -tolerance, upper: tolerance, label: "tolerance ±\(ChartNumber.label(tolerance, digits: 2).trimmingZeros)"))
            children.append(HTMLPage.figure(chart.svg, caption: shown.isEmpty ? "Changes since the baseline (the first \(drawn.count); none beyond its tolerance)"
                                                : "Changes beyond their tolerance or undecided, with simultaneous intervals",
                                            explanation: "A value drifted when its whole interval lies outside the tolerance band; a change whose interval reaches into the band could be noise.",
                                            legend: HTMLPage.barLegend(limit: false, band: "tolerance band", undecided: HTMLPage.undecidedDrift)))
        }
        let psi = drift.findings.filter { $0.kind == .psi && $0.change != nil }
        if !psi.isEmpty {
            let rows = psi.map { finding in
                BarChart.Row(label: [finding.attribute, finding.group].compactMap { $0 }.joined(separator: " · "), bars: [.init(value: finding.change, style: finding.verdict == .fail ? .fail : finding.verdict == .pass ? .pass : .insufficient)],
                             note: "p = \(ReportFormatting.number(finding.pValue)); \(finding.reason)")
            }
            let chart = BarChart(title: "Score drift per group (PSI)", description: rows.map { "\($0.label) \($0.bars[0].value.map { ChartNumber.label($0) } ?? "")" }.joined(separator: "; "),
                                 axisTitle: "population stability index", rows: rows,
                                 limits: [ChartLimit(value: drift.settings.psi, label: "limit \(ChartNumber.label(drift.settings.psi, digits: 2).trimmingZeros)")])
            children.append(HTMLPage.figure(chart.svg, caption: "How far each group's scores moved since the baseline",
                                            explanation: Metric.populationStabilityIndex.definition.plainWords,
                                            legend: HTMLPage.barLegend(undecided: HTMLPage.undecidedDrift)))
        }
        var table = HTMLTable(caption: "Every value compared", header: ["verdict", "kind", "metric", "decision", "attribute", "group", "baseline", "now", "change", "interval", "tolerance", "why"],
                              numeric: [6, 7, 8, 10])
        table.labelColumns = [3, 4, 5]
        for finding in drift.findings {
            table.append([DriftRendering.verdictWord(finding.verdict), finding.kind.rawValue, finding.metric, finding.decision ?? "—", finding.attribute,
                          finding.group ?? "—", ReportFormatting.number(finding.baseline), ReportFormatting.number(finding.current),
                          ReportFormatting.number(finding.change), ReportFormatting.interval(finding.interval), ReportFormatting.number(finding.tolerance), finding.reason],
                         className: finding.verdict == .fail ? "fail" : finding.verdict == .insufficientEvidence ? "insufficient" : "")
        }
        children.append(.tag("details", [:], [.tag("summary", text: "Numbers: all \(drift.findings.count) values compared"), table.markup]))
        return [.tag("section", ["class": "drift"], children)]
    }

    /// Every row read, used or left out and why; per decision too.
    static func rowAccounting(_ report: AuditReport) -> Markup {
        var table = HTMLTable(caption: "Rows", header: ["", "rows"], numeric: [1])
        table.labelColumns = []
        table.append(["read", String(report.rows.read)])
        table.append(["used", String(report.rows.used)])
        for (reason, count) in report.rows.excluded.sorted(by: { $0.key < $1.key }) {
            table.append(["excluded: \(reason.replacingOccurrences(of: "_", with: " "))", String(count)])
        }
        var decisions = HTMLTable(caption: "Rows per decision", header: ["decision", "rule", "used", "selected", "excluded"], numeric: [2, 3])
        for (name, decision) in report.decisions.sorted(by: { $0.key < $1.key }) {
            decisions.append([name, decision.rule, String(decision.rows.used), String(decision.selected),
                              decision.rows.excluded.sorted { $0.key < $1.key }.filter { $0.value > 0 }
                                .map { "\($0.value) \($0.key.replacingOccurrences(of: "_", with: " "))" }.joined(separator: ", ")])
        }
        var children: [Markup] = [
            .tag("h2", ["id": "rows"], text: "Row accounting"),
            .tag("p", ["class": "explain"], text: "Every row of the data is accounted for: read = used + excluded. Nothing is dropped silently."),
            table.markup, decisions.markup,
            .tag("p", ["class": "meta"], text: "Columns read: " + (report.data.columnPurposes.map(ColumnPurposes.text)
                                                                      ?? report.data.columns.joined(separator: ", "))),
        ]
        if let labels = report.lateLabels {
            children.append(.tag("p", text: "Labels from \(labels.source) joined on \(labels.idColumn): \(labels.labelled) rows labelled, "
                                 + "\(labels.unlabelled) not yet, \(labels.unmatched) labels without a row"
                                 + (labels.completes.map { "; completes history entry \($0.entry)" } ?? "")))
        }
        return .tag("section", ["class": "rows"], children)
    }
}
