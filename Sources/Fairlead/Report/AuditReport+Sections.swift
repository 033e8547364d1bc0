import FairleadCore

extension AuditReport {
    /// One decision rule's results.
    public struct DecisionReport: Codable, Sendable, Equatable {
        /// How scores became decisions, in words, e.g. "selected when score ≥ 0.3".
        public var rule: String
        /// `threshold`, `top_k` or `prediction`.
        public var kind: String
        public var threshold: Double?
        public var topCount: Int?
        public var topFraction: Double?
        public var predictionColumn: String?
        /// How many rows were selected.
        public var selected: Int
        /// The rows this decision used and left out (a `prediction` decision needs no
        /// score, a score decision no prediction).
        public var rows: RowAccounting
        /// Per sensitive attribute or intersection (`ethnicity*gender`), by name.
        public var attributes: [String: AttributeReport]
        /// A top-k cut inside a run of tied scores: `selected` of the `tied` rows at
        /// `score` were taken in row order, so which rows are selected follows the rows'
        /// order; a rule of the decision is then decided only where every choice of the tied
        /// rows would decide it alike (``Finding/tieRange``), else insufficient evidence.
        /// Absent otherwise.
        public var tieAtCutoff: TieAtCutoffInfo?

        public init(rule: String, kind: String, threshold: Double? = nil, topCount: Int? = nil, topFraction: Double? = nil,
                    predictionColumn: String? = nil, selected: Int, rows: RowAccounting,
                    attributes: [String: AttributeReport]) {
            self.rule = rule
            self.kind = kind
            self.threshold = threshold
            self.topCount = topCount
            self.topFraction = topFraction
            self.predictionColumn = predictionColumn
            self.selected = selected
            self.rows = rows
            self.attributes = attributes
        }
    }

    /// ``DecisionReport/tieAtCutoff`` and ``TopKReport/tieAtCutoff``: `{score, tied, selected}`.
    public struct TieAtCutoffInfo: Codable, Sendable, Equatable {
        public var score: Double
        public var tied: Int
        public var selected: Int
        public init(score: Double, tied: Int, selected: Int) {
            self.score = score
            self.tied = tied
            self.selected = selected
        }

        /// The tie in words, as every rendering says it under the decision.
        public var sentence: String {
            "the top k cuts through \(tied) rows tied at score \(FindingJudge.format(score)): \(selected) of them were taken in row order, "
                + "so which rows are selected follows the rows' order, not their scores; the values shown are the row order's, and a rule "
                + "is decided only where every choice of \(selected) of the \(tied) would decide it alike, else it is insufficient evidence"
        }

        /// The tie in words, as every rendering says it of a top k of the lead queue.
        public var queueSentence: String {
            "the top k cuts through \(tied) rows tied at score \(FindingJudge.format(score)): \(selected) of them were taken in row order, "
                + "so each group's values at this k follow the rows' order, not their scores; rules on them are insufficient evidence"
        }

        /// A top-k cut of the queue's metrics (``TopKMetrics/tieAtCutoff``).
        init(_ tie: TieAtCutoff) {
            self.init(score: tie.score, tied: tie.tied, selected: tie.taken)
        }
    }

    /// One sensitive attribute (or intersection) under one decision rule.
    public struct AttributeReport: Codable, Sendable, Equatable {
        /// The data columns: one, or several for an intersection (a one-hot attribute by its name).
        public var columns: [String]
        /// The group disparities are measured against, and how it was chosen
        /// (`named`, `largest`; `best` picks per metric and is recorded per disparity).
        public var referenceGroup: String?
        public var referenceMethod: String
        /// Rows left out of this attribute because its value was missing and the profile
        /// says `missing: exclude`.
        public var excludedMissing: Int
        /// The metrics over all rows of this attribute.
        public var overall: GroupReport
        /// Per group, by its value (`unknown` for missing values); combinations of an
        /// intersection with no rows are listed with `count` 0.
        public var groups: [String: GroupReport]
        /// Per metric (e.g. `selection_rate`), its differences and ratios.
        public var disparities: [String: Disparity]
        /// The named fairness metrics (e.g. `equalized_odds_difference`), each one value.
        public var fairness: [String: Estimate]
        /// Per comparison with the reference group that combines rates
        /// (`average_odds_difference`, `average_abs_odds_difference`), each group's value
        /// (`fairness` holds the worst); absent before schema 2 and without labels.
        public var toReference: [String: [String: Estimate]]?

