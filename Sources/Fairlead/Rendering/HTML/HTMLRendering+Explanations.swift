import FairleadCore

extension HTMLRendering {
    /// Contributions drawn per group gap; the rest are summed in one step (all are in the table).
    static let contributionsDrawn = 6

    /// What drives each group's score gap (waterfalls), which features stand in for a
    /// sensitive attribute (proxy measures over their thresholds), and what reps never see.
    static func explanations(_ report: AuditReport) -> [Markup] {
        guard let explanations = report.explanations else { return [] }
        var children: [Markup] = [
            .tag("h2", ["id": "explanations"], text: "Explanations"),
            .tag("p", ["class": "meta"], text: "Model \(explanations.model.path) (\(explanations.model.kind), \(explanations.model.link) link; "
                 + "\(explanations.model.explainer) SHAP over \(explanations.rows) rows; proxies measured on \(explanations.reference.rows) rows of "
                 + "\(explanations.reference.source)) · proxy checks: \(ReportFormatting.verdictWord(explanations.status))"),
            .tag("p", text: "Never given to reps as a reason: " + ExplanationsRendering.withheld(explanations)
                 + (explanations.allowed.isEmpty ? "" : "; allowed all the same: \(explanations.allowed.joined(separator: ", "))")),
        ]
        if !explanations.findings.isEmpty {
            var table = HTMLTable(caption: "Proxy checks", header: ["verdict", "kind", "feature", "attribute", "group", "measure", "value", "threshold", "why"],
                                  numeric: [6, 7])
            table.labelColumns = [2, 3, 4]
            for finding in explanations.findings {
                table.append([ReportFormatting.verdictWord(finding.verdict), finding.kind, finding.feature ?? "—", finding.attribute, finding.group ?? "—",
                              finding.measure, ReportFormatting.number(finding.value), ReportFormatting.number(finding.threshold), finding.reason],
                             className: finding.verdict == .fail ? "fail" : "")
            }
            children.append(table.markup)
        }
        for attribute in explanations.decomposition.keys.sorted() {
            guard let decomposition = explanations.decomposition[attribute] else { continue }
            children += decompositionFigures(attribute: attribute, decomposition: decomposition)
        }
        let proxies = proxyCharts(explanations)
        if !proxies.isEmpty { children.append(.tag("div", ["class": "proxies"], proxies)) }
        return [.tag("section", ["class": "explanations"], children)]
    }

    /// A waterfall per group: from the reference group's mean margin (a gap of 0) through
    /// each feature's contribution to the group's gap.
    static func decompositionFigures(attribute: String, decomposition: AuditReport.Decomposition) -> [Markup] {
        var children: [Markup] = [
            .tag("h3", text: "What drives the score gap of \(HTMLPage.label(attribute))"),
            .tag("p", ["class": "explain"], text: "Each group's mean score (in log-odds) minus the reference group \(HTMLPage.label(decomposition.referenceGroup))'s, "
                 + "split into what each feature adds. A long bar to the left is a feature that pulls the group's scores down; "
                 + "if it is a proxy of \(HTMLPage.label(attribute)), the gap comes from the attribute by another name."),
        ]
        var figures: [Markup] = []
        var table = HTMLTable(caption: "Gap decomposition of \(HTMLPage.label(attribute)) (reference \(HTMLPage.label(decomposition.referenceGroup)))",
                              header: ["group", "n", "mean margin", "gap", "feature", "contribution"], numeric: [1, 2, 3, 5])
        for (group, gap) in ExplanationsRendering.gaps(decomposition) {
            let ordered = gap.contributions.sorted { abs($0.value) != abs($1.value) ? abs($0.value) > abs($1.value) : $0.key < $1.key }
            var steps = ordered.prefix(contributionsDrawn).map { WaterfallChart.Step(label: $0.key, delta: $0.value) }
            let rest = ordered.dropFirst(contributionsDrawn)
            let restSum = rest.reduce(gap.residual) { $0 + $1.value }
            if !rest.isEmpty || gap.residual != 0 {
                steps.append(.init(label: "\(rest.count) other\(rest.count == 1 ? "" : "s") and rounding", delta: restSum))
            }
            let chart = WaterfallChart(title: "Score gap of \(HTMLPage.label(attribute)) = \(HTMLPage.label(group)) against \(HTMLPage.label(decomposition.referenceGroup)), per feature",
                                       description: "gap \(ChartNumber.label(gap.gap)) = " + ordered.map { "\($0.key) \(ChartNumber.label($0.value))" }.joined(separator: " + "),
                                       axisTitle: "gap in mean margin (log-odds) to \(ChartFrame.short(decomposition.referenceGroup, limit: 20))",
                                       start: ("\(HTMLPage.label(decomposition.referenceGroup)) (reference)", 0), steps: steps, end: ("\(HTMLPage.label(group)): gap", gap.gap))
            figures.append(HTMLPage.figure(chart.svg, caption: "\(HTMLPage.label(group)) (n = \(gap.count)): gap \(ChartNumber.label(gap.gap))"))
            for (feature, value) in ordered {
                table.append([group, String(gap.count), ReportFormatting.number(gap.meanMargin), ReportFormatting.number(gap.gap), feature,
                              ReportFormatting.number(value)])
            }
            table.append([group, String(gap.count), ReportFormatting.number(gap.meanMargin), ReportFormatting.number(gap.gap), "(residual)",
                          ReportFormatting.number(gap.residual)])
        }
        children.append(.tag("div", ["class": "waterfalls", "data-attribute": attribute], figures))
        children.append(.tag("details", [:], [.tag("summary", text: "Numbers: every contribution"), table.markup]))
        return children
    }

