/// How many leads from the top of the queue a top-k metric looks at: an absolute count or
/// a fraction of the ranked rows.
///
/// A fraction f resolves to k = round(f × ranked rows), half away from zero, and a count
/// larger than the queue to the whole queue — the same k as ``DecisionRule/topCount(_:)``
/// and ``DecisionRule/topFraction(_:)`` select, so `TopKMetrics` at a cutoff agrees with a
/// ``MetricFrame`` of the matching top-k rule.
public enum RankingCutoff: Sendable, Hashable, CustomStringConvertible {
    /// The first k positions.
    case count(Int)
    /// The first round(f × ranked rows) positions, f within 0...1.
    case fraction(Double)

    /// The number of positions for a queue of `rankedCount` rows.
    ///
    /// - Throws: ``FairleadError`` `.invalidProfile` for a negative count or a fraction
    ///   outside 0...1.
    public func resolve(rankedCount: Int) throws -> Int {
        switch self {
        case .count(let count):
            guard count >= 0 else {
                throw FairleadError(.invalidProfile, "top-k count must be at least 0, found \(count)")
            }
            return min(count, rankedCount)
        case .fraction(let fraction):
            guard fraction >= 0 && fraction <= 1 else {
                throw FairleadError(.invalidProfile, "top-k fraction must be within 0...1, found \(fraction)")
            }
            return min(rankedCount, Int((fraction * Double(rankedCount)).rounded(.toNearestOrAwayFromZero)))
        }
    }

    /// The matching decision rule of the group metrics engine.
    public var decisionRule: DecisionRule {
        switch self {
        case .count(let count): .topCount(count)
        case .fraction(let fraction): .topFraction(fraction)
        }
    }

    /// `top 100`, `top 10.0%`.
    public var description: String { decisionRule.description }
}
