/// The `privacy` section of a published report: the policy applied, and what it changed.
/// The full report (what `fairlead audit` writes without `--publish`) has none.
///
/// A **cell** is a count of rows of one group under one decision, and every number
/// computed from it: the group's `count`, `weight` and `share`, its confusion cells
/// (true and false positives and negatives; without labels, selected and not selected)
/// and every rate whose numerator or denominator holds them (value, interval,
/// numerator, denominator), with the disparities and fairness values computed from
/// those rates. A group's score sum and histogram follow its count.
public struct PrivacyReport: Codable, Sendable, Equatable {
    /// `suppression` (small cells withheld) or `differential_privacy` (noisy counts).
    public var method: String
    /// The policy as applied.
    public var policy: Policy
    /// The cells withheld, with why; absent in a differentially private release.
    public var suppressed: [SuppressedCell]?
    /// Whole parts of the report that a published view does not carry, with why.
    public var withheld: [WithheldPart]
    /// The mechanism, its scale and the sensitivities; only in a differentially private release.
    public var release: Release?
    /// What the reader should know: the verdicts rest on the full data, and so on.
    public var notes: [String]
    /// Per attribute (and intersection) of a suppressed view, the group names published as
    /// placeholders (`withheld group 1`, …), with why; absent when none is, and in
    /// differentially private releases (which name declared groups only).
    public var withheldGroupNames: [WithheldGroupNames]?

    public init(method: String, policy: Policy, suppressed: [SuppressedCell]?, withheld: [WithheldPart],
                release: Release?, notes: [String]) {
        self.method = method
        self.policy = policy
        self.suppressed = suppressed
        self.withheld = withheld
        self.release = release
        self.notes = notes
    }

    /// `privacy:` as applied.
    public struct Policy: Codable, Sendable, Equatable {
        public var minCell: Int?
        public var epsilon: Double?
        public var budget: Double?
        /// A release's `group_names`: `declared` or `from_data` (``GroupNameSource``);
        /// absent in a suppressed view and in releases made before it existed.
        public var groupNames: String?
        public init(minCell: Int?, epsilon: Double?, budget: Double?, groupNames: String? = nil) {
            self.minCell = minCell
            self.epsilon = epsilon
            self.budget = budget
            self.groupNames = groupNames
        }
    }

    /// One withheld count: where, which cell, and why.
    public struct SuppressedCell: Codable, Sendable, Equatable, Comparable {
        /// The decision; absent for a count all decisions share (``cell`` `rows`).
        public var decision: String
        public var attribute: String
        /// The group; absent for the attribute's overall row.
        public var group: String?
        /// `count`, or a confusion cell: `true_positives`, `false_positives`,
        /// `false_negatives`, `true_negatives`, `selected`, `not_selected`.
        public var cell: String
        /// `below min_cell` (the count is 1 to min_cell − 1) or `complementary` (withheld so
        /// that a suppressed count cannot be worked out from totals by subtraction).
        public var reason: String

        public init(decision: String, attribute: String, group: String?, cell: String, reason: String) {
            self.decision = decision
            self.attribute = attribute
            self.group = group
            self.cell = cell
            self.reason = reason
        }

        public static func < (lhs: SuppressedCell, rhs: SuppressedCell) -> Bool {
            (lhs.decision, lhs.attribute, lhs.group ?? "", lhs.cell) < (rhs.decision, rhs.attribute, rhs.group ?? "", rhs.cell)
        }
    }

    /// The group names of one attribute that a suppressed view replaces by placeholders:
    /// values fewer than `min_cell` rows hold that the profile does not declare, or, in an
    /// intersection, groups one of whose parts is such a value.
    public struct WithheldGroupNames: Codable, Sendable, Equatable {
        public var attribute: String
        /// How many group names are replaced.
        public var count: Int
        /// The names published instead, in order (`withheld group 1`, …).
        public var placeholders: [String]
        public var reason: String
        public init(attribute: String, count: Int, placeholders: [String], reason: String) {
            self.attribute = attribute
            self.count = count
            self.placeholders = placeholders
            self.reason = reason
        }
    }

    /// A part of the report left out, by its path (`score_distribution`,
    /// `queue.ethnicity.calibration_bins`, …).
    public struct WithheldPart: Codable, Sendable, Equatable {
        public var path: String
        public var reason: String
        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    /// A differentially private release's mechanism and accounting.
    public struct Release: Codable, Sendable, Equatable {
        /// `discrete_laplace`.
        public var mechanism: String
        /// ε of this release, the sum over its tables (basic composition).
        public var epsilon: Double
        /// b of the discrete Laplace noise added to every cell: b = Δ/ε with Δ the sum of
        /// the tables' sensitivities.
        public var scale: Double
        /// The noise's standard deviation, √(2r)/(1 − r) with r = exp(−1/b).
        public var noiseStandardDeviation: Double
        /// Per decision and attribute: the L1 sensitivity of its table of cells under
        /// adding or removing one row (1 for a threshold or a prediction column, 3 for a
        /// top-k decision) and the ε it spends (sensitivity ÷ scale).
        public var tables: [Table]
        /// How rates were made from the noisy cells.
        public var postProcessing: String
        /// How the intervals of rates account for the noise.
        public var intervalMethod: String
        /// The ledger: ε spent on this data set before this release, and the budget.
        public var ledger: Ledger?
        /// Per attribute (and intersection), the groups released, in order, and whether the
        /// profile declares them; absent in releases made before groups were declared.
        public var groups: [GroupList]?

        public init(mechanism: String, epsilon: Double, scale: Double, noiseStandardDeviation: Double, tables: [Table],
                    postProcessing: String, intervalMethod: String, ledger: Ledger? = nil, groups: [GroupList]? = nil) {
            self.mechanism = mechanism
            self.epsilon = epsilon
            self.scale = scale
            self.noiseStandardDeviation = noiseStandardDeviation
            self.tables = tables
            self.postProcessing = postProcessing
            self.intervalMethod = intervalMethod
            self.ledger = ledger
            self.groups = groups
        }

        /// The groups an attribute's tables name: declared ones (whatever the data holds,
        /// a group without rows too), or, under `privacy.group_names: from_data`, the
        /// data's, which ε does not cover.
        public struct GroupList: Codable, Sendable, Equatable {
            public var attribute: String
            /// In the declared order (the data's groups: in code-point order).
            public var names: [String]
            /// `true`: the profile declares them; `false`: they come from the data.
            public var declared: Bool
            public init(attribute: String, names: [String], declared: Bool) {
                self.attribute = attribute
                self.names = names
                self.declared = declared
            }
        }

        public struct Table: Codable, Sendable, Equatable {
            public var decision: String
            public var attribute: String
            public var sensitivity: Int
            public var epsilon: Double
            public init(decision: String, attribute: String, sensitivity: Int, epsilon: Double) {
                self.decision = decision
                self.attribute = attribute
                self.sensitivity = sensitivity
                self.epsilon = epsilon
            }
        }

        /// The budget of the data set at the time of the release.
        public struct Ledger: Codable, Sendable, Equatable {
            /// The data set's SHA-256 (``AuditReport/DataInfo/datasetSHA256``), the ledger's key.
            public var sha256: String
            public var spentBefore: Double
            public var spentAfter: Double
            public var budget: Double
            public init(sha256: String, spentBefore: Double, spentAfter: Double, budget: Double) {
                self.sha256 = sha256
                self.spentBefore = spentBefore
                self.spentAfter = spentAfter
                self.budget = budget
            }
        }
    }
}
