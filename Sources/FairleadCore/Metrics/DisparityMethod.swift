/// How ``MetricFrame/difference(_:method:)`` and ``MetricFrame/ratio(_:method:)`` reduce the
/// per-group values to one number (Fairlearn's `method=` argument, same semantics).
public enum DisparityMethod: String, Sendable, Hashable, CaseIterable {
    /// Between the groups: difference = max − min, ratio = min ÷ max.
    case betweenGroups = "between_groups"
    /// Each group against all rows: difference = max |g − overall|, ratio = min over groups
    /// of g ÷ overall, each ratio above 1 inverted (so it always lies in [0, 1]).
    case toOverall = "to_overall"
}
