import FairleadCore

extension HTMLRendering {
    /// Per decision: the between-groups rules across attributes, then per attribute its
    /// groups' counts and rates and a chart per rule metric.
    static func decisions(_ report: AuditReport) -> [Markup] {
        report.decisions.keys.sorted().enumerated().compactMap { index, name in
            guard let decision = report.decisions[name] else { return nil }
            var children: [Markup] = [
                .tag("h2", ["id": "decision-\(index)"], [.text("Decision "), .tag("code", text: HTMLPage.label(name)), .text(": \(decision.rule)")]),
                .tag("p", ["class": "meta"], text: "\(decision.selected) of \(decision.rows.used) rows selected"),
            ]
            if let tie = decision.tieAtCutoff { children.append(.tag("p", ["class": "note"], text: "Note: " + tie.sentence)) }
            let findings = report.findings.filter { $0.decision == name }
            for (rule, ruleFindings) in grouped(findings) {
                guard let limit = RuleLimit(rule), let metric = Metric(rawValue: limit.metric),
                      metric.definition.scope == .perAttribute else { continue }
                children.append(attributeRuleChart(report, decision: name, rule: rule, limit: limit, metric: metric, findings: ruleFindings))
            }
            for attribute in decision.attributes.keys.sorted() {
                guard let section = decision.attributes[attribute] else { continue }
                children.append(attributeSection(report, decision: name, attribute: attribute, section: section,
                                                  findings: findings.filter { $0.attribute == attribute }))
            }
            return .tag("section", ["class": "decision"], children)
        }
    }

    /// A between-groups rule (one value per attribute): a bar per attribute.
    static func attributeRuleChart(_ report: AuditReport, decision: String, rule: String, limit: RuleLimit, metric: Metric,
                                   findings: [AuditReport.Finding]) -> Markup {
        var rows: [BarChart.Row] = []
        var table = HTMLTable(header: ["attribute", "value", "interval", "limit", "distance to limit", "verdict", "why"], numeric: [1, 2, 3, 4])
        for finding in findings.sorted(by: { $0.attribute < $1.attribute }) {
            let style: BarChart.Style = finding.verdict == .pass ? .pass : finding.verdict == .fail ? .fail : .insufficient
            // The bar is the value the verdict rests on: among the groups large enough, without
            // an interval (the report holds none for it), when the small ones were set aside;
            // no interval either when a tie at the cutoff decided it (the reason gives its range).
            let judged = finding.judgedValue != nil || finding.isDecidedThroughTie
            rows.append(.init(label: finding.attribute, bars: [.init(value: finding.decidingValue, interval: judged ? nil : finding.interval, style: style,
                                                                      text: finding.valueIsWithheld ? BarChart.withheld : nil)],
                              note: "\(ReportFormatting.verdictWord(finding.verdict)): \(finding.reason)"))
            table.append([finding.attribute, ReportFormatting.decidingValue(of: finding), ReportFormatting.decidingInterval(of: finding, interval: finding.interval),
                          "\(limit.comparison.rawValue) \(ChartNumber.label(limit.bound))", limit.distanceText(finding.distanceValue),
                          ReportFormatting.verdictWord(finding.verdict), finding.reason],
                         className: finding.verdict == .fail ? "fail" : finding.verdict == .insufficientEvidence ? "insufficient" : "")
        }
        let chart = BarChart(title: "\(rule) under \(HTMLPage.label(decision)), per attribute",
                             description: "\(metric.rawValue) per attribute with its interval; the dashed line is the limit \(ChartNumber.label(limit.bound)). "
                                + findings.map { "\($0.attribute) \(ReportFormatting.decidingValue(of: $0)) (\($0.verdict.rawValue))" }.joined(separator: "; "),
                             axisTitle: "\(metric.rawValue) (\(metric.definition.formula))", rows: rows,
                             limits: [ChartLimit(value: limit.bound, label: limit.label)])
        return .tag("div", ["class": "rule-chart"], [
            HTMLPage.figure(chart.svg, caption: "\(rule) — one value per attribute", explanation: metric.definition.plainWords,
                            legend: HTMLPage.barLegend()),
            table.markup,
        ])
    }

