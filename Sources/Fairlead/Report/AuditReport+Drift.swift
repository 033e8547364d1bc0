extension AuditReport {
    /// How this audit compares with a baseline audit (the profile's `drift:` section).
    ///
    /// `status` is `fail` when any finding is drift, `insufficient_evidence` when none is
    /// but some change could not be told from noise (or there was no baseline), `pass`
    /// otherwise. The audit's own `status` is the rules' verdict; `fairlead` exits 1
    /// when either is `fail`.
    public struct DriftReport: Codable, Sendable, Equatable {
        /// The drift verdict (see above).
        public var status: Verdict
        /// The audit compared with; `nil` when none was found (see `notes`).
        public var baseline: DriftBaselineInfo?
        /// The tolerances and test budget applied.
        public var settings: DriftSettings
        /// One per value compared, in a stable order: fairness values, group
        /// differences, score PSI, group shares.
        public var findings: [DriftFinding]
        /// What could not be compared, and why.
        public var notes: [String]

        public init(status: Verdict, baseline: DriftBaselineInfo?, settings: DriftSettings,
                    findings: [DriftFinding], notes: [String]) {
            self.status = status
            self.baseline = baseline
            self.settings = settings
            self.findings = findings
            self.notes = notes
        }
    }

    /// The baseline audit a drift check compared with.
    public struct DriftBaselineInfo: Codable, Sendable, Equatable {
        /// Its history entry, when it came from the history.
        public var entry: Int64?
        /// Its report file, when pinned to one.
        public var file: String?
        /// Its profile name and when it ran.
        public var profile: String
        public var generatedAt: String
        /// The time the baseline's data describes, when the history recorded one.
        public var asOf: String?
        /// Its rules' verdict.
        public var status: Verdict
        /// SHA-256 (hex) of its report JSON and of its data.
        public var reportSha256: String
        public var dataSha256: String

        public init(entry: Int64?, file: String?, profile: String, generatedAt: String, asOf: String?,
                    status: Verdict, reportSha256: String, dataSha256: String) {
            self.entry = entry
            self.file = file
            self.profile = profile
            self.generatedAt = generatedAt
            self.asOf = asOf
            self.status = status
            self.reportSha256 = reportSha256
            self.dataSha256 = dataSha256
        }
    }

    /// The tolerances a drift check applied.
    public struct DriftSettings: Codable, Sendable, Equatable {
        /// The profile's `tolerance`, `psi` and `share_shift`.
        public var tolerance: Double
        public var psi: Double
        public var shareShift: Double
        /// Score bins per group (from the baseline).
        public var bins: Int
        /// The chance that data which did not change reports no drift: 1 − confidence
        /// is shared by all the noise tests.
        public var confidence: Double
        /// The values tested for noise; each test runs at (1 − confidence) / tests (Bonferroni).
        public var tests: Int
        /// The fairness values and group metrics compared.
        public var fairness: [String]
        /// The group metrics whose per-group differences were compared.
        public var groupMetrics: [String]

        public init(tolerance: Double, psi: Double, shareShift: Double, bins: Int, confidence: Double, tests: Int,
                    fairness: [String], groupMetrics: [String]) {
            self.tolerance = tolerance
            self.psi = psi
            self.shareShift = shareShift
            self.bins = bins
            self.confidence = confidence
            self.tests = tests
            self.fairness = fairness
            self.groupMetrics = groupMetrics
        }
    }

    /// What a drift finding compares.
    public enum DriftKind: String, Codable, Sendable, Equatable {
        /// A fairness value of an attribute under a decision (`fairness.<name>`).
        case fairness
        /// A group's difference to the reference group of a metric
        /// (`disparities.<metric>.difference_to_reference.<group>`).
        case groupDifference = "group_difference"
        /// The population stability index of a group's scores.
        case psi
        /// A group's share of the scored rows.
        case share
    }

    /// One value compared with the baseline.
    public struct DriftFinding: Codable, Sendable, Equatable {
        /// What is compared.
        public var kind: DriftKind
        /// The fairness value or group metric; `psi` or `share` for those kinds.
        public var metric: String
        /// The decision rule, for fairness values and group differences.
        public var decision: String?
        /// The attribute, and the group for group-level kinds.
        public var attribute: String
        public var group: String?
        /// The value in the baseline and now (`nil` for PSI).
        public var baseline: Double?
        public var current: Double?
        /// current − baseline; the PSI itself for `psi`.
        public var change: Double?
        /// The simultaneous interval of `change` (MOVER from the two estimates'
        /// intervals, Newcombe's for shares, widened to share the settings' error budget
        /// with the other tests); `nil` for PSI and values without intervals.
        public var interval: [Double]?
        /// For PSI: the p-value of the chi-square approximation.
        public var pValue: Double?
        /// For a group's value (`group_difference`, `psi`, `share`): the group's rows in the
        /// baseline — its count in the baseline's table, its scored rows for `psi` and
        /// `share` — and 0 when the baseline had none; absent for fairness values and in
        /// reports written before it. A published view reads it (the name of a small group
        /// that only the baseline held is withheld) and does not show it.
        public var baselineCount: Int?
        /// The tolerance applied.
        public var tolerance: Double
        public var verdict: Verdict
        /// Why the verdict, in words.
        public var reason: String

        public init(kind: DriftKind, metric: String, decision: String? = nil, attribute: String, group: String? = nil,
                    baseline: Double?, current: Double?, change: Double?, interval: [Double]? = nil,
                    pValue: Double? = nil, baselineCount: Int? = nil, tolerance: Double, verdict: Verdict, reason: String) {
            self.kind = kind
            self.metric = metric
            self.decision = decision
            self.attribute = attribute
            self.group = group
            self.baseline = baseline
            self.current = current
            self.change = change
            self.interval = interval
            self.pValue = pValue
            self.baselineCount = baselineCount
            self.tolerance = tolerance
            self.verdict = verdict
            self.reason = reason
        }
    }
}
