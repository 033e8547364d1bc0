/// How equalized odds combine the true positive rate and false positive rate disparities
/// (Fairlearn's `agg=` argument).
public enum OddsAggregation: String, Sendable, Hashable, CaseIterable {
    /// The worse of the two: the larger difference, or the smaller ratio.
    case worstCase = "worst_case"
    /// The mean of the two.
    case mean
}
