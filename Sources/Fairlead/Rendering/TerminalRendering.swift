import FairleadCore

/// The report for a terminal: the verdict and failing findings first, then per decision
/// and attribute an aligned table of groups and the fairness metrics. Colour (ANSI) only
/// when asked, which the CLI does on a TTY.
///
/// Every line is built through ``TerminalLines``, so names, reasons and notes from the
/// data or the profile are shown with their control characters visible
/// (``TerminalEscaping``), and tables truncate long labels (``TextTable``).
public enum TerminalRendering {
    public static func render(_ report: AuditReport, colour: Bool = false) -> String {
        var lines = TerminalLines(colour: colour)
        lines.appendVerdict(ReportFormatting.verdictWord(report.status), report.status,
                            "\(report.profile.name): " + ReportFormatting.judgementText(report))
        lines.append("data \(report.data.source) · \(report.rows.used) of \(report.rows.read) rows used"
                     + report.rows.excluded.sorted(by: { $0.key < $1.key }).filter { $0.value > 0 }
                        .map { " · \($0.value) \($0.key.replacingOccurrences(of: "_", with: " "))" }.joined()
                     + (report.data.scoreScale.map { " · scores \($0.source) \(ReportFormatting.range($0.range))" } ?? ""))
        for note in report.notes ?? [] {
            lines.append("note: \(note)")
        }
        lines.append(ReportFormatting.intervalLegend(report))
        PrivacyRendering.terminalLines(report, into: &lines)
        if let labels = report.lateLabels {
            lines.append("labels \(labels.source) joined on \(labels.idColumn): \(labels.labelled) rows labelled, \(labels.unlabelled) not yet"
                         + (labels.completes.map { " · completes entry \($0.entry)" } ?? ""))
        }
        let notPassing = report.findings.filter { $0.verdict != .pass }
        if !notPassing.isEmpty {
            lines.append("")
            for finding in notPassing {
                lines.appendVerdict(ReportFormatting.verdictWord(finding.verdict), finding.verdict, indent: "  ", findingText(finding))
            }
        }
        DriftRendering.terminalLines(report, into: &lines)
        ExplanationsRendering.terminalLines(report, into: &lines)
        for (decisionName, decision) in report.decisions.sorted(by: { $0.key < $1.key }) {
            lines.append("")
            lines.append("Decision \(decisionName): \(decision.rule) (\(decision.selected) selected)")
            for (attributeName, attribute) in decision.attributes.sorted(by: { $0.key < $1.key }) {
                lines.append("")
                let reference = attribute.referenceGroup.map { ", reference \(TextTable.label($0))" } ?? ""
                lines.append("  \(attributeName)\(reference)")
                lines.append(contentsOf: ReportFormatting.groupTable(attribute, insufficientMark: "*", cell: ReportFormatting.estimate)
                    .renderPlain(indent: "  "))
                let fairness = ReportFormatting.fairnessOrder.compactMap { name in
                    attribute.fairness[name].map { "\(name) \(ReportFormatting.estimate($0)) \(ReportFormatting.interval($0.interval))" }
                }
                for entry in fairness {
                    lines.append("    \(entry.trimmingTrailingSpace())")
                }
            }
        }
        QueueRendering.terminalLines(report, into: &lines)
        return lines.text
    }

    static func findingText(_ finding: AuditReport.Finding) -> String {
        let place = [finding.decision, finding.attribute, finding.group].compactMap { $0 }.map(TextTable.label).joined(separator: " / ")
        let value = finding.value.map { " = \(ReportFormatting.number($0))" } ?? ""
        let interval = finding.interval.map { " \(ReportFormatting.interval($0))" } ?? ""
        return "\(finding.rule) at \(place): \(finding.metric)\(value)\(interval) — \(finding.reason)"
    }
}

private extension String {
    func trimmingTrailingSpace() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
