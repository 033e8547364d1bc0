import FairleadCore

/// What the catalog knows of a metric: the one place its properties are declared.
/// Rule parsing, validation, report keys, renderings, the library's accessors and the
/// catalog table of docs/metrics.md derive from it.
public struct MetricDefinition: Sendable {
    /// What kind of number it is, and what judges it.
    public enum Family: String, Sendable, CaseIterable {
        /// A rate or count of one group under a decision (`selection_rate`).
        case groupRate = "group rate"
        /// A comparison of groups under a decision (`disparate_impact`, `equalized_odds_difference`).
        case disparity
        /// Inequality of individual benefits over all rows (`theil_index`).
        case inequality
        /// The lead queue: ranking, calibration, top-k shares and exposure (`auc`, `skew_at_k`).
        case queue
        /// Whether similar leads are decided alike: over every lead of a decision, on the
        /// model's features (`consistency`, `counterfactual_flip_rate`).
        case individual
        /// Change against a baseline audit; judged by the profile's `drift:` tolerances.
        case drift
        /// How well a model feature stands in for a sensitive attribute; judged by
        /// `explanations.proxy_thresholds`.
        case explanation
    }

    /// How many values an audit has: one per group, or one per attribute (and decision).
    public enum Scope: String, Sendable {
        case perGroup = "per group"
        case perAttribute = "per attribute"
        case perFeature = "per feature"
        case perDecision = "per decision"
    }

    /// Which values are better, for renderings and for the threshold sweep.
    public enum Direction: String, Sendable {
        case higherIsBetter = "higher is better"
        case lowerIsBetter = "lower is better"
        case closerToOneIsFairer = "1 is parity"
        case closerToZeroIsFairer = "0 is parity"
        case descriptive = "descriptive"
    }

    /// What the data must have for the metric to be defined.
    public struct Needs: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// A label column (observed outcomes).
        public static let labels = Needs(rawValue: 1)
        /// Scores that are probabilities (score range within [0, 1]).
        public static let probabilities = Needs(rawValue: 2)
        /// A top-k decision (the metric is measured at its cutoff).
        public static let topKCutoff = Needs(rawValue: 4)
        /// A baseline audit.
        public static let baseline = Needs(rawValue: 8)
        /// A model file.
        public static let model = Needs(rawValue: 16)
    }

    /// The interval the report gives for each value.
    public enum Intervals: String, Sendable {
        case none = "—"
        /// Wilson score interval of a proportion (Kish effective size when weighted).
        case wilson = "Wilson"
        /// Percentile bootstrap over the group statistics (`settings.bootstrap` replicates).
        case bootstrap = "bootstrap"
        /// MOVER interval of a change, widened for the number of tests (drift).
        case mover = "MOVER"
    }

    /// Where the value sits in the JSON report.
    public enum ReportLocation: Sendable, Equatable {
        /// `decisions.D.attributes.A.groups.G.metrics.NAME`
        case groupMetrics
        /// `decisions.D.attributes.A.disparities.COMPONENT.(ratio|difference)_to_reference.G`; the
        /// worst group's value also at `decisions.D.attributes.A.fairness.NAME`.
        case toReference(GroupMetric, ratio: Bool)
        /// `decisions.D.attributes.A.to_reference.NAME.G`; the worst group's value also at
        /// `decisions.D.attributes.A.fairness.NAME`.
        case toReferenceByGroup
        /// `decisions.D.attributes.A.fairness.NAME`
        case fairness
        /// `queue.A.groups.G.NAME`
        case queueGroups
        /// `queue.A.fairness.NAME`
        case queueFairness
        /// `queue.A.top_k.D.groups.G.NAME`
        case topKGroups
        /// `queue.A.top_k.D.metrics.NAME`
        case topKMetrics
        /// `drift.findings[]` whose `kind` is this metric's.
        case driftFindings
        /// `explanations.proxies.measures[]` and `explanations.findings[]`.
        case proxies
        /// `individual_fairness.D.NAME`
        case individualFairness
        /// `individual_fairness.D.counterfactual.F.NAME` (F a sensitive or proxy feature)
        case counterfactual

        /// The path, written as docs/report-schema.md writes paths.
        public func path(_ name: String) -> String {
            switch self {
            case .groupMetrics: return "decisions.D.attributes.A.groups.G.metrics.\(name)"
            case .toReference(let component, let ratio):
                return "decisions.D.attributes.A.disparities.\(component.rawValue).\(ratio ? "ratio" : "difference")_to_reference.G (worst: …fairness.\(name))"
            case .toReferenceByGroup: return "decisions.D.attributes.A.to_reference.\(name).G (worst: …fairness.\(name))"
            case .fairness: return "decisions.D.attributes.A.fairness.\(name)"
            case .queueGroups: return "queue.A.groups.G.\(name)"
            case .queueFairness: return "queue.A.fairness.\(name)"
            case .topKGroups: return "queue.A.top_k.D.groups.G.\(name)"
            case .topKMetrics: return "queue.A.top_k.D.metrics.\(name)"
            case .driftFindings: return "drift.findings[].metric = \(name)"
            case .proxies: return "explanations.proxies, explanations.findings[].measure"
            case .individualFairness: return "individual_fairness.D.\(name)"
            case .counterfactual: return "individual_fairness.D.counterfactual.F.\(name)"
            }
        }
    }

    public var family: Family
    public var scope: Scope
    public var needs: Needs
    /// The values the metric can take; `nil` bounds are unbounded.
    public var lowest: Double?
    public var highest: Double?
    public var direction: Direction
    public var intervals: Intervals
    public var location: ReportLocation
    /// The column heading in the terminal and Markdown group tables, for the metrics
    /// shown there.
    public var heading: String?
    /// The formula, in the notation of docs/metrics.md.
    public var formula: String
    /// Whose convention it follows.
    public var anchor: String
    /// What the number says, in plain words for a reader who is not a statistician
    /// (the HTML report prints it beside every chart and table of the metric).
    public var plainWords: String
    /// For disparities: the group rates compared and how.
    var components: [GroupMetric]
    var comparison: Comparison?

    /// How a disparity compares its components.
    enum Comparison: Sendable { case differenceBetweenGroups, ratioBetweenGroups, versusReference }

    /// Whether a profile rule may check it (drift and proxy values have their own
    /// thresholds).
    public var isRuleable: Bool { family != .drift && family != .explanation }

    /// The range as text, e.g. `[0, 1]` or `[0, ∞)`.
    public var rangeText: String {
        let low = lowest.map(Self.compact) ?? "−∞"
        let high = highest.map(Self.compact) ?? "∞"
        return "\(lowest == nil ? "(" : "[")\(low), \(high)\(highest == nil ? ")" : "]")"
    }

    static func compact(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
