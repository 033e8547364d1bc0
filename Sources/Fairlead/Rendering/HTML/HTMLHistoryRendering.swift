import FairleadCore

/// The audit history as one HTML page: every entry with its verdicts, then a chart per
/// rule metric over the entries — a line per group (or per attribute, for values with one
/// per attribute) with the rule's limit — and each chart's numbers in a table.
///
/// The values are the history's indexed metric rows (``HistoryTrend``), the rules those
/// of each profile's latest entry; nothing is recomputed.
///
///     let html = try HTMLHistoryRendering.render(history: try HistoryStore.openForReading(path: "audits.sqlite"))
public enum HTMLHistoryRendering {
    /// The page of `history`, only `profile`'s entries when given. Its charts leave out a
    /// run that a later re-run repeats (``HistoryTrend/supersededBy``) unless `allRuns`;
    /// the table of entries lists every entry.
    public static func render(history: HistoryStore, profile: String? = nil, allRuns: Bool = false) throws -> String {
        let entries = try history.entries(profile: profile)
        var body: [Markup] = [
            .tag("h1", text: "Audit history" + (profile.map { ": \($0)" } ?? "")),
            .tag("p", ["class": "meta"], text: "\(history.path) · \(entries.count) entr\(entries.count == 1 ? "y" : "ies")"),
        ]
        let showsReruns = entries.contains { $0.reruns != nil }
        var table = HTMLTable(caption: "Entries", header: ["entry", "as of", "recorded", "profile", "status", "drift", "completes"]
                                  + (showsReruns ? ["re-runs"] : []) + ["report SHA-256"], numeric: [0])
        table.labelColumns = []
        // A redacted entry shows its metadata only: its report is gone.
        let redacted = try history.redactedEntryIDs()
        for entry in entries {
            let report = String(entry.reportSHA256.prefix(16)) + "…" + (redacted.contains(entry.id) ? " (report redacted)" : "")
            table.append([String(entry.id), HistoryTime.display(entry.asOf), HistoryTime.display(entry.recordedAt), entry.profile,
                          ReportFormatting.verdictWord(entry.status), entry.driftStatus.map(DriftRendering.verdictWord) ?? "—",
                          entry.completes.map { "entry \($0)" } ?? ""] + (showsReruns ? [entry.reruns.map { "entry \($0)" } ?? ""] : []) + [report],
                         className: entry.status == .fail ? "fail" : "")
        }
        body.append(table.markup)
        if !allRuns {
            var links: [Int64: Int64] = [:]
            for entry in entries { if let reruns = entry.reruns { links[entry.id] = reruns } }
            let superseded = HistoryTrend.supersededRuns(links)
            if let runs = HistoryTrend.supersededWords(superseded) {
                body.append(.tag("p", ["class": "meta"], text: "The charts draw the latest run of each audit; they leave out \(runs)."
                                 + " (fairlead history show --format html --all-runs draws every run.)"))
            }
        }
        // The rules come from each profile's latest entry that still holds its report.
        var latest: [String: HistoryEntry] = [:]
        for entry in entries where !redacted.contains(entry.id) { latest[entry.profile] = entry }
        for name in latest.keys.sorted() {
            guard let entry = latest[name] else { continue }
            let report = try history.report(of: entry.id)
            body.append(.tag("h2", text: "Trends of \(HTMLPage.label(name))"))
            var rules: [String] = []
            for rule in (report.profile.rules ?? []) + report.findings.map(\.rule) where !rules.contains(rule) { rules.append(rule) }
            if rules.isEmpty { body.append(.tag("p", text: "The profile has no rules.")) }
            for rule in rules {
                guard let limit = RuleLimit(rule), let metric = Metric(rawValue: limit.metric) else { continue }
                let places = Set(report.findings.filter { $0.rule == rule }.map { "\($0.decision)\u{0}\($0.attribute)" })
                let decisions = Set(report.findings.filter { $0.rule == rule }.map(\.decision))
                // A metric the history has no rows of reads as no tables; damage (a row
                // holding text where a number belongs) stops the page, as it stops `show`.
                let trend: HistoryTrend?
                do {
                    trend = try HistoryTrend(history: history, metric: historyName(metric), profile: name, allRuns: allRuns)
                } catch let error as FairleadError where error.kind == .usage {
                    trend = nil
                }
                let tables = (trend?.tables ?? []).filter { table in
                    table.attribute.map { places.contains("\(table.decision)\u{0}\($0)") } ?? decisions.contains(table.decision)
                }
                body.append(.tag("h3", [:], [.tag("code", text: rule)]))
                body.append(.tag("p", ["class": "explain"], text: metric.definition.plainWords))
                if tables.isEmpty {
                    body.append(.tag("p", ["class": "meta"], text: "The history holds no values of \(historyName(metric)) for this profile."))
                }
                for trendTable in tables {
                    body += trendFigure(trendTable, metric: historyName(metric), rule: rule, limit: limit)
                }
            }
        }
        return HTMLPage.document(title: "Audit history" + (profile.map { ": \($0)" } ?? ""), body: [.tag("main", [:], body)])
    }

