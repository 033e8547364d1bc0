import FairleadCore

/// The published view of a report: what may leave the auditor's hands (docs/privacy.md).
///
/// The full report stays as it is, for the auditor and the history; a published view is
/// one more rendering input made from it, never a second computation of the audit. The
/// verdicts and the status are the full report's (computed on the full data).
///
///     let full = try audit.run()
///     var random = SystemRandomNumberGenerator()
///     let published = try PublishedReport.make(from: full, policy: profile.privacy ?? PrivacyPolicy(),
///                                              declaredGroups: profile.declaredGroups, using: &random)
///     print(MarkdownRendering.render(published))
///
/// Without ε, small cells are suppressed (``CellSuppression``); with ε, every count is
/// released with discrete Laplace noise (``DiscreteLaplace``) under the groups the profile
/// declares (``DeclaredGroups``), and the caller charges ε to the history's ledger
/// (``HistoryStore/chargePrivacyBudget(_:policy:recordedAt:)``).
public enum PublishedReport {
    /// The published view of `report` under `policy`; `generator` draws the noise of a
    /// differentially private release (a cryptographic one outside tests), whose groups
    /// are `declaredGroups` (the profile's ``AuditProfile/declaredGroups``, by column). A
    /// suppressed view keeps those names even for small groups, and publishes the names of
    /// other small groups as placeholders.
    ///
    /// - Throws: `FairleadError(.usage)` when the report lacks the rates that carry its
    ///   cells, or when a differentially private release is asked of a weighted audit
    ///   (a row's weight would bound nothing); for a release, `FairleadError(.invalidProfile)`
    ///   when a column declares no groups and `policy.groupNames` is `.declared`, and
    ///   `FairleadError(.invalidData)` when the data holds a value outside a column's
    ///   declared groups and no `other:` takes it.
    public static func make<G: RandomNumberGenerator>(from report: AuditReport, policy: PrivacyPolicy,
                                                      declaredGroups: [String: DeclaredGroups] = [:],
                                                      using generator: inout G) throws -> AuditReport {
        precondition(report.privacy == nil, "a published view is made from the full report")
        if let epsilon = policy.epsilon {
            return try NoisyRelease.make(from: report, epsilon: epsilon, policy: policy, declaredGroups: declaredGroups,
                                         using: &generator)
        }
        return try suppressed(report, policy: policy, declaredGroups: declaredGroups)
    }

    /// The view with small cells suppressed (``PrivacyPolicy/minimumCell``). A group whose
    /// count is withheld below `min_cell` and whose name `declaredGroups` does not hold is
    /// published under a placeholder name (``WithheldGroupNames``): its name would say
    /// that its few leads are in the data.
    public static func suppressed(_ report: AuditReport, policy: PrivacyPolicy,
                                  declaredGroups: [String: DeclaredGroups] = [:]) throws -> AuditReport {
        let table = try DisclosureTable(report: report)
        let suppression = CellSuppression(table, minimumCell: policy.minimumCell)
        var withheldCells: [DisclosureTable.Key: String] = [:]
        for index in suppression.primary { withheldCells[table.keys[index]] = "below min_cell" }
        for index in suppression.complementary { withheldCells[table.keys[index]] = "complementary" }
        let baselineOnly = WithheldGroupNames.baselineOnly(report, minimumCell: policy.minimumCell)
        var view = SuppressedView(report: report, withheld: withheldCells, baselineOnly: baselineOnly)
        view.apply()
        var published = view.report
        var small = baselineOnly
        for index in suppression.primary {
            if case .cell(_, let attribute, let group?, .count) = table.keys[index] { small.insert(.init(attribute: attribute, group: group)) }
        }
        let names = WithheldGroupNames(report: report, small: small, declared: declaredGroups)
        let suppressed = withheldCells.compactMap { key, reason -> PrivacyReport.SuppressedCell? in
            guard case .cell(let decision, let attribute, let group, let cell) = key else { return nil }
            return PrivacyReport.SuppressedCell(decision: decision, attribute: attribute, group: group, cell: cell.rawValue, reason: reason)
        }.sorted()
        published.privacy = PrivacyReport(
            method: "suppression",
            policy: .init(minCell: policy.minimumCell, epsilon: nil, budget: nil),
            suppressed: suppressed, withheld: view.withheldParts, release: nil,
            notes: ["verdicts and the status were computed on the full data; the published view withholds numbers, not findings"])
        let renamed = names.entries(report: report, minimumCell: policy.minimumCell)
        published.privacy?.withheldGroupNames = renamed.isEmpty ? nil : renamed
        names.apply(to: &published)
        return published
    }
}
