import FairleadCore

/// A reusable audit: which data, which decisions, which sensitive attributes, which
/// metrics and which rules they must meet. Written in YAML (or JSON) and read by
/// ``AuditProfile/load(path:)``.
///
///     name: lead-model-predeployment
///     data:
///       path: ../leads/leads-sample.csv
///       id: lead_id
///       score: score
///       label: converted
///     decisions:
///       - threshold: 0.3
///       - top_k: 10%
///     sensitive:
///       - column: ethnicity
///         reference: white
///       - column: gender
///     rules:
///       - disparate_impact >= 0.8
///       - check: equalized_odds_difference <= 0.1
///         attributes: [ethnicity]
///
/// Paths inside a profile are relative to the profile file. `extends:` names a base
/// profile (an organization-wide policy); the profile's keys override the base's, and
/// mappings merge key by key. See docs/profiles.md for every key.
public struct AuditProfile: Sendable, Equatable {
    /// A short identifier, kept in the report and the audit history.
    public var name: String
    /// What the audit is for, in words.
    public var purpose: String?
    /// Where the data is and which columns hold what.
    public var data: DataSpec
    /// The decision rules that turn scores into "call this lead" decisions; at least one.
    public var decisions: [DecisionSpec]
    /// The sensitive attributes audited one by one; at least one.
    public var sensitive: [SensitiveSpec]
    /// Groups of two or more sensitive columns audited jointly (cartesian product).
    public var intersections: [[String]]
    /// The metrics to report; `nil` reports every metric.
    public var metrics: [String]?
    /// The checks that make an audit pass or fail.
    public var rules: [RuleSpec]
    /// Statistical settings: minimum group size, interval level, bootstrap, seed.
    public var settings: Settings
    /// The model to explain, when the audit includes attributions.
    public var model: ModelSpec?
    /// How reasons read, what reps never see, and the proxy thresholds (needs `model`).
    public var explanations: ExplanationsSpec?
    /// What re-audits compare with an earlier audit, and how much change is drift.
    public var drift: DriftSpec?
    /// Consistency and the counterfactual check (needs `model`); see docs/mitigation.md.
    public var individualFairness: IndividualFairnessSpec?
    /// Which of `fairlead mitigate`'s results the audit report adds (the `mitigation:`
    /// section); `nil` adds none.
    public var mitigation: MitigationSpec?
    /// The profile file this was read from, and its bases in `extends:` order.
    public var sourceFiles: [String]
    /// Bounds on what the audit's inputs may cost (the `limits:` section); defaults when absent.
    public var limits = Limits()
    /// How published views protect the people in the data (the `privacy:` section);
    /// `nil` publishes with ``PrivacyPolicy``'s defaults.
    public var privacy: PrivacyPolicy?
    /// The `statistics:` section (``StatisticsSettings``): the score grid of statistics parts.
    public var statistics: StatisticsSettings?

    public init(name: String, purpose: String? = nil, data: DataSpec, decisions: [DecisionSpec],
                sensitive: [SensitiveSpec], intersections: [[String]] = [], metrics: [String]? = nil,
                rules: [RuleSpec] = [], settings: Settings = Settings(), model: ModelSpec? = nil,
                explanations: ExplanationsSpec? = nil, drift: DriftSpec? = nil, sourceFiles: [String] = []) {
        self.name = name
        self.purpose = purpose
        self.data = data
        self.decisions = decisions
        self.sensitive = sensitive
        self.intersections = intersections
        self.metrics = metrics
        self.rules = rules
        self.settings = settings
        self.model = model
        self.explanations = explanations
        self.drift = drift
        self.sourceFiles = sourceFiles
    }
}

extension AuditProfile {
    /// The cell values the profile's data reads as missing: `data.missing_markers`, or the
    /// reader's default (the empty field, `NA`, `NaN`, `null`).
    public var missingMarkers: Set<String> {
        data.missingMarkers.map(Set.init) ?? CSVOptions().missingMarkers
    }

    /// The options the profile's data is read with: its limits and missing markers, on
    /// `threads` threads. Every read of the data, and every error that finds a value's line
    /// in it again, uses these, so that a cell reads the same way each time.
    func csvOptions(threads: Int = 1) -> CSVOptions {
        var options = CSVOptions()
        options.threads = threads
        options.limits = limits
        options.missingMarkers = missingMarkers
        return options
    }
}