        public init(columns: [String], referenceGroup: String?, referenceMethod: String, excludedMissing: Int,
                    overall: GroupReport, groups: [String: GroupReport], disparities: [String: Disparity],
                    fairness: [String: Estimate], toReference: [String: [String: Estimate]]? = nil) {
            self.columns = columns
            self.referenceGroup = referenceGroup
            self.referenceMethod = referenceMethod
            self.excludedMissing = excludedMissing
            self.overall = overall
            self.groups = groups
            self.disparities = disparities
            self.fairness = fairness
            self.toReference = toReference
        }
    }

    /// One group's counts and metrics.
    public struct GroupReport: Codable, Sendable, Equatable {
        /// The display label from the profile, when it gives one.
        public var label: String?
        public var count: Int
        /// Σ weights (equals `count` without weights).
        public var weight: Double
        /// The group's share of the attribute's rows.
        public var share: Double
        /// Whether the group's rows (`effective_count` when present) reach the profile's
        /// minimum group size.
        public var sufficient: Bool
        /// For weighted rows whose weight sits on fewer rows than `count`: their effective
        /// number ⌊(Σw)²/Σw²⌋, the evidence `sufficient` and the drift check count.
        /// Absent when it equals `count` (unweighted rows, equal weights).
        public var effectiveCount: Int?
        /// Per metric name (snake_case), e.g. `selection_rate`, `true_positive_rate`.
        public var metrics: [String: Estimate]

        public init(label: String? = nil, count: Int, weight: Double, share: Double, sufficient: Bool,
                    effectiveCount: Int? = nil, metrics: [String: Estimate]) {
            self.label = label
            self.count = count
            self.weight = weight
            self.share = share
            self.sufficient = sufficient
            self.effectiveCount = effectiveCount
            self.metrics = metrics
        }

        /// The rows a verdict on the group rests on: `effective_count`, or `count`.
        public var evidenceCount: Int { effectiveCount ?? count }
    }

    /// The disparities of one metric across the groups of an attribute.
    public struct Disparity: Codable, Sendable, Equatable {
        /// max − min over groups (Fairlearn `between_groups`).
        public var differenceBetweenGroups: Estimate
        /// max over groups of |group − overall| (Fairlearn `to_overall`).
        public var differenceToOverall: Estimate
        /// min ÷ max over groups (Fairlearn `between_groups`).
        public var ratioBetweenGroups: Estimate
        /// min over groups of min(group/overall, overall/group) (Fairlearn `to_overall`).
        public var ratioToOverall: Estimate
        /// Per group: group − reference (AIF360 / Aequitas, signed).
        public var differenceToReference: [String: Estimate]
        /// Per group: group ÷ reference (AIF360 / Aequitas).
        public var ratioToReference: [String: Estimate]

        public init(differenceBetweenGroups: Estimate, differenceToOverall: Estimate, ratioBetweenGroups: Estimate,
                    ratioToOverall: Estimate, differenceToReference: [String: Estimate], ratioToReference: [String: Estimate]) {
            self.differenceBetweenGroups = differenceBetweenGroups
            self.differenceToOverall = differenceToOverall
            self.ratioBetweenGroups = ratioBetweenGroups
            self.ratioToOverall = ratioToOverall
            self.differenceToReference = differenceToReference
            self.ratioToReference = ratioToReference
        }
    }

    /// A number with its interval, or the reason it is undefined (e.g. a rate over an
    /// empty denominator): never a silent 0.
    public struct Estimate: Codable, Sendable, Equatable {
        /// `nil` when undefined.
        public var value: Double?
        /// Why `value` is undefined, e.g. "no actual positives in group".
        public var undefinedReason: String?
        /// [lower, upper] at the report's interval level: Wilson for rates, bootstrap
        /// percentile for differences and ratios.
        public var interval: [Double]?
        /// For rates: the numerator and denominator (weighted).
        public var numerator: Double?
        public var denominator: Double?
        /// For a lead-queue value computed from a score grid (an audit from statistics):
        /// [lower, upper], within which the value from the rows lies; equal bounds when
        /// the grid loses nothing (docs/metrics.md, "From a score grid").
        public var gridBound: [Double]?

        public init(value: Double?, undefinedReason: String? = nil, interval: [Double]? = nil,
                    numerator: Double? = nil, denominator: Double? = nil) {
            self.value = value
            self.undefinedReason = undefinedReason
            self.interval = interval
            self.numerator = numerator
            self.denominator = denominator
        }
    }

