import Foundation

/// The single pass behind ``TopKMetrics``: walks the queue from the top, keeping each
/// group's running totals, and copies them at every requested k.
struct _TopKPass {
    /// Running totals after the first k positions.
    struct Snapshot: Sendable, Hashable {
        var count: [Int]
        var weight: [Double]
        /// Σw² of the same rows (the effective size of precision@k's denominator).
        var squaredWeight: [Double]
        var positive: [Double]
        var exposure: [Double]
        /// Σ KL(D_i ‖ D) / log₂(i + 1) over prefixes with a counted row.
        var ndklSum: Double
        /// Σ 1 / log₂(i + 1) over the same prefixes.
        var ndklNormalizer: Double
    }

    let ranking: GroupedRanking

    /// Snapshots at each k of `ks` (ascending, distinct, each ≤ the ranked count).
    func run(cutoffs ks: [Int]) -> [Int: Snapshot] {
        let groupCount = ranking.groupCount
        let total = ranking.totalWeight
        // ln Q_g of the desired shares; groups without weight never enter a prefix.
        let logDesired = ranking.weights.map { $0 > 0 ? Foundation.log($0 / total) : 0 }
        var current = Snapshot(count: [Int](repeating: 0, count: groupCount),
                               weight: [Double](repeating: 0, count: groupCount),
                               squaredWeight: [Double](repeating: 0, count: groupCount),
                               positive: [Double](repeating: 0, count: groupCount),
                               exposure: [Double](repeating: 0, count: groupCount),
                               ndklSum: 0, ndklNormalizer: 0)
        var snapshots: [Int: Snapshot] = [:]
        var nextCutoff = 0
        while nextCutoff < ks.count && ks[nextCutoff] == 0 {
            snapshots[0] = current
            nextCutoff += 1
        }
        guard let deepest = ks.last, deepest > 0 else { return snapshots }

        // S = Σ_g c_g ln(c_g / Q_g), kept with compensated summation of exactly computed
        // increments, so that KL(D_i ‖ D) = S/T − ln T stays accurate deep in a long queue
        // without an O(groups) sum per position.
        var entropySum = 0.0
        var entropyCompensation = 0.0
        var prefixWeight = 0.0
        ranking.withGroupCodes { codes in
            _withOptionalBuffer(ranking.ranking.labels) { labels in
                _withOptionalBuffer(ranking.ranking.weights) { weights in
                    for position in 0..<deepest {
                        let discount = 1 / Foundation.log2(Double(position + 2))
                        let code = codes[position]
                        if code >= 0 {
                            let group = Int(code)
                            let weight = weights?[position] ?? 1
                            let before = current.weight[group]
                            current.count[group] += 1
                            current.weight[group] = before + weight
                            current.squaredWeight[group] += weight * weight
                            if labels?[position] == 1 { current.positive[group] += weight }
                            current.exposure[group] += weight * discount
                            if weight > 0 {
                                let after = before + weight
                                var increment = weight * (Foundation.log(after) - logDesired[group])
                                if before > 0 { increment += before * Foundation.log1p(weight / before) }
                                let corrected = increment - entropyCompensation
                                let sum = entropySum + corrected
                                entropyCompensation = (sum - entropySum) - corrected
                                entropySum = sum
                                prefixWeight += weight
                            }
                        }
                        if prefixWeight > 0 {
                            let divergence = max(0, entropySum / prefixWeight - Foundation.log(prefixWeight))
                            current.ndklSum += divergence * discount
                            current.ndklNormalizer += discount
                        }
                        while nextCutoff < ks.count && ks[nextCutoff] == position + 1 {
                            snapshots[position + 1] = current
                            nextCutoff += 1
                        }
                    }
                }
            }
        }
        return snapshots
    }
}