extension AuditProfile {
    /// The data source and the role of each named column. Only these columns are read.
    public struct DataSpec: Sendable, Equatable {
        /// The CSV file, resolved against the profile's folder.
        public var path: String?
        /// A column identifying each lead (reported, used by `explain`).
        public var id: String?
        /// The model's score column.
        public var score: String
        /// The observed outcome (0/1); optional in production re-audits.
        public var label: String?
        /// The label values that count as the positive outcome (`label: {column: stage,
        /// positive: [won]}`): those rows read as 1, every other non-missing value as 0.
        /// `nil` reads the label column as 0/1 or true/false.
        public var labelPositive: [String]?
        /// Per-row sample weights.
        public var weight: String?
        /// The range scores must lie in; a score outside it is an error.
        public var scoreRange: ClosedRange<Double>?
        /// Cell values read as missing.
        public var missingMarkers: [String]?
        /// The consent column and the audit's purpose (`data.consent`): rows without
        /// consent to it are left out before anything is computed (``ConsentSpec``).
        public var consent: ConsentSpec?
        /// The PostgreSQL database the rows are in (`data.postgres`), instead of a file.
        public var postgres: PostgresSpec?

        public init(path: String? = nil, id: String? = nil, score: String, label: String? = nil,
                    labelPositive: [String]? = nil, weight: String? = nil, scoreRange: ClosedRange<Double>? = nil,
                    missingMarkers: [String]? = nil) {
            self.path = path
            self.id = id
            self.score = score
            self.label = label
            self.labelPositive = labelPositive
            self.weight = weight
            self.scoreRange = scoreRange
            self.missingMarkers = missingMarkers
        }
    }

    /// One decision rule, named so that findings can refer to it.
    public struct DecisionSpec: Sendable, Equatable {
        /// How scores become decisions.
        public enum Kind: Sendable, Equatable {
            /// Selected when score ≥ threshold.
            case threshold(Double)
            /// The `count` highest scores are selected.
            case topCount(Int)
            /// The highest `fraction` (0 < f ≤ 1) of scores are selected.
            case topFraction(Double)
            /// A 0/1 column of the data holds the decisions.
            case predictionColumn(String)
        }

        public var name: String
        public var kind: Kind
        public var location: SourceLocation?

        /// Whether it selects the highest scores (a cutoff the top-k metrics are measured at).
        public var isTopK: Bool {
            switch kind {
            case .topCount, .topFraction: return true
            case .threshold, .predictionColumn: return false
            }
        }

        public init(name: String, kind: Kind, location: SourceLocation? = nil) {
            self.name = name
            self.kind = kind
            self.location = location
        }
    }

    /// A sensitive attribute and how its groups are compared.
    public struct SensitiveSpec: Sendable, Equatable {
        /// Which group disparities are measured against.
        public enum Reference: Sendable, Equatable {
            /// A group named by its value in the data.
            case group(String)
            /// The group with the most rows.
            case largest
            /// The group with the best value of each metric.
            case best
        }

        /// What to do with rows whose sensitive value is missing.
        public enum MissingPolicy: String, Sendable, Equatable {
            /// Audit them as their own group, "unknown".
            case unknownGroup = "unknown"
            /// Leave them out of this attribute's groups, and count them.
            case exclude
        }

        /// One group of a one-hot attribute: its value and the 0/1 column that is 1 on its rows.
        public struct OneHotIndicator: Sendable, Equatable {
            /// The group's value, as reports, `reference:` and `labels:` name it (`black`).
            public var group: String
            /// The data column that is 1 on the group's rows (`race_black`).
            public var column: String

            public init(group: String, column: String) {
                self.group = group
                self.column = column
            }
        }

        /// The attribute's name in reports, rules' `attributes:` and intersections; for a
        /// plain attribute (`column:`) it is also the data column read, for a one-hot one
        /// (`name:` with `one_hot:`) the name the profile gives it.
        public var column: String
        /// A one-hot attribute's groups in the order written, each with its indicator column
        /// (`one_hot:`): a row's group is the one whose indicator is 1; `nil` for an attribute
        /// read from one column.
        public var oneHot: [OneHotIndicator]?
        /// Display names for values, e.g. `F: female`.
        public var labels: [String: String]
        public var reference: Reference
        public var missing: MissingPolicy
        /// For a numeric column such as age: the edges that cut it into ordered groups
        /// (`<25`, `25-34`, …, `65+`); `nil` audits the column's values as they are.
        public var bins: SensitiveBins?
        /// The column's groups, declared (`values:`), in order: the groups a differentially
        /// private release names, whatever the data holds (``DeclaredGroups``); `nil`
        /// declares none. The audit itself groups the values the data holds.
        public var values: [String]?
        /// The group a differentially private release counts every value outside
        /// ``values`` in (`other:`); `nil` refuses a release of data holding such a value.
        public var other: String?
        public var location: SourceLocation?

