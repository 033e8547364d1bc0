/// The group others are compared to in signed disparities (AIF360's privileged group,
/// Aequitas' reference group).
public enum ReferenceGroup: Sendable, Hashable, CustomStringConvertible {
    /// A group named by its key, e.g. `["white"]` or `["male", "25-34"]`.
    case named(GroupKey)
    /// The group with the most rows (Aequitas' majority reference); the first in group
    /// order on a tie.
    case largest
    /// The group with the best defined value of the metric compared — the highest, or the
    /// lowest for error rates (see ``GroupMetric/higherIsBetter``); the first on a tie.
    case bestValued

    /// `group "…"`, `largest group`, `best-valued group`.
    public var description: String {
        switch self {
        case .named(let key): "group \"\(key)\""
        case .largest: "largest group"
        case .bestValued: "best-valued group"
        }
    }
}
