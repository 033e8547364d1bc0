import Foundation

/// How a model's margin (its raw output) maps to the prediction users see.
///
/// Attributions are computed in margin space, where the models are additive; the link
/// only turns a margin into a probability (or leaves a regression output as it is).
public enum Link: String, Sendable, Codable, CaseIterable {
    /// The prediction is the margin itself (regression: `reg:squarederror`, LightGBM `regression`).
    case identity
    /// The prediction is the logistic sigmoid of the margin, 1 / (1 + e^(−margin)); the
    /// margin is the log-odds (`binary:logistic`, `reg:logistic`, LightGBM `binary`).
    case logit

    /// The prediction for one margin: the margin (identity) or 1 / (1 + e^(−margin)) (logit).
    @inlinable
    public func prediction(fromMargin margin: Double) -> Double {
        switch self {
        case .identity: margin
        case .logit: 1 / (1 + exp(-margin))
        }
    }
}
