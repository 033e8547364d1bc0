/// The in-memory columns an audit reads, one entry per row, as a table reader produces them.
///
/// - `scores`: the model's score per row; NaN means missing.
/// - `labels`: the observed outcome, 0 or 1 or missing, a byte per row (``LabelColumn``);
///   `nil` for a label-free audit (selection rates and score means still work, label-based
///   metrics are undefined).
/// - `weights`: optional sample weights from 0 to ``largestWeight`` (1 for every row when `nil`).
/// - `predictions`: an optional given 0/1 decision column for ``DecisionRule/givenPredictions``.
/// - `attributes`: the sensitive attributes.
public struct AuditColumns: Sendable {
    /// Model scores; NaN = missing.
    public var scores: [Double]
    /// Observed 0/1 outcomes, a byte per row; `nil` when the audit has no labels.
    public var labels: LabelColumn?
    /// Sample weights; `nil` means every row weighs 1.
    public var weights: [Double]?

    /// The largest weight a row may have: 10⁵⁰. Far beyond any survey or sampling weight,
    /// and low enough that no sum the metrics form — Σw² over 2⁵³ rows, products of two
    /// groups' sums, their squares — can overflow to infinity (a weight of 10²⁰⁰ made an
    /// xAUC 0 × ∞ = NaN, which no report can hold).
    public static let largestWeight = 1e50

    /// The largest weight, and the power of two to multiply every weight by (as its
    /// exponent) so that the sums the metrics form stay in a double's range: `nil` when
    /// they do as read. Every metric is
    /// a ratio of weight sums (rates, shares, mean scores, Kish's effective rows
    /// (Σw)²/Σw²), so a common factor changes none; a power of two changes no weight's
    /// digits either (``scaled(_:byPowerOfTwo:)``).
    ///
    /// Two cases need it. Weights below 2⁻²⁵⁶ (about 8.6e-78): their squares fall under
    /// 2⁻⁵¹², towards the subnormal doubles, and at 1e-320 to 0, so Σw² and with it the
    /// effective rows would be 0. And weights above 2 so large that Σw·score could
    /// overflow: a weight of 10⁵⁰ times a score of 10²⁹⁰. Either way the largest weight
    /// is brought to [1, 2).
    public static func weightScale(weights: [Double], scores: [Double]) -> (largest: Double, exponent: Int)? {
        var largest = 0.0
        for weight in weights where weight > largest { largest = weight }
        guard largest > 0, largest.isFinite else { return nil }
        if largest < 0x1p-256 { return (largest, -Int(largest.exponent)) }
        guard largest >= 2 else { return nil }
        var largestScore = 0.0
        for score in scores where score.isFinite && abs(score) > largestScore { largestScore = abs(score) }
        // Σw·score over every row stays finite with room to spare.
        let scoreSum = largest * largestScore * Double(max(1, weights.count))
        return scoreSum < 0x1p1000 ? nil : (largest, -Int(largest.exponent))
    }

    /// The first row whose weight is positive but more than 2⁵¹¹ (about 6.7e153) times
    /// smaller than the largest, or `nil`. Scaled so that the largest is in [1, 2)
    /// (``weightScale(weights:scores:)``), its square falls under the normal doubles
    /// and rounds away, so Σw² of its group — and that group's effective rows (Σw)²/Σw²
    /// — would be lost: a group whose every weight is 1e-200 beside groups of weight 1
    /// counted 0 effective rows. One scale serves every group, so such a spread has no
    /// exact audit; it is refused.
    public static func firstUnderflowingWeight(_ weights: [Double]) -> Int? {
        // Among valid weights: one above ``largestWeight`` is refused as such, by its row.
        var largest = 0.0
        for weight in weights where weight > largest && isValidWeight(weight) { largest = weight }
        guard largest > 0, largest.isFinite else { return nil }
        let smallest = Double(sign: .plus, exponent: largest.exponent - 511, significand: 1)
        return weights.firstIndex { $0 > 0 && $0 < smallest }
    }

    /// `weights`, each multiplied by 2^`exponent` exactly (a subnormal weight becomes a
    /// normal one without rounding).
    public static func scaled(_ weights: [Double], byPowerOfTwo exponent: Int) -> [Double] {
        weights.map { Double(sign: .plus, exponent: exponent, significand: $0) }
    }

    /// Whether `weight` is a row's weight: a number from 0 to ``largestWeight`` (not NaN).
    @inline(__always)
    public static func isValidWeight(_ weight: Double) -> Bool {
        weight >= 0 && weight <= largestWeight
    }
    /// A given 0/1 prediction column; NaN = missing.
    public var predictions: [Double]?
    /// The sensitive attributes, each with one code per row.
    public var attributes: [SensitiveAttribute]

    /// Columns for an audit; every column must have `scores.count` entries. Labels are
    /// 0, 1 or NaN for missing (``LabelColumn/init(_:)``).
    public init(scores: [Double], labels: [Double]? = nil, weights: [Double]? = nil,
                predictions: [Double]? = nil, attributes: [SensitiveAttribute]) {
        self.init(scores: scores, labelColumn: labels.map { LabelColumn($0) }, weights: weights,
                  predictions: predictions, attributes: attributes)
    }

    /// Columns for an audit with labels already a byte per row (no 8-byte copy of them);
    /// every column must have `scores.count` entries.
    public init(scores: [Double], labelColumn labels: LabelColumn?, weights: [Double]? = nil,
                predictions: [Double]? = nil, attributes: [SensitiveAttribute]) {
        let count = scores.count
        precondition(labels.map { $0.count == count } ?? true, "labels and scores differ in length")
        precondition(weights.map { $0.count == count } ?? true, "weights and scores differ in length")
        precondition(predictions.map { $0.count == count } ?? true, "predictions and scores differ in length")
        precondition(attributes.allSatisfy { $0.codes.count == count }, "an attribute and scores differ in length")
        self.scores = scores
        self.labels = labels
        self.weights = weights
        self.predictions = predictions
        self.attributes = attributes
    }

    /// The sensitive attributes of `columns` and no other column (`scores` empty): what a
    /// ranking keeps of the columns it holds in rank order.
    init(attributesOf columns: AuditColumns) {
        self.scores = []
        self.labels = nil
        self.weights = nil
        self.predictions = nil
        self.attributes = columns.attributes
    }

    /// The number of rows.
    public var rowCount: Int { scores.count }

    /// The attribute with this name, if the columns hold one.
    public func attribute(named name: String) -> SensitiveAttribute? {
        attributes.first { $0.name == name }
    }
}