        public init(column: String, labels: [String: String] = [:], reference: Reference = .largest,
                    missing: MissingPolicy = .unknownGroup, bins: SensitiveBins? = nil, values: [String]? = nil,
                    other: String? = nil, location: SourceLocation? = nil) {
            self.column = column
            self.labels = labels
            self.reference = reference
            self.missing = missing
            self.bins = bins
            self.values = values
            self.other = other
            self.location = location
        }

        /// The data columns the attribute is read from: its indicator columns, or its column.
        public var dataColumns: [String] {
            oneHot?.map(\.column) ?? [column]
        }
    }

    /// A check such as `disparate_impact >= 0.8`, for some or all attributes and decisions.
    public struct RuleSpec: Sendable, Equatable {
        public enum Comparison: String, Sendable, Equatable, CaseIterable {
            case atLeast = ">="
            case atMost = "<="
            case greaterThan = ">"
            case lessThan = "<"

            /// Whether `value` satisfies `value OP bound`.
            public func holds(_ value: Double, _ bound: Double) -> Bool {
                switch self {
                case .atLeast: return value >= bound
                case .atMost: return value <= bound
                case .greaterThan: return value > bound
                case .lessThan: return value < bound
                }
            }

            /// How far `value` is past `bound` on the side the comparison wants: positive
            /// when it is clear of the bound, negative when it falls short.
            public func margin(_ value: Double, _ bound: Double) -> Double {
                switch self {
                case .atLeast, .greaterThan: return value - bound
                case .atMost, .lessThan: return bound - value
                }
            }
        }

        /// The metric checked, from the catalog (``Metric``), e.g. `.disparateImpact`.
        public var metric: Metric
        public var comparison: Comparison
        public var bound: Double
        /// The attributes (or intersections, written `a*b`) it applies to; `nil` means all.
        public var attributes: [String]?
        /// The decision names it applies to; `nil` means all.
        public var decisions: [String]?
        public var location: SourceLocation?

        public init(metric: Metric, comparison: Comparison, bound: Double, attributes: [String]? = nil,
                    decisions: [String]? = nil, location: SourceLocation? = nil) {
            self.metric = metric
            self.comparison = comparison
            self.bound = bound
            self.attributes = attributes
            self.decisions = decisions
            self.location = location
        }

        /// Whether every value in the metric's range satisfies the rule (`true`: it can
        /// never fail, such as `demographic_parity_difference <= 5` for 0.05) or none does
        /// (`false`: it can never pass); `nil` when the values decide. A rule decided by
        /// the range alone judges nothing, so profiles refuse it.
        public var decidedByRange: Bool? {
            let definition = metric.definition
            let low = definition.lowest ?? -.infinity
            let high = definition.highest ?? .infinity
            switch comparison {
            case .atMost:
                if bound >= high { return true }
                if bound < low { return false }
            case .lessThan:
                if bound > high { return true }
                if bound <= low { return false }
            case .atLeast:
                if bound <= low { return true }
                if bound > high { return false }
            case .greaterThan:
                if bound < low { return true }
                if bound >= high { return false }
            }
            return nil
        }

        /// The rule as written, e.g. `disparate_impact >= 0.8`.
        public var expression: String { "\(metric) \(comparison.rawValue) \(bound)" }

        /// Whether the rule applies to a decision and an attribute (or intersection, `a*b`).
        public func applies(toDecision decision: String, attribute: String) -> Bool {
            (decisions?.contains(decision) ?? true) && (attributes?.contains(attribute) ?? true)
        }
    }

    /// A column given two roles, the second named by its profile key (`path`, with the
    /// index of its decision or sensitive attribute), or `nil`.
    public struct ColumnRoleConflict: Sendable, Equatable {
        public var message: String
        public var path: String
        public var index: Int?
    }

