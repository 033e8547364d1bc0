import FairleadCore

extension AuditProfile {
    /// The `drift:` section of a profile: which earlier audit a re-audit is compared with,
    /// and how large a change must be to count as drift.
    ///
    ///     drift:
    ///       baseline: last_passing        # or {pinned: 12}, or {pinned: baseline-report.json}
    ///       tolerance: 0.05               # absolute change of a fairness value or a group's difference
    ///       psi: 0.25                     # population stability index of a group's scores
    ///       share_shift: 0.05             # absolute change of a group's share of the rows
    ///       confidence: 0.99              # unchanged data reports no drift with at least this chance
    ///       metrics: [demographic_parity_difference, selection_rate]
    ///
    /// A change counts as drift only when it exceeds its tolerance *and* sampling noise
    /// cannot explain it (docs/history.md gives the tests).
    public struct DriftSpec: Sendable, Equatable {
        /// The audit a re-audit is compared with.
        public enum Baseline: Sendable, Equatable {
            /// The most recently appended history entry of the same profile whose rules
            /// passed and whose own drift check did not fail.
            case lastPassing
            /// A history entry, by its id.
            case entry(Int64)
            /// A report JSON file (written by `fairlead audit --format json`).
            case reportFile(String)
        }

        /// The audit compared with; `last_passing` by default.
        public var baseline: Baseline
        /// The largest absolute change of a fairness value (or of a group's difference to
        /// the reference group) that is not drift, in the metric's own units.
        public var tolerance: Double
        /// The largest population stability index of a group's score distribution that is
        /// not drift.
        public var psi: Double
        /// The largest absolute change of a group's share of the scored rows that is not drift.
        public var shareShift: Double
        /// The chance that re-auditing data that did not change reports no drift at all:
        /// the noise tests share 1 − confidence between them (Bonferroni).
        public var confidence: Double
        /// The values compared: names of fairness metrics (each one value per attribute)
        /// and of group metrics (each group's difference to the reference group); `nil`
        /// compares every fairness value and each group's `selection_rate` difference.
        public var metrics: [String]?
        /// Where the section was written, for messages.
        public var location: SourceLocation?

        public init(baseline: Baseline = .lastPassing, tolerance: Double = 0.05, psi: Double = 0.25,
                    shareShift: Double = 0.05, confidence: Double = 0.99, metrics: [String]? = nil,
                    location: SourceLocation? = nil) {
            self.baseline = baseline
            self.tolerance = tolerance
            self.psi = psi
            self.shareShift = shareShift
            self.confidence = confidence
            self.metrics = metrics
            self.location = location
        }

        /// The names of the fairness values a drift check can compare (one value per
        /// decision and attribute in a report's `fairness` section).
        public static let fairnessNames: [String] = Metric.allCases.filter { metric in
            let definition = metric.definition
            guard definition.family == .disparity || definition.family == .inequality else { return false }
            // The odds comparisons with a reference are compared through their rates.
            return !(definition.comparison == .versusReference && definition.components.count > 1)
        }.map(\.rawValue)

        /// The group metrics whose per-group difference to the reference a drift check
        /// can compare (`count` and `share` have no disparities; shares have their own test).
        public static let groupMetricNames: [String] = GroupMetric.allCases
            .filter { $0 != .count && $0 != .share }.map(\.rawValue)

        /// The fairness values compared.
        public var comparedFairness: [String] {
            metrics.map { names in names.filter(Self.fairnessNames.contains) } ?? Self.fairnessNames
        }

        /// The group metrics whose per-group differences are compared.
        public var comparedGroupMetrics: [String] {
            metrics.map { names in names.filter(Self.groupMetricNames.contains) } ?? [GroupMetric.selectionRate.rawValue]
        }
    }
}

