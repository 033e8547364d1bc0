extension AuditReport {
    /// What a report records of the profile it audited with, as the audit history compares
    /// it: two reports whose ``ProfileContent`` ``matches(_:)`` ran the same profile content,
    /// whatever the profile is called.
    ///
    /// The name says nothing about content: every ad hoc audit is called `ad-hoc`, and two
    /// profile files may share a `name:`. The content is the profile's SHA-256 (of its files,
    /// or of the ad hoc flags) together with what command-line flags given over a profile
    /// file change without changing that file's SHA-256: the rules (`--rule`), the decisions
    /// (`--threshold`, `--top-k`), the columns read (`--score`, `--label`, `--sensitive`), the
    /// reference groups (`--reference`), a declared score range (`--score-range`) and the
    /// bootstrap's replicates (`--bootstrap`).
    ///
    ///     earlier.profileContent.matches(report.profileContent)   // the same profile, for re-run detection
    ///
    /// Parts that an older report does not record (`profile.rules` before schema 2,
    /// `data.score_scale` before it existed) are compared only when both reports have them,
    /// so an entry written by an earlier version still matches a re-run of its profile.
    public struct ProfileContent: Sendable, Equatable {
        /// `profile.sha256`.
        public var sha256: String
        /// `profile.rules`; absent before schema 2.
        public var rules: [String]?
        /// Per decision, its rule in words (`selected when score ≥ 0.3`).
        public var decisions: [String: String]
        /// `data.columns`: the columns the profile named.
        public var columns: [String]
        /// Per decision and attribute (`threshold_0.3/ethnicity`), its reference group and
        /// how it was chosen.
        public var references: [String: String]
        /// `data.score_scale.range` when the profile declared it.
        public var declaredScoreRange: [Double]?
        /// Whether the report records `data.score_scale` (reports before it did not).
        public var recordsScoreScale: Bool
        /// `settings.bootstrap_replicates`.
        public var bootstrapReplicates: Int = 0

        /// Whether `other` is the same profile content; a part one of them lacks is not compared.
        public func matches(_ other: ProfileContent) -> Bool {
            guard sha256 == other.sha256, decisions == other.decisions, columns == other.columns,
                  references == other.references, bootstrapReplicates == other.bootstrapReplicates else { return false }
            if recordsScoreScale && other.recordsScoreScale && declaredScoreRange != other.declaredScoreRange { return false }
            if let rules, let otherRules = other.rules, rules != otherRules { return false }
            return true
        }
    }

    /// The profile content this report records (``ProfileContent``).
    public var profileContent: ProfileContent {
        var references: [String: String] = [:]
        for (decisionName, decision) in decisions {
            for (attributeName, attribute) in decision.attributes {
                references[decisionName + "/" + attributeName] = attribute.referenceMethod + " " + (attribute.referenceGroup ?? "")
            }
        }
        let scale = data.scoreScale
        return ProfileContent(sha256: profile.sha256, rules: profile.rules,
                              decisions: decisions.mapValues(\.rule), columns: data.columns, references: references,
                              declaredScoreRange: scale?.source == "declared" ? scale?.range : nil,
                              recordsScoreScale: scale != nil, bootstrapReplicates: settings.bootstrapReplicates)
    }
}
