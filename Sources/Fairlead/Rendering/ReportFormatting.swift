import Foundation

/// Number formatting shared by the renderings; it only formats what the report holds.
enum ReportFormatting {
    /// The per-group metrics shown in tables, in order, with short headings.
    static let groupColumns: [(metric: String, heading: String)] = [
        ("selection_rate", "selected"),
        ("base_rate", "base rate"),
        ("true_positive_rate", "TPR"),
        ("false_positive_rate", "FPR"),
        ("precision", "precision"),
        ("mean_score", "mean score"),
    ]

    /// The named fairness metrics shown per attribute, in order.
    static let fairnessOrder = [
        "demographic_parity_difference", "demographic_parity_ratio", "disparate_impact",
        "equalized_odds_difference", "equalized_odds_ratio", "equal_opportunity_difference",
        "equal_opportunity_ratio", "average_odds_difference", "predictive_parity_difference",
    ]

    static func number(_ value: Double?, digits: Int = 3) -> String {
        guard let value else { return "undefined" }
        return String(format: "%.\(digits)f", value)
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
        }
    }

    /// An attribute's groups (largest first, then the overall row) with the metrics of
    /// ``groupColumns`` that the report holds; `cell` formats each estimate.
    static func groupTable(_ attribute: AuditReport.AttributeReport, insufficientMark: String,
                           cell: (AuditReport.Estimate?) -> String) -> TextTable {
        let columns = groupColumns.filter { attribute.overall.metrics[$0.metric] != nil }
        var table = TextTable(header: ["group", "n", "share"] + columns.map(\.heading))
        table.rightAligned = Set(1..<(3 + columns.count))
        for (name, group) in orderedGroups(attribute.groups) + [("(overall)", attribute.overall)] {
            var label = group.label.map { "\(name) (\($0))" } ?? name
            if !group.sufficient { label += " " + insufficientMark }
            table.rows.append([label, String(group.count), percent(group.share)]
                              + columns.map { cell(group.metrics[$0.metric]) })
        }
        return table
    }
}
