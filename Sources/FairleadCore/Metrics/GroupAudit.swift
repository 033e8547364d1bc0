import Foundation

/// Every decision rule of an audit over every grouping: one ``MetricFrame`` per
/// (rule, grouping), each from one chunked pass over the columns.
///
///     let audit = try GroupAudit(columns: columns, configuration: .init(
///         rules: [.threshold(0.5), .topFraction(0.1)],
///         groupings: [["gender"], ["age_band"], ["gender", "age_band"]]))
///     audit.frame(rule: .threshold(0.5), attributes: ["gender"])?.demographicParityRatio()
public struct GroupAudit: Sendable {
    /// What to audit.
    public struct Configuration: Sendable, Hashable {
        /// The decision rules, each audited separately.
        public var rules: [DecisionRule]
        /// The groupings: one attribute name for a single attribute, several for their
        /// intersection.
        public var groupings: [[String]]
        /// What to do with a missing sensitive value.
        public var missingSensitive: MissingSensitivePolicy
        /// The range every present score must lie in (`nil`: any finite score).
        public var scoreRange: ClosedRange<Double>?
        /// Groups with fewer rows than this get "insufficient evidence" verdicts.
        public var minimumGroupSize: Int
        /// The most groups a grouping may have (``Limits/maxGroups``).
        public var maxGroups = Limits().maxGroups

        /// A configuration; by default missing sensitive values form an `unknown` group,
        /// scores lie in 0...1 and a verdict needs 30 rows per group.
        public init(rules: [DecisionRule], groupings: [[String]],
                    missingSensitive: MissingSensitivePolicy = .ownGroup,
                    scoreRange: ClosedRange<Double>? = 0...1, minimumGroupSize: Int = 30) {
            self.rules = rules
            self.groupings = groupings
            self.missingSensitive = missingSensitive
            self.scoreRange = scoreRange
            self.minimumGroupSize = minimumGroupSize
        }
    }

    /// One rule over one grouping.
    public struct Entry: Sendable {
        /// The decision rule.
        public let rule: DecisionRule
        /// The attributes grouped by.
        public var attributes: [String] { frame.grouping.attributeNames }
        /// Its metrics.
        public let frame: MetricFrame
    }

    /// What was audited.
    public let configuration: Configuration
    /// Per rule (outer, in order), per grouping (inner, in order).
    public let entries: [Entry]

    /// Runs the audit on up to `threads` threads at once (by default, one per core).
    ///
    /// - Throws: ``FairleadError`` for bad data (naming the row index and value) or an
    ///   impossible configuration.
    public init(columns: AuditColumns, configuration: Configuration,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        let groupings = try configuration.groupings.map {
            try Grouping(columns: columns, attributes: $0, missingPolicy: configuration.missingSensitive,
                         maxGroups: configuration.maxGroups)
        }
        var entries: [Entry] = []
        for rule in configuration.rules {
            for grouping in groupings {
                let stats = try GroupStats.accumulate(columns, rule: rule, grouping: grouping,
                                                      scoreRange: configuration.scoreRange, threads: threads)
                entries.append(Entry(rule: rule, frame: MetricFrame(stats: stats, grouping: grouping)))
            }
        }
        self.configuration = configuration
        self.entries = entries
    }

    /// The frame of one rule over one grouping, if the audit has it.
    public func frame(rule: DecisionRule, attributes: [String]) -> MetricFrame? {
        entries.first { $0.rule == rule && $0.attributes == attributes }?.frame
    }
}
