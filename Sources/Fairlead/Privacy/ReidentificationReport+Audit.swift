import FairleadCore

extension ReidentificationReport {
    /// The `reidentification` section of an audit of `profile`: its
    /// `privacy.quasi_identifiers` over the rows read (`table`), with the profile's
    /// sensitive attributes as the sensitive columns — except those listed as
    /// quasi-identifiers too (gender often is both), which are measured as
    /// quasi-identifiers only, as a note says — and `privacy.reidentification_k`.
    static func make(profile: AuditProfile, quasiIdentifiers: [String], table: Table, source: String) throws -> ReidentificationReport {
        var sensitive: [String] = []
        var both: [String] = []
        for column in profile.sensitive.map(\.column) where !sensitive.contains(column) && !both.contains(column) {
            if quasiIdentifiers.contains(column) { both.append(column) } else { sensitive.append(column) }
        }
        var section = try make(table: table, quasiIdentifiers: quasiIdentifiers, sensitive: sensitive,
                               k: profile.privacy?.reidentificationK ?? defaultK, source: source)
        if !both.isEmpty {
            section.notes.append("sensitive attributes also listed as quasi-identifiers, measured as quasi-identifiers only: "
                                 + both.joined(separator: ", "))
        }
        return section
    }
}