    /// One attribute under one decision: counts and rates per group, then a chart per
    /// per-group rule metric and per component rate of the between-groups rules.
    static func attributeSection(_ report: AuditReport, decision: String, attribute: String, section: AuditReport.AttributeReport,
                                 findings: [AuditReport.Finding]) -> Markup {
        var children: [Markup] = [
            .tag("h3", [:], [.text(HTMLPage.label(attribute))] + (section.referenceGroup.map {
                [.tag("span", ["class": "meta"], text: " — reference group \(HTMLPage.label($0)) (\(section.referenceMethod))")]
            } ?? [])),
        ]
        if section.excludedMissing > 0 {
            children.append(.tag("p", ["class": "meta"], text: "\(section.excludedMissing) rows left out: missing value, excluded by the profile"))
        }
        var components: [GroupMetric] = []
        for (rule, ruleFindings) in grouped(findings) {
            guard let limit = RuleLimit(rule), let metric = Metric(rawValue: limit.metric) else { continue }
            if metric.definition.scope == .perGroup, metric.definition.family != .queue {
                children.append(groupRuleChart(report, decision: decision, attribute: attribute, section: section, rule: rule,
                                               limit: limit, metric: metric, findings: ruleFindings))
            } else {
                components += metric.definition.components.filter { !components.contains($0) }
            }
        }
        for component in components {
            children.append(componentChart(report, decision: decision, attribute: attribute, section: section, metric: Metric(component)))
        }
        children.append(groupTable(report, attribute: attribute, section: section))
        if !section.fairness.isEmpty {
            var table = HTMLTable(caption: "Fairness values of \(HTMLPage.label(attribute))", header: ["metric", "value", "interval", "in plain words"], numeric: [1])
            table.labelColumns = []
            for name in section.fairness.keys.sorted() {
                guard let estimate = section.fairness[name] else { continue }
                table.append(cells: [.init(name, code: true), .init(ReportFormatting.estimate(estimate)),
                                     .init(ReportFormatting.interval(estimate.interval) + (estimate.undefinedReason.map { " (\($0))" } ?? "")),
                                     .init(Metric(rawValue: name)?.definition.plainWords ?? "")])
            }
            children.append(.tag("details", [:], [.tag("summary", text: "All fairness values of \(HTMLPage.label(attribute)) under \(HTMLPage.label(decision))"), table.markup]))
        }
        return .tag("section", ["class": "attribute"], children)
    }

    /// A per-group rule (`disparate_impact`): a bar per group with its interval, the limit,
    /// and for disparate impact the four-fifths band.
    static func groupRuleChart(_ report: AuditReport, decision: String, attribute: String, section: AuditReport.AttributeReport,
                               rule: String, limit: RuleLimit, metric: Metric, findings: [AuditReport.Finding]) -> Markup {
        let byGroup = Dictionary(findings.compactMap { finding in finding.group.map { ($0, finding) } }, uniquingKeysWith: { first, _ in first })
        var rows: [BarChart.Row] = []
        var table = HTMLTable(header: ["group", "n", "value", "interval", "distance to limit", "verdict", "why"], numeric: [1, 2, 3, 4])
        for (group, groupReport) in ReportFormatting.orderedGroups(section.groups, order: ReportFormatting.declaredOrder(report, attribute: attribute)) where groupReport.count > 0 {
            let finding = byGroup[group]
            let estimate = report.estimate(metric, decision: decision, attribute: attribute, group: group)
            let value = finding?.value ?? estimate?.value
            let interval = finding?.interval ?? estimate?.interval
            let isReference = group == section.referenceGroup
            let style: BarChart.Style
            switch finding?.verdict {
            case .pass?: style = .pass
            case .fail?: style = .fail
            case .insufficientEvidence?: style = .insufficient
            default: style = groupReport.sufficient ? .neutral : .insufficient
            }
            let verdict = finding.map { ReportFormatting.verdictWord($0.verdict) } ?? (isReference ? "reference" : "—")
            let withheld = finding?.valueIsWithheld == true || (finding == nil && estimate?.undefinedReason == SuppressedView.withheldReason)
            rows.append(.init(label: isReference ? "\(HTMLPage.label(group)) (reference)" : group,
                              bars: [.init(value: value, interval: interval, style: style, text: value == nil && withheld ? BarChart.withheld : nil)],
                              note: "n = \(groupReport.count); \(verdict)" + (finding.map { ": \($0.reason)" } ?? "")))
            table.append([group, String(groupReport.count), value == nil && withheld ? "withheld" : ReportFormatting.number(value), ReportFormatting.interval(interval),
                          finding.map { limit.distanceText($0.distanceValue) } ?? "", verdict, finding?.reason ?? (estimate?.undefinedReason ?? "")],
                         className: style == .fail ? "fail" : (style == .insufficient ? "insufficient" : ""))
        }
        let band = metric == .disparateImpact ? ChartBand(lower: 0.8, upper: 1.25, label: "four-fifths band: 0.8 to 1.25") : nil
        let chart = BarChart(title: "\(rule) under \(HTMLPage.label(decision)), \(HTMLPage.label(attribute)) by group",
                             description: "\(metric.rawValue) per group of \(HTMLPage.label(attribute)) with intervals; limit \(ChartNumber.label(limit.bound)). "
                                + rows.map { "\($0.label) \($0.bars.first?.said ?? "undefined")" }.joined(separator: "; "),
                             axisTitle: "\(metric.rawValue) (\(metric.definition.formula))", rows: rows,
                             limits: [ChartLimit(value: limit.bound, label: limit.label)], band: band,
                             baseline: 0)
        return .tag("div", ["class": "rule-chart"], [
            HTMLPage.figure(chart.svg, caption: "\(rule) — \(HTMLPage.label(attribute)), one bar per group", explanation: metric.definition.plainWords,
                            legend: HTMLPage.barLegend(band: band?.label)),
            table.markup,
        ])
    }

