import FairleadCore
import Foundation

/// The one canonical result of an audit: a versioned, `Codable` value whose JSON is the
/// contract for scripts, dashboards and the audit history. Every rendering (terminal,
/// Markdown) is a function of this value and never recomputes a number.
///
/// Everything is keyed by name, so that a script reaches any number without knowing
/// positions (docs/report-schema.md lists the paths):
///
///     .decisions["threshold_0.3"].attributes.ethnicity.groups.black.metrics.selection_rate.value
///     .decisions["threshold_0.3"].attributes.ethnicity.disparities.selection_rate.ratio_to_reference.black.value
///     .decisions["threshold_0.3"].attributes.ethnicity.fairness.equalized_odds_difference.value
public struct AuditReport: Codable, Sendable, Equatable {
    /// The version of this JSON layout; it changes only when a field changes meaning or
    /// disappears (adding a field does not change it).
    public static let currentSchemaVersion = 2

    public var schemaVersion: Int
    public var tool: Tool
    /// When the audit ran, ISO 8601 in UTC.
    public var generatedAt: String
    public var profile: ProfileInfo
    public var data: DataInfo
    public var rows: RowAccounting
    public var settings: SettingsInfo
    /// The audit's one verdict (``aggregateStatus()``), over the rules' findings, the drift
    /// check's and the proxy checks': `fail` when any fails; `no_rules` when nothing was
    /// judged because there is nothing to judge; `insufficient_evidence` when rules exist
    /// but some (or all) could not be decided; `pass` otherwise. Schema version 2 added
    /// `no_rules` and drift to it.
    public var status: Verdict
    /// What the reader should know that no finding says: a threshold that reads the
    /// scores on another scale, for instance. Absent when there is nothing to say.
    public var notes: [String]?
    /// Per decision rule, by its name.
    public var decisions: [String: DecisionReport]
    /// The profile's rules applied to the metrics, one per rule × decision × attribute
    /// (× group, for per-group metrics such as `disparate_impact`).
    public var findings: [Finding]
    /// Per sensitive attribute and group, the scores' distribution over ten bins cut at
    /// the group's deciles: what a later drift check measures score drift against.
    /// Absent in reports of Fairlead versions before the audit history.
    public var scoreDistribution: ScoreDistribution?
    /// The comparison with a baseline audit, when the profile has a `drift:` section.
    public var drift: DriftReport?
    /// Where labels that arrived after the audit came from, and which history entry
    /// this report completes.
    public var lateLabels: LateLabelsInfo?
    /// Lead-queue metrics per attribute (threshold-free, top-k, calibration); absent in
    /// reports written before they existed.
    public var queue: [String: QueueReport]?
    /// What drives each group's score gap, which features stand in for a sensitive
    /// attribute, and what reps are never shown; when the profile names a model.
    public var explanations: ExplanationsReport?
    /// Per decision: consistency and the counterfactual check on the model's features;
    /// when the profile asks (`individual_fairness:` or a rule on them).
    public var individualFairness: [String: IndividualFairnessReport]?
    /// What it would take to pass and what it would cost: the options `fairlead mitigate`
    /// computes, from the audit's own read, when the profile has `mitigation:`
    /// (docs/mitigation.md). Options, never a decision: they do not change ``status``.
    public var mitigation: MitigationReport?
    /// Only in a published view (``PublishedReport``): the privacy policy applied and
    /// what it suppressed or how it added noise.
    public var privacy: PrivacyReport?
    /// The re-identification risk of the audit data through the profile's
    /// `privacy.quasi_identifiers` (docs/privacy.md); absent without them.
    public var reidentification: ReidentificationReport?

    public init(tool: Tool = Tool(), generatedAt: String, profile: ProfileInfo, data: DataInfo, rows: RowAccounting,
                settings: SettingsInfo, status: Verdict, decisions: [String: DecisionReport], findings: [Finding],
                scoreDistribution: ScoreDistribution? = nil, drift: DriftReport? = nil, lateLabels: LateLabelsInfo? = nil,
                explanations: ExplanationsReport? = nil) {
        self.schemaVersion = Self.currentSchemaVersion
        self.tool = tool
        self.generatedAt = generatedAt
        self.profile = profile
        self.data = data
        self.rows = rows
        self.settings = settings
        self.status = status
        self.decisions = decisions
        self.findings = findings
        self.scoreDistribution = scoreDistribution
        self.drift = drift
        self.lateLabels = lateLabels
        self.explanations = explanations
    }
}

extension AuditReport {
    /// A finding's (and the audit's) outcome.
    public enum Verdict: String, Codable, Sendable, Equatable {
        case pass
        case fail
        case insufficientEvidence = "insufficient_evidence"
        /// The audit's status only: no rule, drift tolerance or proxy threshold to judge.
        case noRules = "no_rules"
    }

    public struct Tool: Codable, Sendable, Equatable {
        public var name: String
        public var version: String
        public init(name: String = "fairlead", version: String = FairleadVersion.current) {
            self.name = name
            self.version = version
        }
    }

