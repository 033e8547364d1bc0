/// How a score becomes a decision (a lead is selected: worked, called, prioritized).
///
/// Every rule turns each row into a prediction ŷ ∈ {0, 1}; all metrics are computed on ŷ.
///
/// - `threshold(t)`: ŷ = 1 when score ≥ t.
/// - `topCount(k)` / `topFraction(f)`: ŷ = 1 for the k highest scores among rows that have
///   a score, with k = round(f × scored rows) (half away from zero) for a fraction. Ties
///   are broken deterministically: rows are ordered by score descending, then by row
///   index ascending, and the first k are selected. Rows with a missing label or a
///   missing sensitive value are ranked too (the decision is made before labels exist);
///   rows with a missing score are not.
/// - `givenPredictions`: ŷ is the audit's prediction column (0/1, NaN = missing).
public enum DecisionRule: Sendable, Hashable, CustomStringConvertible {
    /// Selects rows whose score is at least the threshold.
    case threshold(Double)
    /// Selects the k highest-scoring rows.
    case topCount(Int)
    /// Selects the highest-scoring fraction (0...1) of the scored rows.
    case topFraction(Double)
    /// Uses the prediction column of the audit as given.
    case givenPredictions

    /// Whether the rule reads the score column to decide.
    public var usesScores: Bool {
        switch self {
        case .threshold, .topCount, .topFraction: true
        case .givenPredictions: false
        }
    }

    /// A short human label, e.g. `score >= 0.5`, `top 100`, `top 10%`.
    public var description: String {
        switch self {
        case .threshold(let threshold): "score >= \(threshold)"
        case .topCount(let count): "top \(count)"
        case .topFraction(let fraction): "top \(fraction * 100)%"
        case .givenPredictions: "given predictions"
        }
    }
}
