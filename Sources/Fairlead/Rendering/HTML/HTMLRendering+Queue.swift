import FairleadCore

extension HTMLRendering {
    /// The lead queue per attribute: score distributions, the threshold sweep,
    /// calibration curves (probability scores only), top-k shares, and the queue metrics.
    static func queue(_ report: AuditReport) -> [Markup] {
        let attributes = Set(report.queue.map { Array($0.keys) } ?? []).union(report.scoreDistribution.map { Array($0.attributes.keys) } ?? []).sorted()
        guard !attributes.isEmpty else { return [] }
        var children: [Markup] = [
            .tag("h2", ["id": "queue"], text: "Lead queue"),
            .tag("p", ["class": "explain"], text: "How the score orders leads, whatever the threshold: how each group's scores are spread, "
                 + "at which thresholds each rule would hold, whether a score means the same conversion chance in every group, and who reaches the top of the queue."),
        ]
        for attribute in attributes {
            var section: [Markup] = [.tag("h3", text: HTMLPage.label(attribute))]
            if let histograms = report.scoreDistribution?.attributes[attribute] {
                section += scoreDistribution(report, attribute: attribute, histograms: histograms)
            }
            if let queue = report.queue?[attribute] {
                section += thresholdSweep(report, attribute: attribute, queue: queue)
                section += calibration(report, attribute: attribute, queue: queue)
                section += topK(attribute: attribute, queue: queue)
                section.append(queue.groups.isEmpty ? .tag("p", ["class": "explain"], text: QueueRendering.noGroupsText + ".")
                                                    : queueTable(attribute: attribute, queue: queue))
            }
            children.append(.tag("section", ["class": "attribute"], section))
        }
        return [.tag("section", ["class": "queue"], children)]
    }

    /// Small-multiple histograms of each group's scores (density over the group's decile
    /// bins), and the table of cut points and counts they are drawn from.
    static func scoreDistribution(_ report: AuditReport, attribute: String,
                                  histograms: [String: AuditReport.ScoreHistogram]) -> [Markup] {
        let range = report.data.scoreScale?.range ?? []
        let groups = histograms.sorted { ($1.value.count, $0.key) < ($0.value.count, $1.key) }
        let allCuts = groups.flatMap(\.value.cuts)
        let low = range.count == 2 ? range[0] : (allCuts.min() ?? 0)
        let high = range.count == 2 ? range[1] : (allCuts.max() ?? 1)
        guard high > low else { return [] }
        func bins(_ histogram: AuditReport.ScoreHistogram) -> [HistogramChart.Bin] {
            let edges = [low] + histogram.cuts + [high]
            return histogram.counts.enumerated().compactMap { index, count in
                guard index + 1 < edges.count else { return nil }
                return HistogramChart.Bin(lower: edges[index], upper: edges[index + 1], count: count)
            }
        }
        // A panel per group, the largest first (`groups` is in that order); a page of
        // thousands of panels shows nothing.
        let charted = ChartedGroups(groups.filter { $0.value.count > 0 }.map { ($0.key, Int?($0.value.count)) },
                                    minimum: report.settings.minimumGroupSize, limit: Self.histogramPanels,
                                    ranking: "largest", table: "the table of cut points and counts")
        let charts = charted.drawn.compactMap { name in histograms[name].map { (name, $0) } }.map { name, histogram in
            HistogramChart(title: "Scores of \(HTMLPage.label(attribute)) = \(HTMLPage.label(name))", description: "\(histogram.count) scored rows over \(histogram.counts.count) bins cut at the group's deciles",
                           axisTitle: "score of \(ChartFrame.short(name, limit: 20)) (n = \(histogram.count))", bins: bins(histogram), domain: low...high)
        }
        let tallest = charts.compactMap { $0.densities.max() }.max()
        let figures: [Markup] = charts.map { chart in
            var shared = chart
            shared.densityLimit = tallest
            return .tag("figure", [:], [shared.svg])
        }
        var table = HTMLTable(caption: "Score bins of \(HTMLPage.label(attribute)): cut points (the group's deciles) and rows per bin",
                              header: ["group", "n", "cut points", "rows per bin"], numeric: [1])
        for (name, histogram) in groups {
            table.append([name, String(histogram.count), histogram.cuts.map { ReportFormatting.number($0) }.joined(separator: ", "),
                          histogram.counts.map(String.init).joined(separator: ", ")])
        }
        return [
            .tag("h4", text: "Score distribution per group"),
            .tag("p", ["class": "explain"], text: "Each histogram shows where a group's scores lie: bars are the group's score deciles, "
                 + "their height the share of the group's rows per unit of score (all on one scale). Groups whose mass sits lower are scored lower."),
            .tag("div", ["class": "small-multiples"], figures),
        ] + (charted.note.map { [.tag("p", ["class": "meta"], text: $0)] } ?? []) + [
            .tag("details", [:], [.tag("summary", text: "Numbers: cut points and counts"), table.markup]),
        ]
    }

