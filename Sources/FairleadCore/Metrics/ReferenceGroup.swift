/// The group others are compared to in signed disparities (AIF360's privileged group,
/// Aequitas' reference group).
public enum ReferenceGroup: Sendable, Hashable, CustomStringConvertible {
    /// A group named by its key, e.g. `["white"]` or `["male", "25-34"]`.
    case named(GroupKey)
    /// The group with the most rows (Aequitas' majority reference); the first in group
    /// order on a tie. Of the groups whose every value is known: never `unknown`, the rows
    /// whose attribute is missing, while a group of known members has rows
    /// (``largestIndex(counts:isKnown:)``).
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

extension ReferenceGroup {
    /// The group ``largest`` names among groups of `counts` rows: the most rows (the first
    /// of equals) among those with rows that `isKnown` — whose every value is known, none
    /// the group of missing values — else the most rows of all. A reference of unknown
    /// membership would judge every known group against rows that could be anyone's.
    /// `nil` when there is no group.
    public static func largestIndex(counts: [Int], isKnown: (Int) -> Bool) -> Int? {
        var best: Int?
        for index in counts.indices where counts[index] > 0 && isKnown(index) {
            if best.map({ counts[index] > counts[$0] }) ?? true { best = index }
        }
        return best ?? counts.max().flatMap { counts.firstIndex(of: $0) }
    }

    /// Whether `key` names rows whose every attribute is known: none of its values is
    /// ``MissingSensitivePolicy/unknownLabel``.
    public static func isKnown(_ key: GroupKey) -> Bool {
        !key.values.contains(MissingSensitivePolicy.unknownLabel)
    }
}
