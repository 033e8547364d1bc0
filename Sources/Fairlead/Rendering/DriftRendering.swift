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

    /// The findings worth a line: drift, changes beyond the tolerance not told from noise,
    /// and values with no change to measure (a group gone or new, a value undefined on one
    /// side): those were counted as insufficient evidence and listed nowhere.
    static func shown(_ drift: AuditReport.DriftReport) -> [AuditReport.DriftFinding] {
        drift.findings.filter { finding in
            finding.verdict == .fail
                || (finding.verdict == .insufficientEvidence && (finding.change.map { abs($0) > finding.tolerance } ?? true))
        }
    }

    /// "(3 of 76; 70 within tolerance, 3 within it on too few rows)": what the list of
    /// ``shown(_:)`` leaves out.
    static func shownCount(_ drift: AuditReport.DriftReport, shown: Int) -> String {
        let within = drift.findings.filter { $0.verdict == .pass }.count
        let small = drift.findings.count - shown - within
        return "\(shown) of \(drift.findings.count); \(within) within tolerance"
            + (small > 0 ? ", \(small) within it on too few rows to judge" : "")
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

    /// How far a drifted value went beyond its tolerance: |change| − tolerance (the PSI
    /// less its limit).
    static func excess(_ finding: AuditReport.DriftFinding) -> Double {
        abs(finding.change ?? 0) - finding.tolerance
    }

    /// The drift verdict and the worst drifted values, for the terminal's first screen:
    /// "selection_rate difference to the reference at threshold_0.3 / ethnicity / hispanic:
    /// 0.006 → -0.134, changed by -0.140 (95% simultaneous CI -0.224 to -0.058), 0.090 beyond ±0.05".
    static func terminalSummary(_ report: AuditReport, shown: Int, into lines: inout TerminalLines) {
        guard let drift = report.drift else { return }
        lines.append("")
        lines.appendVerdict(verdictWord(drift.status), drift.status, summary(drift, profile: report.profile.name))
        let drifted = drift.findings.enumerated().filter { $0.element.verdict == .fail }
            .sorted { (excess($0.element), $1.offset) > (excess($1.element), $0.offset) }.map { $0.element }
        for finding in drifted.prefix(shown) {
            lines.append("  \(place(finding)): \(change(finding, confidence: drift.settings.confidence))")
        }
        if drifted.count > shown {
            lines.append("  \(drifted.count - shown) more drifted: --verbose")
        }
        // The notes qualify the verdict (a baseline of another profile or scale, metrics
        // never compared, nothing compared at all): on the first screen, not behind
        // --verbose, where a check that compared nothing showed only a summary of zeros.
        if drift.baseline != nil {
            for note in drift.notes { lines.append("  note: \(TerminalEscaping.visible(note))") }
        }
    }

    /// "0.006 → -0.134, changed by -0.140 (95% simultaneous CI -0.224 to -0.058), 0.090
    /// beyond ±0.05"; "PSI 0.393 (p < 0.0001), 0.143 beyond 0.25" for PSI.
    static func change(_ finding: AuditReport.DriftFinding, confidence: Double) -> String {
        let beyond = "\(ReportFormatting.number(max(0, excess(finding)))) beyond"
        let pValue = finding.pValue.map { $0 < 0.0001 ? " (p < 0.0001)" : " (p = \(FindingJudge.format($0)))" } ?? ""
        guard finding.kind != .psi else {
            return "PSI \(ReportFormatting.number(finding.change))\(pValue), \(beyond) \(FindingJudge.format(finding.tolerance))"
        }
        let bounds = ReportFormatting.bounds(finding.interval)
        let interval = bounds.isEmpty ? "" : " (\(ReportFormatting.levelText(confidence)) simultaneous CI \(bounds))"
        let signed = finding.change.map { ($0 >= 0 ? "+" : "") + ReportFormatting.number($0) } ?? "undefined"
        return "\(values(finding)), changed by \(signed)\(interval), \(beyond) ±\(FindingJudge.format(finding.tolerance))"
    }

    /// The `--verbose` list: every drifted value and every change beyond its tolerance
    /// that noise could explain, with its reason; the values within tolerance counted (the
    /// notes are on the first screen, ``terminalSummary(_:shown:into:)``).
    static func terminalLines(_ report: AuditReport, into lines: inout TerminalLines) {
        // Without a baseline, or with nothing compared, the first screen said why, and there
        // is nothing to list.
        guard let drift = report.drift, drift.baseline != nil, !drift.findings.isEmpty else { return }
        lines.append("")
        let shown = shown(drift)
        lines.append("Drift checks beyond their tolerance or undecided (\(shownCount(drift, shown: shown.count))):")
        for finding in shown {
            let values = values(finding)
            lines.appendVerdict(verdictWord(finding.verdict), finding.verdict, indent: "  ",
                                "\(place(finding)): " + (values.isEmpty ? "" : "\(values); ") + finding.reason)
        }
    }

    static func markdownLines(_ report: AuditReport) -> [String] {
        guard let drift = report.drift else { return [] }
        var lines = ["", "## Drift", "", "**\(verdictWord(drift.status))**: \(MarkdownEscaping.text(summary(drift, profile: report.profile.name)))."]
        let shown = shown(drift)
        if !shown.isEmpty {
            lines.append("")
            lines.append("Beyond their tolerance or undecided (\(shownCount(drift, shown: shown.count))):")
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
