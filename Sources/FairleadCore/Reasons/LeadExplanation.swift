/// One lead's explanation for a sales rep: its score and the strongest factors raising
/// and lowering it, in plain words, with the lead's value, the typical value and the
/// contribution (in margin units, log-odds for a classifier; in probability points too
/// for a logit link, ``Link/pointsPerMarginUnit(margin:baseValue:)``).
///
/// `withheld` is for auditors: the sensitive or proxy features that would have been
/// among the top reasons but are never shown as one. The rep-facing lists skip them and
/// take the next factor instead, and the rep-facing outputs of ``ExplanationWriter``
/// never carry this list.
public struct LeadExplanation: Sendable, Equatable {
    /// A value as a reason shows it.
    public enum Value: Sendable, Equatable {
        /// A number.
        case number(Double)
        /// A category (its display name).
        case category(String)
        /// Missing (or, for a typical value, not known).
        case missing
    }

    /// One factor and its sentence.
    public struct Reason: Sendable, Equatable {
        /// The source column (one-hot features are grouped back into it).
        public let feature: String
        /// The sentence, e.g. "Pricing page views is 6, above the typical 1 — the strongest reason for this score".
        public let text: String
        /// The lead's value.
        public let value: Value
        /// The typical lead's value.
        public let typical: Value
        /// The feature's attribution: positive raises the score, negative lowers it.
        public let contribution: Double
        /// The contribution in probability points (logit link; nil otherwise): its share
        /// of the lead's move from the typical score, by the rescale rule.
        public let points: Double?

        /// A reason from its parts.
        public init(feature: String, text: String, value: Value, typical: Value, contribution: Double, points: Double? = nil) {
            self.feature = feature
            self.text = text
            self.value = value
            self.typical = typical
            self.contribution = contribution
            self.points = points
        }
    }

    /// The lead's id; for a lead sent without one, its position as text (see `index`).
    public let id: String
    /// For a lead sent without an id, its 0-based position among the records sent; nil
    /// for a lead with an id.
    public let index: Int?
    /// The model's margin (base value + Σ attributions).
    public let margin: Double
    /// The prediction: the link applied to the margin (a probability for a classifier).
    public let score: Double
    /// Up to N reasons raising the score, strongest first.
    public let raising: [Reason]
    /// Up to N reasons lowering the score, strongest first.
    public let lowering: [Reason]
    /// Sensitive or proxy features that were among the top N either way and are not
    /// shown (ordered by |contribution|, largest first); empty when none.
    public let withheld: [String]
    /// The source columns whose value for this lead is one the model has no feature for
    /// (``UnseenLevels``): read by the model as none of the levels it knows, and given as
    /// no reason, whatever their contribution; empty when none.
    public let unseen: [String]

    /// An explanation from its parts.
    public init(id: String, index: Int? = nil, margin: Double, score: Double, raising: [Reason], lowering: [Reason],
                withheld: [String], unseen: [String] = []) {
        self.id = id
        self.index = index
        self.margin = margin
        self.score = score
        self.raising = raising
        self.lowering = lowering
        self.withheld = withheld
        self.unseen = unseen
    }
}
