/// The thresholds a ``ThresholdSweep`` tries; a row is selected at threshold t when its
/// score ≥ t, as ``DecisionRule/threshold(_:)`` selects.
public enum ThresholdGrid: Sendable, Hashable {
    /// `count` evenly spaced thresholds from 0 to 1: t_i = i · (1 / (count − 1)), the last
    /// exactly 1 (numpy's `linspace(0, 1, count)`); 101 gives 0, 0.01, …, 1.
    case uniform(count: Int)
    /// Every distinct score of a counted row: between two neighbouring ones nothing
    /// changes, so the sweep is exact. Memory: thresholds × groups × 16 bytes.
    case distinctScores
    /// These thresholds (finite; sorted and made distinct).
    case values([Double])

    /// 101 thresholds 0, 0.01, …, 1.
    public static let standard = ThresholdGrid.uniform(count: 101)

    /// The thresholds, ascending.
    ///
    /// - Throws: ``FairleadError`` `.invalidProfile` for a uniform grid of fewer than 2
    ///   points, or a threshold that is not finite.
    func thresholds(of ranking: GroupedRanking) throws -> [Double] {
        switch self {
        case .uniform(let count):
            guard count >= 2 else {
                throw FairleadError(.invalidProfile, "a uniform threshold grid needs at least 2 points, found \(count)")
            }
            let step = 1 / Double(count - 1)
            return (0..<count).map { $0 == count - 1 ? 1 : Double($0) * step }
        case .distinctScores:
            var thresholds: [Double] = []
            ranking.withGroupCodes { codes in
                ranking.ranking.scores.withUnsafeBufferPointer { scores in
                    for position in codes.indices.reversed() where codes[position] >= 0 {
                        if thresholds.last != scores[position] { thresholds.append(scores[position]) }
                    }
                }
            }
            return thresholds
        case .values(let values):
            if let bad = values.first(where: { !$0.isFinite }) {
                throw FairleadError(.invalidProfile, "thresholds must be finite numbers, found \(bad)")
            }
            return Array(Set(values.map { $0 + 0.0 })).sorted()
        }
    }
}
