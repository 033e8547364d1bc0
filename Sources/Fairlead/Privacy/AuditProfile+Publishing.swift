import FairleadCore

extension AuditProfile {
    /// Checks, before any data is read, what a published view of this profile's report
    /// needs that the profile alone decides (docs/privacy.md):
    ///
    /// - a differentially private release names declared groups
    ///   (``checkGroupsOfRelease()``) and weighs every row alike: a profile that weighs
    ///   rows (`data.weight`) is refused, since one row could then move a count by any
    ///   amount;
    /// - every view reads each group's confusion cells from the rates that carry them:
    ///   `metrics:`, when given, lists `true_positive_rate` and `false_positive_rate`
    ///   with a label column, `selection_rate` without one.
    ///
    /// The same refusals stand after the audit for a report made otherwise (a library
    /// caller's), with the same messages.
    ///
    /// - Throws: `FairleadError(.invalidProfile)` from ``checkGroupsOfRelease()``;
    ///   `FairleadError(.usage)` for a weighted release or rates left out of `metrics:`.
    public func checkPublishing() throws {
        let policy = privacy ?? PrivacyPolicy()
        if policy.isDifferentiallyPrivate {
            try checkGroupsOfRelease()
            if let weight = data.weight {
                throw NoisyRelease.weightedError(place: "the profile's data.weight, column '\(MessageQuote.clipped(weight))'")
            }
        }
        guard let metrics, let decision = decisions.map(\.name).min(),
              let attribute = (sensitive.map(\.column) + intersections.map { $0.joined(separator: "*") }).min() else { return }
        let listed = Set(metrics)
        // As ``DisclosureCell/isLabeled(_:)`` reads the report: the true positive rate, or
        // without it the base rate, defined for a reason other than absent labels.
        let labeled = data.label != nil
            && (listed.contains(GroupMetric.truePositiveRate.rawValue) || listed.contains(GroupMetric.baseRate.rawValue))
        let needed: [GroupMetric] = labeled ? [.truePositiveRate, .falsePositiveRate] : [.selectionRate]
        if !needed.allSatisfy({ listed.contains($0.rawValue) }) {
            throw DisclosureCell.missingCellsError(attribute: attribute, decision: decision)
        }
    }
}
