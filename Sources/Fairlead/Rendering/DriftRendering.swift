import FairleadCore

/// The drift section of a report for the terminal and Markdown renderings: the verdict
/// against the baseline, then every drifted value and every change beyond its tolerance
/// that noise could explain (the rest are counted; the JSON lists them all).
enum DriftRendering {
    static func verdictWord(_ verdict: AuditReport.Verdict) -> String {
        switch verdict {
        case .pass: return "NO DRIFT"
        case .fail: return "DRIFT"
        case .insufficientEvidence: return "INSUFFICIENT EVIDENCE"
        case .noRules: return "NOT CHECKED"
        }
    }

    /// "leads-weekly against entry 1 (as of 2026-03-02): 2 drifted, 40 within tolerance, 9 insufficient evidence"
    static func summary(_ drift: AuditReport.DriftReport, profile: String) -> String {
        guard let baseline = drift.baseline else {
            return "\(profile): drift not checked, " + (drift.notes.first ?? "no baseline")
        }
        let counts = Dictionary(grouping: drift.findings, by: \.verdict).mapValues(\.count)
        return "\(profile) against \(baselineText(baseline)): \(counts[.fail, default: 0]) drifted, "
            + "\(counts[.pass, default: 0]) within tolerance, \(counts[.insufficientEvidence, default: 0]) insufficient evidence"
    }

    static func baselineText(_ baseline: AuditReport.DriftBaselineInfo) -> String {
        if let entry = baseline.entry {
            return "entry \(entry)" + (baseline.asOf.map { " (as of \(HistoryTime.display($0)))" } ?? "")
        }
        return "report \(baseline.file ?? baseline.generatedAt)"
    }

    /// The findings worth a line: drift, and changes beyond the tolerance not told from noise.
    static func shown(_ drift: AuditReport.DriftReport) -> [AuditReport.DriftFinding] {
        drift.findings.filter { finding in
            finding.verdict == .fail
                || (finding.verdict == .insufficientEvidence && abs(finding.change ?? 0) > finding.tolerance)
        }
    }

    /// Where a finding is: "demographic_parity_difference at threshold_0.3 / ethnicity".
    static func place(_ finding: AuditReport.DriftFinding) -> String {
        let location = [finding.decision, finding.attribute, finding.group].compactMap { $0 }.map(TextTable.label).joined(separator: " / ")
        switch finding.kind {
        case .fairness: return "\(finding.metric) at \(location)"
        case .groupDifference: return "\(finding.metric) difference to the reference at \(location)"
        case .psi: return "score PSI at \(location)"
        case .share: return "share at \(location)"
        }
    }

    /// "0.184 → 0.243", or empty for PSI.
    static func values(_ finding: AuditReport.DriftFinding) -> String {
        guard finding.kind != .psi else { return "" }
        return "\(ReportFormatting.number(finding.baseline)) → \(ReportFormatting.number(finding.current))"
    }

    static func terminalLines(_ report: AuditReport, into lines: inout TerminalLines) {
        guard let drift = report.drift else { return }
        lines.append("")
        lines.appendVerdict(verdictWord(drift.status), drift.status, summary(drift, profile: report.profile.name))
        for finding in shown(drift) {
            let values = values(finding)
            lines.appendVerdict(verdictWord(finding.verdict), finding.verdict, indent: "  ",
                                "\(place(finding)): " + (values.isEmpty ? "" : "\(values); ") + finding.reason)
        }
        for note in drift.baseline == nil ? [] : drift.notes {
            lines.append("  note: \(note)")
        }
    }

    static func markdownLines(_ report: AuditReport) -> [String] {
        guard let drift = report.drift else { return [] }
        var lines = ["", "## Drift", "", "**\(verdictWord(drift.status))**: \(MarkdownEscaping.text(summary(drift, profile: report.profile.name)))."]
        let shown = shown(drift)
        if !shown.isEmpty {
            lines.append("")
            var table = TextTable(header: ["verdict", "what", "baseline → now", "why"])
            for finding in shown {
                table.rows.append([verdictWord(finding.verdict), place(finding), values(finding), finding.reason])
            }
            lines.append(contentsOf: table.renderMarkdown())
        }
        if drift.baseline != nil {
            for note in drift.notes { lines += ["", "Note: \(MarkdownEscaping.text(note))."] }
        }
        return lines
    }
}
