import FairleadCore

/// An audit report's mitigation section (the profile's `mitigation:`) in the terminal,
/// Markdown and HTML renderings: the same ``MitigationReport`` `fairlead mitigate` writes,
/// drawn by the same code (``MitigationRendering/body(_:markdown:level:)``) under a
/// heading of the audit's, or as HTML tables.
extension MitigationRendering {
    static let sectionTitle = "Mitigation options: what it would take to pass, and what it would cost"

    static func terminalLines(_ report: AuditReport, into lines: inout TerminalLines) {
        guard let mitigation = report.mitigation else { return }
        lines.append("")
        lines.append(sectionTitle)
        lines.append(contentsOf: body(mitigation, markdown: false, level: 3))
    }

    static func markdownLines(_ report: AuditReport) -> [String] {
        guard let mitigation = report.mitigation else { return [] }
        return ["", "## \(sectionTitle)"] + body(mitigation, markdown: true, level: 3)
    }

    /// The ways of selecting of one decision: today, the single threshold, each group option.
    static func ways(_ decision: MitigationReport.DecisionOptions) -> [(String, MitigationReport.OptionCost)] {
        var ways: [(String, MitigationReport.OptionCost)] = [("today", decision.current)]
        if let single = decision.singleThreshold {
            ways.append(("single threshold: score >= \(threshold(single.threshold))"
                         + (single.withinCapacity ? "" : " (over capacity)"), single.cost))
        }
        for option in decision.groupThresholds {
            ways.append(("\(option.attribute): \(option.constraint.replacingOccurrences(of: "_", with: " "))", option.cost))
        }
        return ways
    }
}

extension HTMLRendering {
    /// The mitigation section: the caution, then per decision a table of its ways of
    /// selecting with their cost, each group option's rules per group, and the rules
    /// under each way; the reweighing factors last.
    static func mitigation(_ report: AuditReport) -> [Markup] {
        guard let mitigation = report.mitigation else { return [] }
        var children: [Markup] = [
            .tag("h2", ["id": "mitigation"], text: "Mitigation options"),
            .tag("p", [:], [.tag("strong", text: MitigationRendering.statusWords(mitigation.status)),
                            .text(" — objective: the most conversions within each decision's capacity (the leads it selects today)")]),
            .tag("p", ["class": "explain"], text: MitigationRendering.caution),
        ]
        for note in mitigation.notes { children.append(.tag("p", ["class": "meta"], text: "Note: \(note)")) }
        for (name, decision) in mitigation.decisions.sorted(by: { $0.key < $1.key }) {
            let status = MitigationRendering.decisionStatusWords(decision)
            children.append(.tag("h3", text: "Decision \(HTMLPage.label(name)) (\(decision.kind)) · capacity \(FindingJudge.format(decision.capacity)) leads · \(status)"))
            let ways = MitigationRendering.ways(decision)
            var summary = HTMLTable(caption: "Ways of selecting and their cost", header: ["way", "selected", "conversions", "change", "precision", "rules held"],
                                    numeric: [1, 2, 3, 4])
            summary.labelColumns = []
            for (label, cost) in ways {
                summary.append([label, ReportFormatting.number(cost.selected, digits: 1), ReportFormatting.number(cost.conversions, digits: 1),
                                (cost.conversions >= decision.current.conversions ? "+" : "") + ReportFormatting.number(cost.conversions - decision.current.conversions, digits: 1),
                                ReportFormatting.number(cost.precision), "\(cost.rules.filter(\.holds).count) of \(cost.rules.count)"],
                               className: cost.rules.allSatisfy(\.holds) ? "" : "fail")
            }
            children.append(summary.markup)
            if let note = decision.singleThresholdNote { children.append(.tag("p", ["class": "meta"], text: "Single threshold: \(note)")) }
            for note in decision.groupThresholdNotes ?? [] { children.append(.tag("p", ["class": "meta"], text: note)) }
            for option in decision.groupThresholds {
                let caption = "\(HTMLPage.label(option.attribute)), \(option.constraint.replacingOccurrences(of: "_", with: " ")): common rate \(ReportFormatting.number(option.commonRate))"
                    + (option.commonTruePositiveRate.map { ", common TPR \(ReportFormatting.number($0))" } ?? "")
                    + (option.randomized ? " (randomized)" : "")
                var table = HTMLTable(caption: caption, header: ["group", "selected when", "selection rate", "TPR", "FPR"], numeric: [2, 3, 4])
                for (group, rule) in option.groups.sorted(by: { $0.key < $1.key }) {
                    table.append([group, MitigationRendering.describe(rule), ReportFormatting.number(rule.selectionRate),
                                  ReportFormatting.number(rule.truePositiveRate), ReportFormatting.number(rule.falsePositiveRate)])
                }
                children.append(table.markup)
            }
            var rules = HTMLTable(caption: "Rules under each way (worst value; ✗ fails, ? insufficient evidence)", header: ["rule", "attribute"] + ways.map(\.0),
                                  numeric: Set(2..<(2 + ways.count)))
            rules.labelColumns = [1]
            for check in decision.current.rules {
                let cells = ways.map { _, cost -> String in
                    guard let match = cost.rules.first(where: { $0.rule == check.rule && $0.attribute == check.attribute }) else { return "—" }
                    return ReportFormatting.number(match.value) + MitigationRendering.mark(match, markdown: true)
                }
                rules.append(cells: [HTMLTable.Cell(check.rule, code: true), HTMLTable.Cell(check.attribute)] + cells.map { HTMLTable.Cell($0) })
            }
            children.append(rules.markup)
        }
        if let reweighing = mitigation.reweighing {
            var table = HTMLTable(caption: "Reweighing weights for retraining, by \(reweighing.attribute): w(g, y) = P(g) P(y) / P(g, y)",
                                  header: ["group", "w(g, 1)", "w(g, 0)"], numeric: [1, 2])
            for (group, factors) in reweighing.factors.sorted(by: { $0.key < $1.key }) {
                table.append([group, ReportFormatting.number(factors["1"]), ReportFormatting.number(factors["0"])])
            }
            children.append(table.markup)
        }
        return [.tag("section", ["class": "mitigation"], children)]
    }
}
