/// The sentences reasons are written in: a default per kind of feature (numeric,
/// categorical, missing value), which a profile may replace, and per-feature overrides
/// (a label, own sentences, display names of values).
///
/// Defaults:
///
/// | kind | raises / lowers the score |
/// |---|---|
/// | numeric | `{Label} is {value}, {comparison} the typical {typical}` |
/// | categorical | `{Label} is {value}` |
/// | missing value | `{Label} is not known` |
///
/// A feature's label defaults to its column name with underscores as spaces
/// (`pricing_page_views` → "pricing page views"). The strongest reason each way gets
/// " — the strongest reason for this score" / " — the strongest reason against it"
/// appended (both replaceable; empty turns them off).
///
///     var templates = ReasonTemplates.standard
///     templates.features["pricing_page_views"] = .init(
///         raises: try ReasonTemplate("Visited the pricing page {value} times"))
public struct ReasonTemplates: Sendable, Equatable {
    /// The sentences for a lead whose value raises, or lowers, its score.
    public struct Phrasing: Sendable, Equatable {
        /// When the feature raises the score.
        public var raises: ReasonTemplate
        /// When the feature lowers the score.
        public var lowers: ReasonTemplate

        /// Sentences for both directions.
        public init(raises: ReasonTemplate, lowers: ReasonTemplate) {
            self.raises = raises
            self.lowers = lowers
        }
    }

    /// One feature's own wording; every field left nil falls back to the defaults.
    public struct FeatureWording: Sendable, Equatable {
        /// The feature's name in sentences.
        public var label: String?
        /// The sentence when it raises the score.
        public var raises: ReasonTemplate?
        /// The sentence when it lowers the score.
        public var lowers: ReasonTemplate?
        /// The sentence when the lead's value is missing.
        public var missing: ReasonTemplate?
        /// Display names of categorical values, e.g. `web_form: "a web form"`.
        public var values: [String: String]

        /// A wording; give only what differs from the defaults.
        public init(label: String? = nil, raises: ReasonTemplate? = nil, lowers: ReasonTemplate? = nil,
                    missing: ReasonTemplate? = nil, values: [String: String] = [:]) {
            self.label = label
            self.raises = raises
            self.lowers = lowers
            self.missing = missing
            self.values = values
        }
    }

    /// The sentences of numeric features.
    public var numeric: Phrasing
    /// The sentences of categorical features.
    public var categorical: Phrasing
    /// The sentence when the lead's value is missing (either direction).
    public var missing: ReasonTemplate
    /// Appended (after " — ") to the strongest reason raising the score.
    public var strongestFor: String
    /// Appended (after " — ") to the strongest reason lowering the score.
    public var strongestAgainst: String
    /// Per source column: its own wording.
    public var features: [String: FeatureWording]

    /// Templates from their parts.
    public init(numeric: Phrasing, categorical: Phrasing, missing: ReasonTemplate, strongestFor: String,
                strongestAgainst: String, features: [String: FeatureWording] = [:]) {
        self.numeric = numeric
        self.categorical = categorical
        self.missing = missing
        self.strongestFor = strongestFor
        self.strongestAgainst = strongestAgainst
        self.features = features
    }

    /// The defaults in the table above.
    public static let standard: ReasonTemplates = {
        // The default templates are constants known to parse.
        func template(_ text: String) -> ReasonTemplate {
            guard let parsed = try? ReasonTemplate(text) else { preconditionFailure("default template \(text) does not parse") }
            return parsed
        }
        let numeric = template("{Label} is {value}, {comparison} the typical {typical}")
        let categorical = template("{Label} is {value}")
        return ReasonTemplates(numeric: Phrasing(raises: numeric, lowers: numeric),
                               categorical: Phrasing(raises: categorical, lowers: categorical),
                               missing: template("{Label} is not known"),
                               strongestFor: "the strongest reason for this score",
                               strongestAgainst: "the strongest reason against it")
    }()

    /// The sentence of a numeric reason whose value and the typical value read alike —
    /// equal, or equal at six decimals — when its own sentence compares them
    /// (`{comparison}`) and stops making sense without it
    /// (``ReasonTemplate/withoutComparison``): "Pricing page views is 1", never "is 1,
    /// equal to the typical 1" beside an effect that is not zero (an attribution is
    /// measured from the average prediction, not from the typical value).
    public static let withoutComparison: ReasonTemplate = {
        guard let parsed = try? ReasonTemplate("{Label} is {value}") else { preconditionFailure("the template parses") }
        return parsed
    }()

    /// The label of source `name`: its wording's, or the name with underscores as spaces.
    public func label(of name: String) -> String {
        features[name]?.label ?? name.replacingOccurrences(of: "_", with: " ")
    }
}