    /// The metric rows that hold a rule metric's values: a comparison with the reference
    /// group per group (`selection_rate.ratio_to_reference` for `disparate_impact`), else
    /// the metric's own name.
    static func historyName(_ metric: Metric) -> String {
        if case .toReference(let component, let ratio) = metric.definition.location {
            return "\(component.rawValue).\(ratio ? "ratio" : "difference")_to_reference"
        }
        return metric.rawValue
    }

    /// The x axis of a trend chart over `entries` (number, as-of date) at positions 0, 1, …:
    /// a tick per entry labelled "#3 2026-03-16" while the labels fit side by side, else
    /// "#3" on every n-th entry (and the last) so that none overlaps. The axis names
    /// entries, never positions: a long history showed "0, 5, 10", the first entry at 0.
    static func entryTicks(_ entries: [(entry: Int, asOf: String)]) -> (ticks: [(Double, String)], title: String) {
        guard !entries.isEmpty else { return ([], "history entry") }
        // The plot's width over the positions and the axis' 0.3 margins at each end.
        let plot = ChartFrame.width - LineChart.left - LineChart.right
        let spacing = plot / (Double(entries.count - 1) + 0.6)
        // A tick label's width at the chart's small type, about 6.5 px a character, and a gap.
        func width(_ label: String) -> Double { Double(label.count) * 6.5 + 12 }
        let dated = entries.map { "#\($0.entry) \($0.asOf)" }
        if dated.allSatisfy({ width($0) <= spacing }) {
            return (dated.enumerated().map { (Double($0.offset), $0.element) }, "history entry (as of)")
        }
        let numbered = entries.map { "#\($0.entry)" }
        let stride = max(1, Int((numbered.map(width).max() ?? 0) / spacing) + 1)
        var positions = Array(Swift.stride(from: 0, to: entries.count, by: stride))
        if let last = positions.last, last != entries.count - 1 {
            // The last entry is always marked; the tick before it goes when they would touch.
            if entries.count - 1 - last < stride, positions.count > 1 { positions.removeLast() }
            positions.append(entries.count - 1)
        }
        return (positions.map { (Double($0), numbered[$0]) }, "history entry (each point and the table give its date)")
    }

    static func trendFigure(_ table: HistoryTrend.Table, metric: String, rule: String, limit: RuleLimit) -> [Markup] {
        let columns = table.columns.filter { $0 != HistoryMetricRow.overallGroup }
        // As many lines as the palette tells apart: those furthest short of the limit at their
        // latest entry first (then those nearest to it), drawn in the columns' order.
        func margin(_ column: String) -> Double {
            guard let value = table.rows.lazy.reversed().compactMap({ $0.values[column] ?? nil }).first else { return .infinity }
            return limit.margin(value)
        }
        let charted = ChartedGroups(columns.map { ($0, margin($0)) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map { ($0.0, Int?.none) },
                                    minimum: 0, limit: ChartPalette.seriesCount,
                                    ranking: "furthest short of the limit (or nearest to it) at their latest entry", table: "the table of numbers")
        let drawn = Set(charted.drawn)
        let series = columns.filter(drawn.contains).map { column in
            LineChart.Series(name: column, points: table.rows.enumerated().compactMap { index, row in
                guard let value = row.values[column] ?? nil else { return nil }
                return LineChart.Point(x: Double(index), y: value, note: row.reruns.map { "(a re-run of entry \($0))" } ?? "",
                                       label: "entry \(row.entry) as of \(HistoryTime.display(row.asOf).prefix(10))")
            })
        }.filter { !$0.points.isEmpty }
        let place = [table.decision, table.attribute].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · ")
        let axis = entryTicks(table.rows.map { (entry: Int($0.entry), asOf: String(HistoryTime.display($0.asOf).prefix(10))) })
        var chart = LineChart(title: "\(rule) over the history: \(place)",
                              description: series.map { "\($0.name): " + $0.points.map { ChartNumber.label($0.y) }.joined(separator: ", ") }.joined(separator: "; "),
                              xTitle: axis.title, yTitle: metric, series: series,
                              xTicks: axis.ticks, limits: [ChartLimit(value: limit.bound, label: limit.label)])
        // Entries are places, not amounts: the axis ends just past the first and the last.
        chart.xDomain = -0.3...(Double(max(table.rows.count - 1, 0)) + 0.3)
        let showsReruns = table.rows.contains { $0.reruns != nil }
        let fixed = showsReruns ? 5 : 4
        var numbers = HTMLTable(header: ["entry", "as of", "status", "drift"] + (showsReruns ? ["re-runs"] : []) + columns,
                                numeric: Set([0] + Array(fixed..<(fixed + columns.count))))
        numbers.labelColumns = []
        for row in table.rows {
            numbers.append([String(row.entry), HistoryTime.display(row.asOf), ReportFormatting.verdictWord(row.status),
                            row.driftStatus.map(DriftRendering.verdictWord) ?? "—"]
                           + (showsReruns ? [row.reruns.map { "entry \($0)" } ?? ""] : []) + columns.map { column in
                guard let value = row.values[column] else { return "" }
                return ReportFormatting.number(value)
            })
        }
        return [
            HTMLPage.figure(chart.svg, caption: "\(metric) per \(table.attribute == nil ? "attribute" : "group") — \(place)"),
        ] + (charted.note.map { [.tag("p", ["class": "meta"], text: $0)] } ?? []) + [
            .tag("details", [:], [.tag("summary", text: "Numbers"), numbers.markup]),
        ]
    }
}