    /// A rule checked at one place: decision × attribute (× group).
    public struct Finding: Codable, Sendable, Equatable {
        /// The rule as written, e.g. `disparate_impact >= 0.8`.
        public var rule: String
        public var metric: String
        public var decision: String
        public var attribute: String
        /// The group, for per-group metrics such as `disparate_impact`.
        public var group: String?
        public var value: Double?
        /// The interval at the settings' level (Wilson for a group's rate, bootstrap for a
        /// disparity).
        public var interval: [Double]?
        /// With `settings.verdict: interval`: the simultaneous interval the verdict rests on
        /// (Bonferroni over the values the rule judges, docs/metrics.md "Verdicts").
        public var verdictInterval: [Double]?
        /// The value the verdict rests on when it is not `value`: for a between-groups rule
        /// whose small groups were set aside, the value over the groups large enough.
        public var judgedValue: Double?
        /// For a rule of a top-k decision whose cut splits tied scores, judged in point
        /// mode: the smallest and largest values the judged value takes over every way the
        /// cut could take the tied rows (a bound, docs/metrics.md "Ties at a top-k
        /// cutoff"). A `pass` or `fail` holds over all of it.
        public var tieRange: [Double]?
        public var verdict: Verdict
        /// Why the verdict, in words (e.g. "group has 12 rows, under the minimum of 30");
        /// an insufficient-evidence reason ends with what would decide it, when known.
        public var reason: String
        /// Why an `insufficient_evidence` verdict, for machines (`undecided_cause`);
        /// `nil` for `pass` and `fail`, and in reports written before the field.
        public var undecidedCause: UndecidedCause?
        /// The groups of `attribute` other than `group` that `reason` names: a reference
        /// group too small to judge, the groups set aside as too small, the one group with
        /// rows. Absent when it names none, and in reports written before the field. A
        /// published view reads it to tell whether a reason names a withheld group.
        public var namedGroups: [String]?

        public init(rule: String, metric: String, decision: String, attribute: String, group: String? = nil,
                    value: Double?, interval: [Double]?, verdict: Verdict, reason: String,
                    undecidedCause: UndecidedCause? = nil) {
            self.rule = rule
            self.metric = metric
            self.decision = decision
            self.attribute = attribute
            self.group = group
            self.value = value
            self.interval = interval
            self.verdict = verdict
            self.reason = reason
            self.undecidedCause = undecidedCause
        }

        /// The value the verdict rests on: ``judgedValue`` when the small groups were set
        /// aside, else ``value``.
        public var decidingValue: Double? { judgedValue ?? value }

        /// Whether the verdict rests on ``tieRange``: a `pass` or `fail` every choice of
        /// the tied rows at a top-k cutoff gives alike.
        public var isDecidedThroughTie: Bool {
            verdict != .insufficientEvidence && tieRange?.count == 2
        }

        /// The value a distance to the rule's limit is measured from: for a verdict decided
        /// through a tie, the end of ``tieRange`` nearest the limit (the split that comes
        /// closest to the other verdict); else ``decidingValue``.
        public var distanceValue: Double? {
            guard isDecidedThroughTie, let range = tieRange, let rule = ruleSpec else { return decidingValue }
            return range.min { abs(rule.comparison.margin($0, rule.bound)) < abs(rule.comparison.margin($1, rule.bound)) }
        }

        /// The reason of a finding whose value a published view withholds (`--publish`).
        public static let withheldValueReason = "value withheld in the published view (it reads suppressed cells); the verdict rests on the full data"

        /// The reason of a finding of a differentially private release (`--publish` with
        /// `privacy.epsilon`): its verdict is the full data's, its values are not released.
        public static let noisyReleaseReason = "verdict on the full data; the released values are noisy (see the decisions)"

        /// Whether a published view withheld the value (it has one in the full report):
        /// shown as `withheld`, not `undefined` — in a view with suppressed cells and in a
        /// differentially private release alike (the release's said `undefined`, a word
        /// kept for a value that does not exist).
        public var valueIsWithheld: Bool {
            value == nil && (reason == Self.withheldValueReason || reason == Self.noisyReleaseReason)
        }

        /// ``rule`` read as a rule (`disparate_impact >= 0.8`); `nil` when it does not
        /// read as one (a report from elsewhere, or written by a later version).
        public var ruleSpec: AuditProfile.RuleSpec? { AuditProfile.reportRule(rule) }
    }
}

extension AuditProfile {
    /// A rule as a saved report writes it, read as a profile's rule is; `nil` when the
    /// text does not read as one. Every reader of a report's rules goes through it.
    static func reportRule(_ text: String) -> RuleSpec? {
        try? rule(text, source: "report")
    }
}
