import FairleadCore

/// The report in GitHub-flavoured Markdown, for pull requests and wikis: verdict and
/// findings first, then per decision and attribute a table of groups with intervals.
///
/// Values from the data or the profile are escaped for Markdown: in tables by
/// ``TextTable`` itself (HTML, Markdown punctuation, `|`, line breaks, long labels
/// truncated), elsewhere by ``MarkdownEscaping/text(_:)`` or, shown as code,
/// ``MarkdownEscaping/code(_:)``.
public enum MarkdownRendering {
    public static func render(_ report: AuditReport) -> String {
        var lines: [String] = []
        lines.append("# Fairness audit: \(MarkdownEscaping.text(report.profile.name)) — \(ReportFormatting.verdictWord(report.status))")
        lines.append("")
        if let purpose = report.profile.purpose { lines.append(MarkdownEscaping.text(purpose)); lines.append("") }
        lines.append("- Data: \(MarkdownEscaping.code(report.data.source)) (SHA-256 \(MarkdownEscaping.code(report.data.sha256.prefix(16) + "…"))), "
                     + "\(report.rows.used) of \(report.rows.read) rows used")
        for (reason, count) in report.rows.excluded.sorted(by: { $0.key < $1.key }) where count > 0 {
            lines.append("  - \(count) excluded: \(MarkdownEscaping.text(reason.replacingOccurrences(of: "_", with: " ")))")
        }
        for line in ReportFormatting.accountingLines(report) {
            lines.append("  - \(MarkdownEscaping.text(line))")
        }
        if let purposes = report.data.columnPurposes {
            lines.append("- Columns read: " + purposes.map { column in
                MarkdownEscaping.code(column.column) + (column.purposes.isEmpty ? "" : " (\(column.purposes.map(MarkdownEscaping.code).joined(separator: ", ")))")
            }.joined(separator: "; "))
        }
        if let labels = report.lateLabels {
            lines.append("- Labels: \(MarkdownEscaping.code(labels.source)) joined on \(MarkdownEscaping.code(labels.idColumn)), \(labels.labelled) rows labelled, \(labels.unlabelled) not yet"
                         + (labels.unmatched > 0 ? ", \(labels.unmatched) label\(labels.unmatched == 1 ? "" : "s") without a row" : "")
                         + (labels.completes.map { "; completes history entry \($0.entry)" } ?? ""))
        }
        lines.append("- Verdict: \(ReportFormatting.judgementText(report))")
        if let scale = report.data.scoreScale {
            lines.append("- Scores: \(MarkdownEscaping.text(scale.source)) range \(ReportFormatting.range(scale.range))"
                         + (scale.probabilities ? "" : " (not probabilities: calibration not applicable)"))
        }
        for note in report.notes ?? [] {
            lines.append("- Note: \(MarkdownEscaping.text(note))")
        }
        lines.append("- Fairlead \(MarkdownEscaping.text(report.tool.version)), \(MarkdownEscaping.text(report.generatedAt)); "
                     + "\(Int((report.settings.intervalLevel * 100).rounded()))% intervals, "
                     + "minimum group size \(report.settings.minimumGroupSize)")
        lines += PrivacyRendering.markdownLines(report)
        lines += ReidentificationRendering.markdownSection(report)
        lines.append("")
        lines.append("## Findings")
        lines.append("")
        if report.findings.isEmpty {
            lines.append("The profile has no rules; nothing was checked.")
        } else {
            var table = TextTable(header: ["verdict", "rule", "decision", "attribute", "group", "value", "interval", "why"])
            table.rightAligned = [5]
            for finding in report.findings {
                table.rows.append([ReportFormatting.verdictWord(finding.verdict), "`\(finding.rule)`", finding.decision,
                                   finding.attribute, finding.group ?? "", ReportFormatting.decidingValue(of: finding),
                                   ReportFormatting.decidingInterval(of: finding, interval: finding.interval), finding.reason])
            }
            lines.append(contentsOf: table.renderMarkdown())
            if report.findings.contains(where: { $0.judgedValue != nil }) {
                lines.append("")
                lines.append(MarkdownEscaping.text(ReportFormatting.judgedLegend(minimumGroupSize: report.settings.minimumGroupSize, sections: true)))
            }
            if report.findings.contains(where: \.isDecidedThroughTie) {
                lines.append("")
                lines.append(MarkdownEscaping.text(ReportFormatting.tieLegend))
            }
        }
        lines += DriftRendering.markdownLines(report)
        lines += ExplanationsRendering.markdownLines(report)
        lines += IndividualFairnessRendering.markdownLines(report)
        lines += MitigationRendering.markdownLines(report)
        for (decisionName, decision) in report.decisions.sorted(by: { $0.key < $1.key }) {
            lines.append("")
            lines.append("## Decision \(MarkdownEscaping.code(decisionName)): \(MarkdownEscaping.text(decision.rule))")
            if let tie = decision.tieAtCutoff {
                lines.append("")
                lines.append("**Note:** " + MarkdownEscaping.text(tie.sentence))
            }
            for (attributeName, attribute) in decision.attributes.sorted(by: { $0.key < $1.key }) {
                lines.append("")
                lines.append("### \(MarkdownEscaping.text(attributeName))"
                             + (attribute.referenceGroup.map { " (reference: \(MarkdownEscaping.text(TextTable.label($0))))" } ?? ""))
                lines.append("")
                let order = ReportFormatting.declaredOrder(report, attribute: attributeName)
                let table = ReportFormatting.groupTable(attribute, order: order, insufficientMark: "*") { estimate in
                    let interval = ReportFormatting.interval(estimate?.interval, digits: 2)
                    return ReportFormatting.estimate(estimate) + (interval.isEmpty ? "" : " \(interval)")
                }
                lines.append(contentsOf: table.renderMarkdown())
                let fairness = ReportFormatting.fairnessOrder.compactMap { name in
                    attribute.fairness[name].map { (name, $0) }
                }
                if !fairness.isEmpty {
                    lines.append("")
                    var table = TextTable(header: ["metric", "value", "interval"])
                    table.rightAligned = [1]
                    for (name, estimate) in fairness {
                        table.rows.append(["`\(name)`", ReportFormatting.estimate(estimate), ReportFormatting.interval(estimate.interval)])
                    }
                    lines.append(contentsOf: table.renderMarkdown())
                }
            }
        }
        lines += QueueRendering.markdownLines(report)
        if ReportFormatting.hasSmallGroup(report) {
            lines.append("")
            lines.append("Groups marked * have fewer rows than the minimum group size; their findings are insufficient evidence.")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
