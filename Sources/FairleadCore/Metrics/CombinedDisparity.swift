/// A disparity that combines the true and false positive rates' disparities, whose
/// bootstrap interval ``BootstrapIntervals`` holds beside the single metrics' ones: each
/// replicate's combined value is computed from that replicate's two disparities.
public enum CombinedDisparity: Hashable, Sendable {
    /// max(TPR difference, FPR difference) (Fairlearn `equalized_odds_difference`,
    /// `agg="worst_case"`).
    case equalizedOddsDifference(DisparityMethod)
    /// min(TPR ratio, FPR ratio) (Fairlearn `equalized_odds_ratio`, `agg="worst_case"`).
    case equalizedOddsRatio(DisparityMethod)
    /// ½[(FPR_g − FPR_ref) + (TPR_g − TPR_ref)] (AIF360 `average_odds_difference`).
    case averageOddsDifference(GroupKey)
    /// ½[|FPR_g − FPR_ref| + |TPR_g − TPR_ref|] (AIF360 `average_abs_odds_difference`).
    case averageAbsoluteOddsDifference(GroupKey)
}
