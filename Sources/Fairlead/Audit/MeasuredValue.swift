import FairleadCore

/// One value a check is judged on, with what it rests on. The decision, lead-queue,
/// drift and proxy passes measure; ``FindingJudge`` alone turns a measured value and a
/// bound into a verdict.
struct MeasuredValue: Sendable {
    var decision: String
    var attribute: String
    var group: String?
    var value: Double?
    /// Why `value` is `nil` (an `UndefinedReason`'s raw value).
    var undefinedReason: String?
    /// Why `value` is `nil` in words, when they say more than `undefinedReason`: the group
    /// whose rows hold none of what the rate is a share of ("group 'b' has 40 rows but no
    /// actual positives (label 1), which true_positive_rate needs").
    var undefinedDetail: String?
    /// The interval the report shows, at the settings' level.
    var interval: [Double]?
    /// The simultaneous interval an interval-mode verdict rests on, and how it was made.
    var verdictInterval: [Double]?
    /// Why a value whose metric has an interval in the catalog has none here (its
    /// bootstrap turned off by `settings.bootstrap: 0`), and what would give it one; `nil`
    /// when it has one or its metric carries none.
    var intervalAbsence: (reason: String, remedy: String)?
    /// Why the value cannot decide the check (a group under the minimum size, no labels,
    /// a decision that selects every row or none); `nil` when it can.
    var shortfall: Shortfall?
    /// For a between-groups value whose small groups were set aside: the value over the
    /// groups large enough, and the names set aside. A failure among them fails the check;
    /// a pass among them leaves it undecided.
    var amongSufficient: (value: Double, setAside: String, minimum: Int, interval: [Double]?)?
    /// For a value of a top-k decision whose cut splits tied scores: every value the rule's
    /// value (over the groups large enough, when some were set aside) can take however the
    /// cut takes the tied rows (``TieBounds``), and the tie. A point verdict is decided
    /// only when the whole range decides it.
    var tieRange: (range: ClosedRange<Double>, tie: TieAtCutoff)?
    /// Why a failing value may be sampling noise (drift): it is then undecided.
    var noise: String?
    /// Why a failing value is allowed by the profile (a proxy in `allow_in_reasons`).
    var waiver: String?
    /// What would decide an undecided value, e.g. "about 120 rows in group 'b' would".
    var wouldDecide: String?
    /// The groups of `attribute` other than `group` that the words of `shortfall`,
    /// `amongSufficient` or `wouldDecide` name (a small reference group, the groups set
    /// aside, the one group with rows): set where those words are written, so that no
    /// reader has to find names in them.
    var namedGroups: [String] = []

    init(decision: String, attribute: String, group: String? = nil, value: Double?, undefinedReason: String? = nil,
         interval: [Double]? = nil) {
        self.decision = decision
        self.attribute = attribute
        self.group = group
        self.value = value
        self.undefinedReason = undefinedReason
        self.interval = interval
    }
}

extension MeasuredValue {
    /// Why a value cannot decide its check: the cause the report records and the words
    /// of the finding's reason.
    struct Shortfall: Sendable {
        var cause: AuditReport.UndecidedCause
        var reason: String

        init(_ cause: AuditReport.UndecidedCause, _ reason: String) {
            self.cause = cause
            self.reason = reason
        }
    }
}
