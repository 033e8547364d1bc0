import FairleadCore

/// The rules' findings as the terminal shows them: where each is, its value with a
/// labelled interval and how far it lies from its rule's limit, and — behind `--verbose`
/// — every finding with its reason, grouped by rule.
///
///     threshold_0.3 / ethnicity / black   0.380   95% CI 0.298–0.479   0.420 below 0.8
///
/// It formats what the report holds: the distance is the value the verdict rests on
/// (``AuditReport/Finding/distanceValue``) less the bound of the rule as the report
/// writes it (``AuditReport/Finding/ruleSpec``).
enum TerminalFindings {
    /// The rules in the order the report judged them, then rules with no finding at all.
    static func rules(_ report: AuditReport) -> [String] {
        var seen = Set<String>(), ordered: [String] = []
        for rule in report.findings.map(\.rule) + (report.profile.rules ?? []) where seen.insert(rule).inserted {
            ordered.append(rule)
        }
        return ordered
    }

    /// "threshold_0.3 / ethnicity / black": each name cut at `width` characters (a label's
    /// 40 by default; whole up to a cell's 400 in the verbose list).
    static func place(_ finding: AuditReport.Finding, width: Int = TextTable.labelWidth) -> String {
        [finding.decision, finding.attribute, finding.group].compactMap { $0 }
            .map { TextTable.visible($0, width: width) }.joined(separator: " / ")
    }

    /// How far `finding`'s value lies on the failing side of its limit (negative when it
    /// meets it); `nil` without a value or a readable rule. Larger is worse.
    static func shortfall(_ finding: AuditReport.Finding) -> Double? {
        guard let value = finding.distanceValue, let rule = finding.ruleSpec else { return nil }
        return -rule.comparison.margin(value, rule.bound)
    }

    /// "0.544 below 0.8", "0.226 above 0.1", "at 0.8": where `value` lies from the bound.
    static func distance(_ value: Double, bound: Double) -> String {
        let limit = FindingJudge.format(bound)
        guard value != bound else { return "at \(limit)" }
        let gap = abs(value - bound)
        let amount = gap < 0.0005 ? "under 0.001" : ReportFormatting.number(gap)
        return "\(amount) \(value < bound ? "below" : "above") \(limit)"
    }

    /// The distance of `finding`'s judged value to its rule's limit, or empty.
    static func distance(_ finding: AuditReport.Finding) -> String {
        guard let value = finding.distanceValue, let rule = finding.ruleSpec else { return "" }
        return distance(value, bound: rule.bound)
    }

    /// The value cell: "0.380", "0.330†" for a value among the groups large enough,
    /// "undefined" without one, "withheld" when a published view withholds it.
    static func valueText(_ finding: AuditReport.Finding) -> String {
        ReportFormatting.decidingValue(of: finding)
    }

    /// The interval cell, labelled; "no CI" for a value among the groups large enough,
    /// whose interval the report does not hold (the interval it holds is over every group).
    static func intervalText(_ finding: AuditReport.Finding, level: Double) -> String {
        guard finding.judgedValue == nil, !finding.isDecidedThroughTie else { return "no CI" }
        return ReportFormatting.labelledInterval(finding.interval, level: level)
    }

    /// "14 groups" / "1 attribute": what a rule's findings are about.
    static func counted(_ count: Int, perGroup: Bool) -> String {
        let noun = perGroup ? "group" : "attribute"
        return "\(count) \(noun)\(count == 1 ? "" : "s")"
    }

    /// How many of a rule's findings fail, "3 groups fail"; when they lie in more than one
    /// decision, the count is of findings and the groups (or attributes) they are, and the
    /// decisions, follow: "13 fail (5 groups across 3 decisions)", not "13 groups fail" for a
    /// group failing at three thresholds.
    static func failing(_ failing: [AuditReport.Finding], perGroup: Bool) -> String {
        let decisions = Set(failing.map(\.decision)).count
        guard decisions > 1 else { return "\(counted(failing.count, perGroup: perGroup)) \(failing.count == 1 ? "fails" : "fail")" }
        let places = Set(failing.map { perGroup ? [$0.attribute, $0.group ?? ""] : [$0.attribute] }).count
        return "\(failing.count) fail (\(counted(places, perGroup: perGroup)) across \(decisions) decisions)"
    }

    /// Every finding, grouped by rule, each with its value, interval and reason: the
    /// `--verbose` list. Names are whole (up to a cell's 400 characters); lines wrap.
    static func appendAll(_ report: AuditReport, into lines: inout TerminalLines) {
        guard !report.findings.isEmpty else { return }
        lines.append("")
        lines.append("Every finding (\(report.findings.count)), by rule:")
        let level = report.settings.intervalLevel
        for rule in rules(report) {
            let findings = report.findings.filter { $0.rule == rule }
            let counts = Dictionary(grouping: findings, by: \.verdict).mapValues(\.count)
            lines.append("  \(rule): \(counts[.fail, default: 0]) failed, \(counts[.pass, default: 0]) passed, "
                         + "\(counts[.insufficientEvidence, default: 0]) insufficient evidence")
            for finding in findings {
                // A verdict decided through a tie shows the range it holds over (its distance is
                // measured from the range's end nearest the limit), not the row order's value.
                let decidedThroughTie = finding.isDecidedThroughTie && !finding.valueIsWithheld
                var text = "\(place(finding, width: TextTable.cellWidth)): "
                    + (decidedThroughTie ? ReportFormatting.decidingValue(of: finding) : ReportFormatting.value(of: finding))
                if decidedThroughTie {
                    text += " however the tie at the cutoff splits"
                } else if let interval = finding.interval, interval.count == 2 {
                    text += " (\(ReportFormatting.labelledInterval(interval, level: level)))"
                }
                if let judged = finding.judgedValue {
                    text += ", \(ReportFormatting.number(judged)) among the groups large enough"
                }
                let distance = distance(finding)
                if !distance.isEmpty { text += ", \(distance)" }
                lines.appendVerdict(ReportFormatting.verdictWord(finding.verdict), finding.verdict, indent: "    ",
                                    text + " — " + finding.reason)
            }
        }
    }
}
