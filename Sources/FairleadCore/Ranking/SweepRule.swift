/// A fairness rule checked at every threshold of a ``ThresholdSweep``, e.g.
/// `disparate_impact >= 0.8` as
///
///     SweepRule(rate: .selectionRate, statistic: .ratioToReference(.named(["male"])),
///               comparison: .atLeast, bound: 0.8)
///
/// Statistics (undefined group values are skipped, as the group metrics engine's
/// reductions skip them):
///
/// - `differenceBetweenGroups`: max − min of the groups' rates (Fairlearn
///   `between_groups`, e.g. `demographic_parity_difference <= 0.1`);
/// - `ratioBetweenGroups`: min ÷ max (e.g. `demographic_parity_ratio >= 0.8`);
/// - `differenceToReference(r)`: each group's rate − the reference group's, signed
///   (AIF360, e.g. `statistical_parity_difference >= -0.1`); the rule must hold for every
///   other group with a defined rate;
/// - `ratioToReference(r)`: each group's rate ÷ the reference group's (AIF360
///   `disparate_impact`), likewise for every other group.
///
/// The reference is a named group, the group with the most counted rows, or the
/// best-valued group at each threshold (the highest rate; the lowest false positive rate).
/// At a threshold where the statistic is undefined — no defined group, a reference rate of
/// 0 under a ratio, an undefined reference rate — the rule does not hold.
public struct SweepRule: Sendable, Hashable, CustomStringConvertible {
    /// What the rule compares.
    public enum Statistic: Sendable, Hashable {
        /// max − min over groups.
        case differenceBetweenGroups
        /// min ÷ max over groups.
        case ratioBetweenGroups
        /// Each group − the reference group.
        case differenceToReference(ReferenceGroup)
        /// Each group ÷ the reference group.
        case ratioToReference(ReferenceGroup)
    }

    /// How the statistic must compare with the bound.
    public enum Comparison: String, Sendable, Hashable {
        /// statistic ≥ bound.
        case atLeast = ">="
        /// statistic ≤ bound.
        case atMost = "<="
    }

    /// The rate compared.
    public var rate: SweepRate
    /// The statistic of that rate.
    public var statistic: Statistic
    /// The comparison.
    public var comparison: Comparison
    /// The bound.
    public var bound: Double

    /// A rule from its parts.
    public init(rate: SweepRate, statistic: Statistic, comparison: Comparison, bound: Double) {
        self.rate = rate
        self.statistic = statistic
        self.comparison = comparison
        self.bound = bound
    }

    /// `selection_rate ratio to group "male" >= 0.8`.
    public var description: String {
        let what: String
        switch statistic {
        case .differenceBetweenGroups: what = "difference between groups"
        case .ratioBetweenGroups: what = "ratio between groups"
        case .differenceToReference(let reference): what = "difference to \(reference)"
        case .ratioToReference(let reference): what = "ratio to \(reference)"
        }
        return "\(rate) \(what) \(comparison.rawValue) \(bound)"
    }

    /// Whether `value` satisfies the comparison.
    func accepts(_ value: Double) -> Bool {
        switch comparison {
        case .atLeast: value >= bound
        case .atMost: value <= bound
        }
    }
}