extension AuditProfile {
    static func decodeDrift(_ node: ProfileNode?) throws -> DriftSpec? {
        guard let node else { return nil }
        var mapping = try ProfileMapping(node, path: "drift")
        var spec = DriftSpec(location: node.location)
        if let baselineNode = mapping.node("baseline") {
            spec.baseline = try decodeDriftBaseline(baselineNode, path: mapping.path(of: "baseline"))
        }
        if let tolerance = try mapping.double("tolerance") {
            guard tolerance >= 0 else {
                throw ProfileMapping.error("expected a tolerance ≥ 0 such as 0.05, found \(tolerance)",
                                           path: mapping.path(of: "tolerance"), at: node.location)
            }
            spec.tolerance = tolerance
        }
        if let psi = try mapping.double("psi") {
            guard psi > 0 else {
                throw ProfileMapping.error("expected a population stability index > 0 such as 0.25, found \(psi)",
                                           path: mapping.path(of: "psi"), at: node.location)
            }
            spec.psi = psi
        }
        if let shift = try mapping.double("share_shift") {
            guard shift >= 0, shift <= 1 else {
                throw ProfileMapping.error("expected a share change between 0 and 1 such as 0.05, found \(shift)",
                                           path: mapping.path(of: "share_shift"), at: node.location)
            }
            spec.shareShift = shift
        }
        if let confidence = try mapping.double("confidence") {
            guard confidence > 0, confidence < 1 else {
                throw ProfileMapping.error("expected a confidence between 0 and 1 such as 0.99, found \(confidence)",
                                           path: mapping.path(of: "confidence"), at: node.location)
            }
            spec.confidence = confidence
        }
        if let metrics = try mapping.stringList("metrics") {
            let known = DriftSpec.fairnessNames + DriftSpec.groupMetricNames
            for name in metrics where !known.contains(name) {
                let near = typoNames(of: name, in: known, limit: 1)
                throw ProfileMapping.error("'\(name)' is not a fairness value or group metric drift can compare"
                                           + (near.first.map { " (did you mean '\($0)'?)" } ?? "; the names are listed in docs/history.md"),
                                           path: mapping.path(of: "metrics"), at: node.location)
            }
            spec.metrics = metrics
        }
        try mapping.finish(allowed: ["baseline", "tolerance", "psi", "share_shift", "confidence", "metrics"])
        return spec
    }

    private static func decodeDriftBaseline(_ node: ProfileNode, path: String) throws -> DriftSpec.Baseline {
        guard case .mapping = node.value else {
            let text = try ProfileMapping.scalar(node, path: path, expected: "'last_passing' or 'pinned: ENTRY'")
            guard text == "last_passing" else {
                throw ProfileMapping.error("expected 'last_passing' or a mapping such as '{pinned: 12}' (a history entry) or '{pinned: report.json}', found '\(MessageQuote.clipped(text, limit: 80))'",
                                           path: path, at: node.location)
            }
            return .lastPassing
        }
        var mapping = try ProfileMapping(node, path: path)
        guard let pinnedNode = mapping.node("pinned") else {
            // `{last_passing: true}` is the value written as a key.
            throw ProfileMapping.error("expected 'last_passing' (a value: `baseline: last_passing`) or a mapping such as '{pinned: 12}' (a history entry) or '{pinned: report.json}'; this mapping has no key 'pinned'",
                                       path: path, at: node.location)
        }
        try mapping.finish(allowed: ["pinned"])
        let text = try ProfileMapping.path(pinnedNode, path: mapping.path(of: "pinned"), expected: "a history entry id or a report JSON file")
        if case .scalar(_, let isQuoted) = pinnedNode.value, !isQuoted, Double(text) != nil {
            // An unquoted number is an entry id: `1.5` or `-1` names no entry (it was read
            // as a file named 1.5); a file named so is quoted.
            guard let number = Int64(text), number >= 1 else {
                throw ProfileMapping.error("expected a history entry id (a whole number, 1 or more) or a report file (quote a file name that reads as a number: pinned: \"\(MessageQuote.clipped(text, limit: 40))\"), found '\(MessageQuote.clipped(text, limit: 80))'",
                                           path: mapping.path(of: "pinned"), at: pinnedNode.location)
            }
            return .entry(number)
        }
        return .reportFile(resolve(text, relativeTo: pinnedNode.location.file))
    }
}