    public struct ProfileInfo: Codable, Sendable, Equatable {
        public var name: String
        public var purpose: String?
        /// SHA-256 (hex) of the profile file's bytes, then of each base's, joined by `+`
        /// when the profile extends others; of the flags when the audit was ad hoc.
        public var sha256: String
        /// The profile file and its bases, in `extends:` order; empty for an ad hoc audit.
        public var files: [String]
        /// The rules checked, as written (`disparate_impact >= 0.8`); absent before schema 2.
        public var rules: [String]?
        public init(name: String, purpose: String?, sha256: String, files: [String], rules: [String]? = nil) {
            self.name = name
            self.purpose = purpose
            self.sha256 = sha256
            self.files = files
            self.rules = rules
        }
    }

    public struct DataInfo: Codable, Sendable, Equatable {
        /// The data file as given.
        public var source: String
        /// SHA-256 (hex) of the bytes read from the file.
        public var sha256: String
        public var bytes: Int
        /// The only columns that were parsed.
        public var columns: [String]
        /// For a gzip file only: SHA-256 of the CSV it inflates to; absent otherwise.
        public var contentSHA256: String?
        /// The score's scale: the declared `score_range` or the observed range.
        public var scoreScale: ScoreScaleInfo?
        /// For an audit completed from statistics parts: the shards they were made from.
        /// `sha256` is then the SHA-256 of the shards' digests, in this order, joined by
        /// newlines, and `bytes` their total.
        public var shards: [ShardInfo]?
        /// The consent filter (`data.consent`): column, purpose and rows left out; absent
        /// without one.
        public var consent: ConsentInfo?
        /// `HMAC-SHA-256` when lead ids are printed and stored as keyed pseudonyms
        /// (`privacy.pseudonymize_ids`); absent otherwise. Never the key.
        public var pseudonymizedIds: String?
        /// Per column read, the parts of the audit that needed it (``ColumnPurposes``), in
        /// the order of `columns`; absent in reports of earlier versions.
        public var columnPurposes: [ColumnPurpose]?
        public init(source: String, sha256: String, bytes: Int, columns: [String]) {
            self.source = source
            self.sha256 = sha256
            self.bytes = bytes
            self.columns = columns
        }
    }

    /// One shard of an audit completed from statistics parts (`fairlead stats`).
    public struct ShardInfo: Codable, Sendable, Equatable {
        /// The data file as given to `fairlead stats`.
        public var source: String
        /// SHA-256 of the file as stored (a `.csv.gz` file's compressed bytes).
        public var sha256: String
        public var bytes: Int
        public var rowsRead: Int
        /// For a gzip file only: SHA-256 of the CSV it inflates to; absent otherwise.
        public var contentSHA256: String?
        public init(source: String, sha256: String, bytes: Int, rowsRead: Int, contentSHA256: String? = nil) {
            self.source = source
            self.sha256 = sha256
            self.bytes = bytes
            self.rowsRead = rowsRead
            self.contentSHA256 = contentSHA256
        }
    }

    /// A column read and why: `{column: "label", purposes: ["outcome_metrics"]}`.
    public struct ColumnPurpose: Codable, Sendable, Equatable {
        public var column: String
        /// `decisions`, `queue`, `score_distribution`, `outcome_metrics`, `weights`,
        /// `grouping`, `explanations`, `proxies`, `individual_fairness`, `late_labels`,
        /// `consent_filter`.
        public var purposes: [String]
        public init(column: String, purposes: [String]) {
            self.column = column
            self.purposes = purposes
        }
    }

    /// The consent filter applied before anything was computed.
    public struct ConsentInfo: Codable, Sendable, Equatable {
        /// The consent column.
        public var column: String
        /// The audit's purpose, which consent had to name.
        public var purpose: String
        /// Rows left out without consent (also `rows.excluded.no_consent`).
        public var excluded: Int
        public init(column: String, purpose: String, excluded: Int) {
            self.column = column
            self.purpose = purpose
            self.excluded = excluded
        }
    }

    /// Every data row is accounted for: read = used + Σ excluded.
    public struct RowAccounting: Codable, Sendable, Equatable {
        public var read: Int
        public var used: Int
        /// Rows left out, by reason (`missing_score`, `missing_label`, `missing_weight`, …).
        public var excluded: [String: Int]
        public init(read: Int, used: Int, excluded: [String: Int]) {
            self.read = read
            self.used = used
            self.excluded = excluded
        }
    }

    public struct SettingsInfo: Codable, Sendable, Equatable {
        public var minimumGroupSize: Int
        public var intervalLevel: Double
        public var bootstrapReplicates: Int
        public var seed: UInt64
        /// `point` or `interval` (`settings.verdict`); absent before schema 2 (point).
        public var verdict: String?
        public init(minimumGroupSize: Int, intervalLevel: Double, bootstrapReplicates: Int, seed: UInt64,
                    verdict: String? = nil) {
            self.minimumGroupSize = minimumGroupSize
            self.intervalLevel = intervalLevel
            self.bootstrapReplicates = bootstrapReplicates
            self.seed = seed
            self.verdict = verdict
        }
    }

    /// The scale of the scores (``data.scoreScale``).
    public struct ScoreScaleInfo: Codable, Sendable, Equatable {
        /// [lowest, highest].
        public var range: [Double]
        /// `declared` (the profile's `data.score_range`) or `observed`.
        public var source: String
        /// Whether the range lies within [0, 1]: calibration metrics apply only then.
        public var probabilities: Bool
        public init(range: [Double], source: String, probabilities: Bool) {
            self.range = range
            self.source = source
            self.probabilities = probabilities
        }
    }
}