    /// The most score histograms drawn per attribute (``ChartedGroups``).
    static let histogramPanels = 24

    /// Where on the score scale each rule would hold, with the threshold decisions marked.
    static func thresholdSweep(_ report: AuditReport, attribute: String, queue: AuditReport.QueueReport) -> [Markup] {
        guard !queue.thresholdRanges.isEmpty else { return [] }
        let range = report.data.scoreScale?.range ?? [0, 1]
        guard range.count == 2, range[1] > range[0] else { return [] }
        let rules = queue.thresholdRanges.keys.sorted()
        let marks = report.decisions.sorted { $0.key < $1.key }.compactMap { name, decision in
            decision.threshold.map { ChartLimit(value: $0, label: "\(HTMLPage.label(name))") }
        }
        let chart = RangeStripChart(title: "Score thresholds at which each rule holds for \(HTMLPage.label(attribute))",
                                    description: rules.map { "\($0): \(QueueRendering.rangesText(queue.thresholdRanges[$0] ?? []))" }.joined(separator: "; "),
                                    axisTitle: "score threshold (select leads scored at or above it)", domain: range[0]...range[1],
                                    rows: rules.map { .init(label: $0, ranges: queue.thresholdRanges[$0] ?? []) }, marks: marks)
        var table = HTMLTable(header: ["rule", "holds for score thresholds"])
        table.labelColumns = []
        for rule in rules { table.append(cells: [.init(rule, code: true), .init(QueueRendering.rangesText(queue.thresholdRanges[rule] ?? []))]) }
        return [
            .tag("h4", text: "Threshold sweep"),
            HTMLPage.figure(chart.svg, caption: "Where each rule holds for \(HTMLPage.label(attribute)) (shaded), over 101 thresholds on the score's scale; dotted lines: this audit's thresholds",
                            explanation: "If the team moved its threshold into a shaded range, that rule would hold for \(HTMLPage.label(attribute)). "
                                + "Thresholds that select every lead or none are left out."),
            table.markup,
        ]
    }

    /// Reliability curves per group: mean score against observed conversion, per score bin.
    static func calibration(_ report: AuditReport, attribute: String, queue: AuditReport.QueueReport) -> [Markup] {
        guard report.data.scoreScale?.probabilities ?? true else {
            return [.tag("p", ["class": "meta"], text: "Calibration: not applicable — the scores are not probabilities.")]
        }
        let groups = queue.calibrationBins.keys.sorted().filter { name in
            queue.calibrationBins[name]?.contains { $0.meanScore != nil && $0.observedRate != nil } ?? false
        }
        guard !groups.isEmpty else { return [] }
        // One line per group, the largest first, as many as the palette tells apart.
        let rows = groups.map { name in (name: name, rows: Int?((queue.calibrationBins[name] ?? []).reduce(0) { $0 + $1.count })) }
        let charted = ChartedGroups(rows.sorted { ($0.rows ?? 0, $1.name) > ($1.rows ?? 0, $0.name) },
                                    minimum: report.settings.minimumGroupSize, limit: ChartPalette.seriesCount,
                                    ranking: "largest", table: "the table of reliability bins")
        guard !charted.drawn.isEmpty else {
            return [.tag("h4", text: "Calibration"), .tag("p", ["class": "meta"], text: charted.note ?? "")]
        }
        // In the names' order, as every group was drawn before: the same group keeps its colour.
        let drawn = Set(charted.drawn)
        let series = groups.filter(drawn.contains).map { name in
            LineChart.Series(name: name, points: (queue.calibrationBins[name] ?? []).compactMap { bin in
                guard let mean = bin.meanScore, let rate = bin.observedRate else { return nil }
                return LineChart.Point(x: mean, y: rate, note: "n = \(bin.count)")
            })
        }
        let chart = LineChart(title: "Calibration of the score per group of \(HTMLPage.label(attribute))",
                              description: series.map { "\($0.name): " + $0.points.map { "\(ChartNumber.label($0.x, digits: 2))→\(ChartNumber.label($0.y, digits: 2))" }.joined(separator: ", ") }.joined(separator: "; "),
                              xTitle: "mean score in the bin", yTitle: "observed conversion rate", series: series,
                              xDomain: 0...1, yDomain: 0...1, diagonal: true)
        var table = HTMLTable(caption: "Reliability bins of \(HTMLPage.label(attribute))", header: ["group", "bin", "n", "mean score", "observed rate"], numeric: [2, 3, 4])
        for name in groups {
            for bin in queue.calibrationBins[name] ?? [] where bin.count > 0 {
                table.append([name, "\(ReportFormatting.number(bin.lower, digits: 2))–\(ReportFormatting.number(bin.upper, digits: 2))", String(bin.count),
                              ReportFormatting.number(bin.meanScore), ReportFormatting.number(bin.observedRate)])
            }
        }
        return [
            .tag("h4", text: "Calibration"),
            HTMLPage.figure(chart.svg, caption: "Calibration curves of \(HTMLPage.label(attribute)): one line per group; the dashed diagonal is perfect calibration",
                            explanation: Metric.expectedCalibrationError.definition.plainWords
                                + " A line under the diagonal means the group's leads convert less often than their scores say."),
        ] + (charted.note.map { [.tag("p", ["class": "meta"], text: $0)] } ?? []) + [
            .tag("details", [:], [.tag("summary", text: "Numbers: reliability bins"), table.markup]),
        ]
    }

