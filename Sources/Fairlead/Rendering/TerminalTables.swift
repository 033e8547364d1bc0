import FairleadCore

/// The per decision and attribute tables of the terminal rendering: the groups (in their
/// natural order, then the overall row) with their rates under abbreviated headings, and
/// the attribute's fairness values with labelled intervals and the verdict of any rule
/// on them. Every line fits ``TerminalWidth/lineWidth``: long group names are cut with
/// `…`. Abbreviations and marks are explained under the first table that uses them
/// (``TerminalLegend``).
enum TerminalTables {
    /// Short headings of the group columns, with what they mean; other metrics keep the
    /// catalog's heading.
    static let abbreviations: [Metric: (heading: String, meaning: String)] = [
        .baseRate: ("base", "base rate (share labelled positive)"),
        .selectionRate: ("sel", "selection rate"),
        .truePositiveRate: ("TPR", "true positive rate"),
        .falsePositiveRate: ("FPR", "false positive rate"),
        .positivePredictiveValue: ("prec", "precision"),
        .meanScore: ("score", "mean score"),
    ]

    /// The mark of a group under the minimum group size.
    static let smallMark = "*"
    /// A value the report holds as undefined.
    static let undefinedText = "n/a"
    /// A value a published view withholds (it reads suppressed cells).
    static let withheldText = "withheld"
    static let withheldMeaning = "withheld in the published view (it reads suppressed cells)"

    /// The cell of an estimate without a value: withheld, or undefined.
    static func missingText(_ estimate: AuditReport.Estimate) -> String {
        estimate.undefinedReason == SuppressedView.withheldReason ? withheldText : undefinedText
    }

    static func append(_ report: AuditReport, legend: inout TerminalLegend, into lines: inout TerminalLines) {
        for (decisionName, decision) in report.decisions.sorted(by: { $0.key < $1.key }) {
            lines.append("")
            lines.append("Decision \(decisionName): \(decision.rule) (\(decision.selected) selected)")
            if let tie = decision.tieAtCutoff { lines.append("  Note: " + tie.sentence) }
            for (attributeName, attribute) in decision.attributes.sorted(by: { $0.key < $1.key }) {
                lines.append("")
                let reference = attribute.referenceGroup.map { ", reference \(TextTable.label($0))" } ?? ""
                lines.append("  \(TextTable.label(attributeName))\(reference)")
                let (table, entries) = groupTable(attribute, minimum: report.settings.minimumGroupSize,
                                                  order: ReportFormatting.declaredOrder(report, attribute: attributeName))
                lines.append(contentsOf: table.renderPlain(indent: "  ", width: TerminalWidth.lineWidth))
                lines.append(contentsOf: legend.lines(for: entries))
                let fairness = fairnessTable(attribute, findings: report.findings.filter {
                    $0.decision == decisionName && $0.attribute == attributeName && $0.group == nil
                }, level: report.settings.intervalLevel)
                if !fairness.rows.isEmpty {
                    lines.append(contentsOf: fairness.renderPlain(indent: "    ", width: TerminalWidth.lineWidth))
                }
            }
        }
    }

    /// The groups of an attribute and the legend entries its table uses.
    static func groupTable(_ attribute: AuditReport.AttributeReport, minimum: Int,
                           order: [String]? = nil) -> (TextTable, [(key: String, meaning: String)]) {
        let columns = ReportFormatting.groupColumns.filter { attribute.overall.metrics[$0.metric] != nil }
        let headings = columns.map { column in
            Metric(rawValue: column.metric).flatMap { abbreviations[$0] } ?? (heading: column.heading, meaning: "")
        }
        let groups = ReportFormatting.orderedGroups(attribute.groups, reference: attribute.referenceGroup, order: order)
        let marked = groups.contains { !$0.1.sufficient }
        var table = TextTable(header: ["group"] + (marked ? [""] : []) + ["n", "share"] + headings.map(\.heading))
        let firstNumber = marked ? 2 : 1
        table.rightAligned = Set(firstNumber..<table.header.count)
        table.fittedColumns = [0]
        var undefined = false, withheld = false
        // The overall row is labelled here, and every group through `TextTable.label`
        // (distinguished from it): the cells are not distinguished again.
        table.labelsDistinguished = true
        for (name, group) in groups.map({ (TextTable.label($0.0), $0.1) }) + [(ReportFormatting.overallLabel, attribute.overall)] {
            let label = group.label.map { "\(name) (\(TextTable.label($0)))" } ?? name
            let cells = columns.map { column -> String in
                guard let estimate = group.metrics[column.metric] else { return "—" }
                guard let value = estimate.value else {
                    let text = missingText(estimate)
                    if text == withheldText { withheld = true } else { undefined = true }
                    return text
                }
                return ReportFormatting.number(value)
            }
            table.rows.append([label] + (marked ? [group.sufficient ? "" : smallMark] : [])
                              + [String(group.count), ReportFormatting.percent(group.share)] + cells)
        }
        // The label is cut by the fitting, to the width left by the numbers.
        table.labelColumns = []
        var entries = [(key: "n", meaning: "rows"), (key: "share", meaning: "share of the rows")]
        entries += headings.filter { !$0.meaning.isEmpty }.map { (key: $0.heading, meaning: $0.meaning) }
        if marked {
            // A group of enough rows is marked when its weights sit on too few of them.
            let byWeight = groups.contains { !$0.1.sufficient && $0.1.count >= minimum }
            entries.append((smallMark, "fewer than \(minimum) rows\(byWeight ? " (effective rows by their weights)" : ""): its findings are insufficient evidence"))
        }
        if undefined { entries.append((undefinedText, "undefined, nothing to divide by (the JSON report says why)")) }
        if withheld { entries.append((withheldText, withheldMeaning)) }
        return (table, entries)
    }

    /// The attribute's fairness values with their labelled intervals, and the verdict of
    /// each rule judged on one of them (`findings`: the attribute's, under the decision).
    static func fairnessTable(_ attribute: AuditReport.AttributeReport, findings: [AuditReport.Finding],
                              level: Double) -> TextTable {
        var table = TextTable(header: ["fairness", "value", "\(ReportFormatting.levelText(level)) CI", "rule"])
        table.rightAligned = [1]
        table.labelColumns = []
        table.fittedColumns = [3]
        for name in ReportFormatting.fairnessOrder {
            guard let estimate = attribute.fairness[name] else { continue }
            let rules = findings.filter { $0.metric == name }.map { finding in
                let limit = finding.ruleSpec
                    .map { "\($0.comparison.rawValue) \(FindingJudge.format($0.bound)): " } ?? ""
                // A verdict decided through a tie at the cutoff holds over a range, not the
                // row order's value beside it.
                let range = finding.isDecidedThroughTie && !finding.valueIsWithheld ? finding.tieRange : nil
                return limit + ReportFormatting.verdictWord(finding.verdict) + (range.map { range in
                    " (tie splits: " + (range[0] == range[1] ? ReportFormatting.number(range[0])
                        : ReportFormatting.number(range[0]) + " to " + ReportFormatting.number(range[1])) + ")"
                } ?? "")
            }
            table.rows.append([name, estimate.value.map { ReportFormatting.number($0) } ?? missingText(estimate),
                               ReportFormatting.bounds(estimate.interval), rules.joined(separator: "; ")])
        }
        if table.rows.allSatisfy({ $0[3].isEmpty }) {
            table.header.removeLast()
            table.rows = table.rows.map { Array($0.dropLast()) }
        }
        return table
    }
}