    /// A group rate a between-groups rule compares (the true positive rate of
    /// `equal_opportunity_difference`): a bar per group with its Wilson interval.
    static func componentChart(_ report: AuditReport, decision: String, attribute: String, section: AuditReport.AttributeReport,
                               metric: Metric) -> Markup {
        var rows: [BarChart.Row] = []
        for (group, groupReport) in ReportFormatting.orderedGroups(section.groups, order: ReportFormatting.declaredOrder(report, attribute: attribute)) where groupReport.count > 0 {
            let estimate = groupReport.metrics[metric.rawValue]
            rows.append(.init(label: group, bars: [.init(value: estimate?.value, interval: estimate?.interval,
                                                         style: groupReport.sufficient ? .neutral : .insufficient,
                                                         text: estimate?.value == nil ? (estimate?.undefinedReason ?? "undefined") : nil)],
                              note: "n = \(groupReport.count)" + (estimate?.numerator.map { n in
                                  " (\(ChartNumber.label(n, digits: 0)) of \(ChartNumber.label(estimate?.denominator ?? 0, digits: 0)))" } ?? "")))
        }
        let overall = section.overall.metrics[metric.rawValue]?.value
        let chart = BarChart(title: "\(metric.rawValue) under \(HTMLPage.label(decision)), \(HTMLPage.label(attribute)) by group",
                             description: "\(metric.rawValue) per group with Wilson intervals. "
                                + rows.map { "\($0.label) \($0.bars.first?.said ?? "undefined")" }.joined(separator: "; "),
                             axisTitle: "\(metric.rawValue) (\(metric.definition.formula))", rows: rows,
                             limits: overall.map { [ChartLimit(value: $0, label: "all: \(ChartNumber.label($0))")] } ?? [])
        return HTMLPage.figure(chart.svg, caption: "\(metric.rawValue) — \(HTMLPage.label(attribute)), one bar per group (the rate the rule compares; numbers in the group table below)",
                               explanation: metric.definition.plainWords, legend: HTMLPage.barLegend(limit: false))
    }

    /// Counts, shares and rates with intervals per group; small groups greyed and marked *.
    static func groupTable(_ report: AuditReport, attribute: String, section: AuditReport.AttributeReport) -> Markup {
        let columns = ReportFormatting.groupColumns.filter { section.overall.metrics[$0.metric] != nil }
        var table = HTMLTable(caption: "Groups of \(HTMLPage.label(attribute)): counts and rates with \(level(report)) intervals",
                              header: ["group", "n", "share"] + columns.map(\.heading), numeric: Set(1..<(3 + columns.count)))
        // The overall row is labelled here, and every group distinguished from it.
        table.labelsDistinguished = true
        let groups = ReportFormatting.orderedGroups(section.groups, order: ReportFormatting.declaredOrder(report, attribute: attribute))
            .map { (ReportFormatting.groupLabel($0.0), $0.1) }
        for (name, group) in groups + [(ReportFormatting.overallLabel, section.overall)] {
            var label = group.label.map { "\(HTMLPage.label(name)) (\($0))" } ?? name
            if !group.sufficient { label += " *" }
            table.append([label, String(group.count), ReportFormatting.percent(group.share)] + columns.map { column in
                guard let estimate = group.metrics[column.metric] else { return "—" }
                let interval = ReportFormatting.interval(estimate.interval, digits: 2)
                return ReportFormatting.estimate(estimate) + (interval.isEmpty ? "" : " \(interval)")
            }, className: group.sufficient ? "" : "insufficient")
        }
        let words = columns.compactMap { column in Metric(rawValue: column.metric).map { "\(column.heading): \($0.definition.plainWords)" } }
        return .tag("div", ["class": "group-table"], [
            table.markup,
            .tag("details", [:], [.tag("summary", text: "What the columns mean"),
                                  .tag("ul", ["class": "explain"], words.map { .tag("li", text: $0) })]),
        ])
    }

    /// "95%".
    static func level(_ report: AuditReport) -> String {
        "\(FindingJudge.format(report.settings.intervalLevel * 100))%"
    }
}