    /// Per top-k cutoff: each group's share of the top against its share of all leads.
    static func topK(attribute: String, queue: AuditReport.QueueReport) -> [Markup] {
        queue.topK.keys.sorted().flatMap { cutoff -> [Markup] in
            guard let top = queue.topK[cutoff] else { return [] }
            let groups = top.groups.keys.sorted { (top.groups[$0]?["share_of_population"]?.value ?? 0, $1) > (top.groups[$1]?["share_of_population"]?.value ?? 0, $0) }
            var rows: [BarChart.Row] = []
            let intervals = top.groups.values.contains { $0["share_of_top_k"]?.interval != nil }
            var table = HTMLTable(caption: "\(cutoff) (k = \(top.k)) by group of \(HTMLPage.label(attribute))",
                                  header: ["group", "share of top k"] + (intervals ? ["interval"] : []) + ["share of population", "skew@k", "selection rate at k"],
                                  numeric: intervals ? [1, 2, 3, 4, 5] : [1, 2, 3, 4])
            for name in groups {
                let metrics = top.groups[name] ?? [:]
                let share = metrics["share_of_top_k"], population = metrics["share_of_population"]
                rows.append(.init(label: name, bars: [.init(value: share?.value, interval: share?.interval, series: 0),
                                                      .init(value: population?.value, interval: population?.interval, series: 1)],
                                  note: "skew@k \(ReportFormatting.estimate(metrics["skew_at_k"]))"))
                table.append([name, ReportFormatting.estimate(share)] + (intervals ? [ReportFormatting.interval(share?.interval)] : []) + [ReportFormatting.estimate(population),
                              ReportFormatting.estimate(metrics["skew_at_k"]), ReportFormatting.estimate(metrics["selection_rate_at_k"])])
            }
            let series = ["share of the top \(top.k)", "share of all leads"]
            let chart = BarChart(title: "Share of the top \(top.k) against share of all leads, by group of \(HTMLPage.label(attribute))",
                                 description: rows.map { "\($0.label): top \($0.bars[0].said), all \($0.bars[1].said)" }.joined(separator: "; "),
                                 axisTitle: "share", rows: rows, seriesNames: series)
            return [
                .tag("h4", [:], [.text("Top of the queue: "), .tag("code", text: cutoff)]),
            ] + (top.tieAtCutoff.map { [.tag("p", ["class": "note"], text: "Note: " + $0.queueSentence)] } ?? []) + [
                HTMLPage.figure(chart.svg, caption: "Who reaches the top \(top.k): each group's share of it (upper bar) against its share of all leads (lower bar)",
                                explanation: Metric.skewAtK.definition.plainWords, legend: HTMLPage.barLegend(limit: false, series: series)),
                table.markup,
            ]
        }
    }

    /// The threshold-free queue metrics per group.
    static func queueTable(attribute: String, queue: AuditReport.QueueReport) -> Markup {
        let names = ["auc", "xauc_disparity", "ks_statistic", "wasserstein_distance", "expected_calibration_error", "calibration_in_the_large", "brier_score"]
        let present = names.filter { name in queue.groups.values.contains { $0[name] != nil } }
        var table = HTMLTable(caption: "Queue metrics of \(HTMLPage.label(attribute)) (threshold-free)", header: ["group"] + present, numeric: Set(1...max(1, present.count)))
        for group in queue.groups.keys.sorted() {
            let metrics = queue.groups[group] ?? [:]
            table.append([group] + present.map { ReportFormatting.estimate(metrics[$0]) })
        }
        var fairness = HTMLTable(caption: "Between groups", header: ["metric", "value", "interval"], numeric: [1])
        fairness.labelColumns = []
        for name in queue.fairness.keys.sorted() {
            guard let estimate = queue.fairness[name] else { continue }
            fairness.append(cells: [.init(name, code: true), .init(ReportFormatting.estimate(estimate)), .init(ReportFormatting.interval(estimate.interval))])
        }
        let words = (present + queue.fairness.keys.sorted()).compactMap { name in Metric(rawValue: name).map { "\(HTMLPage.label(name)): \($0.definition.plainWords)" } }
        return .tag("details", [:], [
            .tag("summary", text: "Queue metrics of \(HTMLPage.label(attribute)): AUC, calibration, distances"),
            table.markup, fairness.markup,
            .tag("ul", ["class": "explain"], words.map { .tag("li", text: $0) }),
        ])
    }
}