    /// The first column the profile gives two roles: the score that is the label (every
    /// separation metric then perfect), a sensitive attribute that is the label or a
    /// prediction column, an id that is the score. Each role reads the column as its own
    /// type: the audit stopped with "column must be categorical", or passed what it had
    /// measured against itself. Two decisions may read one prediction column.
    public var columnRoleConflict: ColumnRoleConflict? {
        var roles: [(column: String, role: String, path: String, index: Int?)] = [
            (data.id, "the id column (data.id)", "data.id", nil),
            (data.score, "the score column (data.score)", "data.score", nil),
            (data.label, "the label column (data.label)", "data.label", nil),
            (data.weight, "the weight column (data.weight)", "data.weight", nil),
            (data.consent?.column, "the consent column (data.consent)", "data.consent", nil),
        ].compactMap { column, role, path, index in column.map { ($0, role, path, index) } }
        var predictions: Set<String> = []
        for (index, decision) in decisions.enumerated() {
            guard case .predictionColumn(let column) = decision.kind, predictions.insert(column).inserted else { continue }
            roles.append((column, "the prediction column of decision \(decision.name)", "decisions[\(index)].prediction", index))
        }
        for (index, attribute) in sensitive.enumerated() {
            guard let indicators = attribute.oneHot else {
                roles.append((attribute.column, "a sensitive attribute (sensitive[\(index)])", "sensitive[\(index)]", index))
                continue
            }
            // A one-hot attribute's name is no column, but reports and rules name it beside
            // the columns read: it may not be one of them.
            roles.append((attribute.column, "the name of the one-hot attribute sensitive[\(index)]", "sensitive[\(index)].name", index))
            for indicator in indicators {
                roles.append((indicator.column, "the indicator of group '\(MessageQuote.clipped(indicator.group, limit: 40))' of sensitive[\(index)] (one_hot)",
                              "sensitive[\(index)].one_hot", index))
            }
        }
        for (position, second) in roles.enumerated() {
            guard let first = roles[..<position].first(where: { $0.column == second.column }) else { continue }
            return ColumnRoleConflict(message: "'\(MessageQuote.clipped(second.column, limit: 80))' is \(first.role) too: one column cannot be both \(first.role) and \(second.role); name another column",
                                      path: second.path, index: second.index)
        }
        return nil
    }

    /// Statistical settings of an audit.
    public struct Settings: Sendable, Equatable {
        /// Groups with fewer rows get "insufficient evidence", never pass or fail.
        public var minimumGroupSize: Int
        /// The confidence level of every interval, e.g. 0.95.
        public var intervalLevel: Double
        /// Bootstrap replicates for intervals on differences and ratios; 0 turns them off.
        public var bootstrapReplicates: Int
        /// The seed of the bootstrap, so that reports are reproducible.
        public var seed: UInt64
        /// How a rule's value decides its verdict: by the point estimate (the peers'
        /// convention, the default) or by its simultaneous interval.
        public var verdict: VerdictMode

        public init(minimumGroupSize: Int = 30, intervalLevel: Double = 0.95, bootstrapReplicates: Int = 1000,
                    seed: UInt64 = 20_261_129, verdict: VerdictMode = .point) {
            self.minimumGroupSize = minimumGroupSize
            self.intervalLevel = intervalLevel
            self.bootstrapReplicates = bootstrapReplicates
            self.seed = seed
            self.verdict = verdict
        }

        /// Why `replicates` cannot give a percentile interval at `intervalLevel`, or `nil`
        /// when it can (0 turns the bootstrap off). A percentile interval needs replicates
        /// beyond both of its percentiles: one replicate made a "95% interval" of a single
        /// point that passed an interval verdict.
        public func replicatesProblem(_ replicates: Int) -> String? {
            if replicates < 0 { return "expected 0 (no intervals) or more replicates, found \(replicates)" }
            let least = BootstrapInterval.minimumDefinedReplicates(level: intervalLevel)
            guard replicates == 0 || replicates >= least else {
                return "\(replicates) replicate\(replicates == 1 ? "" : "s") cannot give a \(FindingJudge.format(intervalLevel * 100))% percentile interval: it needs at least \(least) (1000 is usual; 0 turns the bootstrap off)"
            }
            return nil
        }
    }

    /// How a rule's value decides its verdict (`settings.verdict`).
    public enum VerdictMode: String, Sendable, Equatable, CaseIterable {
        /// Pass when the value meets the bound, fail when it does not (Fairlearn's,
        /// AIF360's and Aequitas' convention).
        case point
        /// Fail only when the whole simultaneous interval is on the failing side, pass only
        /// when it is wholly on the passing side; otherwise insufficient evidence.
        case interval
    }

    /// The model whose scores are explained.
    public struct ModelSpec: Sendable, Equatable {
        /// The model file (linear JSON, XGBoost JSON or LightGBM text), resolved against the profile's folder.
        public var path: String
        /// `tree`, `tree-interventional`, `linear` or `kernel`; `nil` chooses by model kind.
        public var explainer: String?
        /// Background data for interventional explainers.
        public var background: String?
        /// `baseline_levels`: per one-hot column, the level its encoding dropped
        /// (`get_dummies(drop_first=True)`), which the model reads as every indicator 0 by
        /// design (``FeatureSources/declaringBaselineLevels(_:field:)``).
        public var baselineLevels: [String: String]

        public init(path: String, explainer: String? = nil, background: String? = nil,
                    baselineLevels: [String: String] = [:]) {
            self.path = path
            self.explainer = explainer
            self.background = background
            self.baselineLevels = baselineLevels
        }
    }
}