    /// Per attribute, each feature's strongest association measure as a bar, with the
    /// threshold it is judged by; the multivariate check's AUC per group.
    static func proxyCharts(_ explanations: AuditReport.ExplanationsReport) -> [Markup] {
        let thresholds = explanations.proxies.thresholds
        let attributes = Set(explanations.proxies.measures.values.flatMap(\.keys)).sorted()
        var children: [Markup] = []
        guard !attributes.isEmpty || !explanations.proxies.multivariate.isEmpty else { return [] }
        children.append(.tag("h3", text: "Proxies: features that stand in for a sensitive attribute"))
        for attribute in attributes {
            var section: [Markup] = []
            let features = explanations.proxies.measures.keys.sorted().compactMap { feature in
                explanations.proxies.measures[feature]?[attribute].map { (feature, $0) }
            }
            let measures: [(name: String, metric: Metric, threshold: Double, value: (AuditReport.ProxyMeasure) -> Double?)] = [
                ("cramers_v_corrected", .cramersV, thresholds.cramersV, { $0.cramersVCorrected }),
                ("correlation_ratio", .correlationRatio, thresholds.correlationRatio, { $0.correlationRatio }),
                ("best_auc", .proxyAUC, thresholds.auc, { $0.bestAuc }),
            ]
            for measure in measures {
                let rows: [BarChart.Row] = features.compactMap { feature, values in
                    guard let value = measure.value(values) else { return nil }
                    let exceeded = value >= measure.threshold
                    return .init(label: feature, bars: [.init(value: value, style: exceeded ? .fail : .pass)],
                                 note: (values.declared ? "declared proxy; " : "") + (values.exceeded.isEmpty ? "under every threshold" : "over: \(values.exceeded.joined(separator: ", "))"))
                }
                guard !rows.isEmpty else { continue }
                let chart = BarChart(title: "\(measure.name) of each feature with \(HTMLPage.label(attribute))",
                                     description: rows.map { "\($0.label) \($0.bars.first?.value.map { ChartNumber.label($0) } ?? "")" }.joined(separator: "; "),
                                     axisTitle: measure.name, rows: rows,
                                     limits: [ChartLimit(value: measure.threshold, label: "threshold \(ChartNumber.label(measure.threshold, digits: 2).trimmingZeros)")])
                section.append(HTMLPage.figure(chart.svg, caption: "\(measure.name) with \(HTMLPage.label(attribute)): features at or over the threshold are proxies",
                                               explanation: measure.metric.definition.plainWords, legend: HTMLPage.barLegend()))
            }
            var table = HTMLTable(caption: "Proxy measures with \(HTMLPage.label(attribute))",
                                  header: ["feature", "kind", "rows", "Cramér's V (corrected)", "correlation ratio", "mutual information", "best AUC (group)", "over threshold"],
                                  numeric: [2, 3, 4, 5, 6])
            for (feature, values) in features {
                table.append([feature, values.kind, String(values.rows), ReportFormatting.number(values.cramersVCorrected),
                              ReportFormatting.number(values.correlationRatio), ReportFormatting.number(values.mutualInformation),
                              values.bestAuc.map { "\(ReportFormatting.number($0)) (\(values.bestGroup ?? "—"))" } ?? "undefined",
                              values.exceeded.joined(separator: ", ") + (values.declared ? " (declared)" : "")],
                             className: values.exceeded.isEmpty ? "" : "fail")
            }
            section.append(table.markup)
            children.append(.tag("div", ["class": "proxy-attribute", "data-attribute": attribute], section))
        }
        for attribute in explanations.proxies.multivariate.keys.sorted() {
            guard let check = explanations.proxies.multivariate[attribute] else { continue }
            let groups = check.groups.keys.sorted()
            let rows: [BarChart.Row] = groups.compactMap { group in
                guard let values = check.groups[group] else { return nil }
                return .init(label: group, bars: [.init(value: values.crossValidatedAuc, style: values.crossValidatedAuc >= thresholds.multivariateAuc ? .fail : .pass)],
                             note: "\(values.positives) rows of the group")
            }
            let chart = BarChart(title: "All features together telling each group of \(HTMLPage.label(attribute)) from the rest",
                                 description: rows.map { "\($0.label) \($0.bars.first?.value.map { ChartNumber.label($0) } ?? "")" }.joined(separator: "; "),
                                 axisTitle: "cross-validated AUC", rows: rows,
                                 limits: [ChartLimit(value: thresholds.multivariateAuc, label: "threshold \(ChartNumber.label(thresholds.multivariateAuc, digits: 2).trimmingZeros)")])
            var table = HTMLTable(caption: "Multivariate check of \(HTMLPage.label(attribute)) (\(check.rows) rows, \(check.features) features, \(check.folds) folds)",
                                  header: ["group", "rows of the group", "cross-validated AUC"], numeric: [1, 2])
            for group in groups {
                guard let values = check.groups[group] else { continue }
                table.append([group, String(values.positives), ReportFormatting.number(values.crossValidatedAuc)])
            }
            children.append(HTMLPage.figure(chart.svg, caption: "Multivariate proxy check of \(HTMLPage.label(attribute))",
                                            explanation: Metric.multivariateAUC.definition.plainWords, legend: HTMLPage.barLegend()))
            children.append(table.markup)
        }
        return children
    }
}
