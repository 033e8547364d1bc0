import Foundation

/// Number formatting shared by the renderings; it only formats what the report holds.
enum ReportFormatting {
    /// The per-group metrics shown in tables, in catalog order, with the catalog's
    /// headings (`count` and `share` have columns of their own).
    static let groupColumns: [(metric: String, heading: String)] = Metric.family(.groupRate).compactMap { metric in
        guard metric != .count, metric != .share, let heading = metric.definition.heading else { return nil }
        return (metric.rawValue, heading)
    }

    /// The fairness values shown per attribute, in order.
    static let fairnessShown: [Metric] = [
        .demographicParityDifference, .demographicParityRatio, .disparateImpact, .equalizedOddsDifference,
        .equalizedOddsRatio, .equalOpportunityDifference, .equalOpportunityRatio, .averageOddsDifference,
        .predictiveParityDifference,
    ]
    static let fairnessOrder = fairnessShown.map(\.rawValue)

    /// The status line's counts: "3 of 4 rules judged · 30 passed, 8 failed, 2 insufficient evidence".
    static func judgementText(_ report: AuditReport) -> String {
        let judgement = report.judgement
        if report.status == .noRules {
            return "no rules, nothing judged — add rules to the profile (or --rule 'disparate_impact >= 0.8')"
        }
        let undecidedChecks = judgement.checks - judgement.checksJudged
        let checks = "\(judgement.checks) drift and proxy checks: \(judgement.checksFailed) failed, \(undecidedChecks) insufficient evidence"
        if judgement.rules == 0 {
            return "no rules · " + checks
        }
        var text = "\(judgement.rulesJudged) of \(judgement.rules) rules judged · \(judgement.passed) passed, "
            + "\(judgement.failed) failed, \(judgement.insufficientEvidence) insufficient evidence"
        if judgement.checks > 0 {
            text += " · " + checks
        }
        return text
    }

    static func number(_ value: Double?, digits: Int = 3) -> String {
        guard let value else { return "undefined" }
        return String(format: "%.\(digits)f", value)
    }

    /// Once per report: what the intervals are, and how verdicts use them.
    static func intervalLegend(_ report: AuditReport) -> String {
        let settings = report.settings
        let level = "\(FindingJudge.format(settings.intervalLevel * 100))%"
        let bootstrap = settings.bootstrapReplicates > 0
            ? "bootstrap percentile (\(settings.bootstrapReplicates) replicates) for disparities" : "no bootstrap for disparities"
        var text = "intervals [low, high]: \(level), Wilson for group rates, \(bootstrap); "
            + "* marks groups under \(settings.minimumGroupSize) rows"
        if settings.verdict == AuditProfile.VerdictMode.interval.rawValue {
            text += "; verdicts by \(level) simultaneous intervals (Bonferroni over each rule's groups)"
        }
        return text
    }

    /// `[1, 10]`, a score range.
    static func range(_ bounds: [Double]) -> String {
        guard bounds.count == 2 else { return "" }
        return "[\(FindingJudge.format(bounds[0])), \(FindingJudge.format(bounds[1]))]"
    }

    static func percent(_ value: Double) -> String {
        String(format: "%.1f%%", value * 100)
    }

    static func interval(_ interval: [Double]?, digits: Int = 3) -> String {
        guard let interval, interval.count == 2 else { return "" }
        return "[\(number(interval[0], digits: digits)), \(number(interval[1], digits: digits))]"
    }

    static func estimate(_ estimate: AuditReport.Estimate?) -> String {
        guard let estimate else { return "—" }
        guard let value = estimate.value else { return "undefined" }
        return number(value)
    }

    /// Group names in a stable order: by count descending, then by name.
    static func orderedGroups(_ groups: [String: AuditReport.GroupReport]) -> [(String, AuditReport.GroupReport)] {
        groups.sorted { ($1.value.count, $0.key) < ($0.value.count, $1.key) }
    }

    static func verdictWord(_ verdict: AuditReport.Verdict) -> String {
        switch verdict {
        case .pass: return "PASS"
        case .fail: return "FAIL"
        case .insufficientEvidence: return "INSUFFICIENT EVIDENCE"
        case .noRules: return "NO RULES"
        }
    }

    /// An attribute's groups (largest first, then the overall row) with the metrics of
    /// ``groupColumns`` that the report holds; `cell` formats each estimate.
    static func groupTable(_ attribute: AuditReport.AttributeReport, insufficientMark: String,
                           cell: (AuditReport.Estimate?) -> String) -> TextTable {
        let columns = groupColumns.filter { attribute.overall.metrics[$0.metric] != nil }
        var table = TextTable(header: ["group", "n", "share"] + columns.map(\.heading))
        table.rightAligned = Set(1..<(3 + columns.count))
        // Name and bin label are truncated each, so the insufficient-evidence mark is never cut off.
        table.labelColumns = []
        for (name, group) in orderedGroups(attribute.groups) + [("(overall)", attribute.overall)] {
            var label = group.label.map { "\(TextTable.label(name)) (\(TextTable.label($0)))" } ?? TextTable.label(name)
            if !group.sufficient { label += " " + insufficientMark }
            table.rows.append([label, String(group.count), percent(group.share)]
                              + columns.map { cell(group.metrics[$0.metric]) })
        }
        return table
    }
}
