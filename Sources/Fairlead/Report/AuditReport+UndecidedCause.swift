import FairleadCore

extension AuditReport {
    /// Why a finding is `insufficient_evidence`, as ``FindingJudge`` decided it: the
    /// machine-readable twin of the words in ``Finding/reason``, so that a rendering
    /// groups undecided findings by cause without reading the reason back.
    ///
    /// Written as `undecided_cause` on an insufficient-evidence finding only
    /// (docs/report-schema.md); a report written before the field has none, and its
    /// undecided findings render under a generic cause.
    public enum UndecidedCause: String, Codable, Sendable, Equatable, CaseIterable {
        /// A group (or the other groups together, or all rows) under the minimum group
        /// size, counted on the metric's own denominator (effective rows when weighted).
        case tooFewRows = "too_few_rows"
        /// A between-groups value with its small groups set aside: the rule holds among
        /// the groups large enough (or, under `verdict: interval`, their interval does not
        /// settle it), and the small groups could change the outcome.
        case smallGroupsSetAside = "small_groups_set_aside"
        /// Fewer than two groups have rows or a value: nothing to compare.
        case nothingToCompare = "nothing_to_compare"
        /// The metric needs labels and the data has no label column.
        case noLabels = "no_labels"
        /// The decision (or top-k cutoff) selects every row used or none: it compares no groups.
        case selectsAllOrNone = "selects_all_or_none"
        /// The top k cuts through a run of tied scores and takes some of them in row
        /// order: which rows are selected follows the rows' order, not their scores.
        case tiedAtCutoff = "tied_at_cutoff"
        /// The metric does not apply to this audit: calibration on scores that are not
        /// probabilities, individual fairness without a score or a model, nothing to flip.
        case notApplicable = "not_applicable"
        /// The value is undefined (e.g. a group with no actual positives); the finding's
        /// value is absent.
        case valueUndefined = "value_undefined"
        /// From a score grid (an audit from statistics): the grid's bound on the row-level
        /// value straddles the rule's bound, or there is none.
        case scoreGrid = "score_grid"
        /// `settings.verdict: interval` and the value has no interval to judge: its metric
        /// carries none, or its bootstrap is turned off (`settings.bootstrap: 0`).
        case noInterval = "no_interval"
        /// `settings.verdict: interval` and the simultaneous interval straddles the bound.
        case intervalStraddles = "interval_straddles"
        /// A failing value that sampling noise could give (drift checks, which carry no
        /// cause in the report; no rule finding has it).
        case noise
        /// A published view withholds what the verdict rests on: a suppressed value, or any
        /// finding of a differentially private release (docs/privacy.md).
        case withheld

        /// Reads a cause, refusing an unknown one by name with the causes known.
        public init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let cause = Self(rawValue: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription:
                    "'\(MessageQuote.clipped(text))' is not a cause of an undecided finding (one of "
                    + Self.allCases.map(\.rawValue).joined(separator: ", ") + ")"))
            }
            self = cause
        }
    }
}
