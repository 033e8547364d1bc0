import FairleadCore

/// Why each data column was read: the parts of the audit that needed it (data
/// minimization made visible; docs/report-schema.md, `data.column_purposes`).
///
/// | column | purposes |
/// |---|---|
/// | `data.score` | `decisions`, `queue` (lead-queue metrics), `score_distribution` |
/// | `data.label` | `outcome_metrics` |
/// | `data.weight` | `weights` |
/// | a `prediction:` column | `decisions` |
/// | a sensitive column, a one-hot attribute's indicator column | `grouping` (and `proxies` with a model) |
/// | a model feature's column | `explanations`, `proxies`, and `individual_fairness` when that section ran |
/// | `data.id` | `repeated_ids` (rows that repeat a lead, ``RepeatedLeadIDs``), `late_labels` (to join them) |
/// | `data.consent.column` | `consent_filter` |
enum ColumnPurposes {
    /// The purposes of every column of `report.data.columns`, in that order.
    static func of(_ report: AuditReport, profile: AuditProfile) -> [AuditReport.ColumnPurpose] {
        var purposes: [String: [String]] = [:]
        func add(_ column: String?, _ names: String...) {
            guard let column else { return }
            for name in names where !(purposes[column] ?? []).contains(name) { purposes[column, default: []].append(name) }
        }
        add(profile.data.score, "decisions", "queue", "score_distribution")
        add(profile.data.label, "outcome_metrics")
        add(profile.data.weight, "weights")
        for decision in profile.decisions {
            if case .predictionColumn(let column) = decision.kind { add(column, "decisions") }
        }
        let sensitive = Set(profile.sensitive.flatMap(\.dataColumns))
        for column in profile.sensitive.flatMap(\.dataColumns) {
            add(column, "grouping")
            if report.explanations != nil { add(column, "proxies") }
        }
        for column in report.explanations?.columnsRead ?? [] where !sensitive.contains(column) {
            add(column, "explanations", "proxies")
            if report.individualFairness != nil { add(column, "individual_fairness") }
        }
        add(profile.data.id, "repeated_ids")
        if report.lateLabels != nil { add(profile.data.id, "late_labels") }
        add(profile.data.consent?.column, "consent_filter")
        return report.data.columns.map { AuditReport.ColumnPurpose(column: $0, purposes: purposes[$0] ?? []) }
    }

    /// `score (decisions, queue, score_distribution), label (outcome_metrics), …`.
    static func text(_ purposes: [AuditReport.ColumnPurpose]) -> String {
        purposes.map { $0.purposes.isEmpty ? $0.column : "\($0.column) (\($0.purposes.joined(separator: ", ")))" }
            .joined(separator: "; ")
    }
}
