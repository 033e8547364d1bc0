import Foundation

/// Fairness of the top of the lead queue at one cutoff k: who gets the first k positions,
/// how well they convert, and how much attention each group receives.
///
/// With w a row's weight (1 when unweighted), W_g = Σw over group g's counted rows,
/// T_g = Σw over those among the first k positions, and the sums below over counted rows:
///
/// | value | formula | undefined (reason) when |
/// |---|---|---|
/// | `shareOfTopK` | T_g / Σ_h T_h | nothing counted in the top k (`no_predicted_positives`) |
/// | `shareOfPopulation` | W_g / Σ_h W_h | nothing counted at all (`empty_group`) |
/// | `selectionRate` | T_g / W_g | W_g = 0 (`empty_group`) |
/// | `precision` (precision@k) | Σw·y over g's top-k rows / T_g | T_g = 0 (`no_predicted_positives`) |
/// | `recall` (recall@k) | Σw·y over g's top-k rows / Σw·y over g | no positives in g (`no_actual_positives`) |
/// | `skew` (skew@k) | ln(shareOfTopK / shareOfPopulation) | W_g = 0 (`empty_group`); nothing in the top k (`no_predicted_positives`); T_g = 0 (`absent_from_top_k`: the log is −∞) |
/// | `exposure` | Σ w / log₂(1 + rank) over g's top-k rows, ÷ W_g | W_g = 0 |
/// | `exposureShare` | g's exposure sum / all groups' | no exposure at all |
/// | `merit` | W_g-weighted mean label (base rate), or mean score without labels | W_g = 0 |
/// | `exposureRatio` | exposure_g ÷ (exposure_all · merit_g / merit_all) | merit_g = 0 or merit_all = 0 (`zero_divisor`) |
///
/// Skew@k and NDKL follow Geyik, Ambler & Kenthapadi (KDD 2019) with the population's
/// shares as the desired distribution and natural logarithms:
///
///     NDKL@k = 1/Z · Σ_{i=1…k} KL(D_i ‖ D) / log₂(i + 1),   Z = Σ_{i=1…k} 1 / log₂(i + 1)
///
/// with D_i the groups' shares among the counted rows of the first i positions, D their
/// shares among all counted rows, KL(P ‖ Q) = Σ_g P_g ln(P_g / Q_g) (0 · ln 0 = 0);
/// prefixes holding no counted row are left out of both sums. NDKL is 0 for a top k whose
/// every prefix mirrors the population, and grows as the top of the queue skews.
///
/// Exposure follows Singh & Joachims (KDD 2018): rank r (1-based) gets attention
/// 1 / log₂(1 + r), ranks beyond k get none, and a group's exposure is the mean over its
/// members. The merit-proportional target gives each group exposure in proportion to its
/// merit — its conversion rate, or its mean score when the audit has no labels — so
/// `exposureRatio` = 1 when exposure_g / merit_g is the same for every group (Singh &
/// Joachims' disparate-treatment constraint), below 1 for a group under-exposed for its
/// merit. `exposureDisparity` is min ÷ max of the groups' defined ratios. Use
/// ``RankingCutoff/fraction(_:)`` 1 for the exposure of the whole queue.
///
/// Ties in score take positions by row index (ascending), as ``DecisionRule/topCount(_:)``
/// does; so selection rate, precision and recall at k equal the ``MetricFrame`` values of
/// that rule. A cut through tied scores is ``tieAtCutoff``: the values then follow the
/// rows' order.
public struct TopKMetrics: Sendable, Hashable {
    /// One group's values at the cutoff.
    public struct Group: Sendable, Hashable {
        /// Counted rows of the group among the first k positions.
        public var countInTopK: Int
        /// Σw of those rows (T_g).
        public var weightInTopK: Double
        /// Σw·y over those rows: the group's actual positives in the top k; `nil` without labels.
        public var positiveWeightInTopK: Double?
        /// T_g / Σ_h T_h.
        public var shareOfTopK: MetricValue
        /// W_g / Σ_h W_h: the desired share.
        public var shareOfPopulation: MetricValue
        /// T_g / W_g.
        public var selectionRate: MetricValue
        /// Precision@k within the group.
        public var precision: MetricValue
        /// Recall@k within the group.
        public var recall: MetricValue
        /// Skew@k: ln(share of top k / share of population).
        public var skew: MetricValue
        /// Mean position-discounted attention per member.
        public var exposure: MetricValue
        /// The group's part of all exposure.
        public var exposureShare: MetricValue
        /// Base rate, or mean score without labels.
        public var merit: MetricValue
        /// Exposure ÷ its merit-proportional target.
        public var exposureRatio: MetricValue
        /// Per rate that is a proportion of rows, Σw and Σw² of its denominator rows: the
        /// group's counted rows (selection rate), its rows in the top k (precision), its
        /// actual positives (recall), every counted row in the top k (share of the top k).
        public var denominators: [Rate: WeightSums]
    }

    /// The cutoff as asked for.
    public let cutoff: RankingCutoff
    /// The number of positions it resolved to.
    public let k: Int
    /// The groups, in the grouping's order.
    public let groups: [GroupKey]
    /// Per group, in ``groups`` order.
    public let byGroup: [Group]
    /// Precision@k over all counted rows.
    public let precision: MetricValue
    /// Recall@k over all counted rows.
    public let recall: MetricValue
    /// Mean exposure per counted row, all groups.
    public let exposure: MetricValue
    /// Merit over all counted rows.
    public let merit: MetricValue
    /// NDKL@k.
    public let ndkl: MetricValue
    /// Whether merit is the base rate (labels) or the mean score (no labels).
    public let meritIsBaseRate: Bool
    /// A cut through tied scores: the first k positions take some of the rows tied at
    /// the k-th score, by row index, so every value here follows the rows' order, not
    /// their scores (``ScoreRanking/tieAtCutoff(k:)``); `nil` when the cut falls between
    /// two scores.
    public let tieAtCutoff: TieAtCutoff?

    /// The smallest skew@k (Geyik's MinSkew@k); undefined skews are skipped.
    public var minSkew: MetricValue {
        let numbers = byGroup.compactMap(\.skew.number)
        return numbers.min().map(MetricValue.value) ?? .undefined(.noDefinedGroups)
    }

    /// The largest skew@k (Geyik's MaxSkew@k).
    public var maxSkew: MetricValue {
        let numbers = byGroup.compactMap(\.skew.number)
        return numbers.max().map(MetricValue.value) ?? .undefined(.noDefinedGroups)
    }

    /// Min ÷ max of the groups' exposure ratios (1 = exposure proportional to merit).
    public var exposureDisparity: MetricValue {
        MetricValue.ratioBetweenGroups(byGroup.map(\.exposureRatio))
    }

    /// The metrics at every cutoff, from one pass over the first max(k) positions.
    ///
    /// - Throws: ``FairleadError`` `.invalidProfile` for a negative count or a fraction
    ///   outside 0...1.
    public static func compute(_ ranking: GroupedRanking, cutoffs: [RankingCutoff]) throws -> [TopKMetrics] {
        let ks = try cutoffs.map { try $0.resolve(rankedCount: ranking.ranking.rankedCount) }
        let snapshots = _TopKPass(ranking: ranking).run(cutoffs: Array(Set(ks)).sorted())
        return zip(cutoffs, ks).map { cutoff, k in
            guard let snapshot = snapshots[k] else { preconditionFailure("no snapshot at k = \(k)") }
            return TopKMetrics(cutoff: cutoff, k: k, snapshot: snapshot, ranking: ranking)
        }
    }

    init(cutoff: RankingCutoff, k: Int, snapshot: _TopKPass.Snapshot, ranking: GroupedRanking) {
        let labeled = ranking.isLabeled
        let total = ranking.totalWeight
        let topTotal = snapshot.weight.reduce(0, +)
        let topSquaredTotal = snapshot.squaredWeight.reduce(0, +)
        let positiveTotal = ranking.totalPositiveWeight
        let exposureTotal = snapshot.exposure.reduce(0, +)
        let meritSums = labeled ? ranking.positiveWeights : ranking.scoreSums
        let meritAll = MetricValue.quotient(meritSums.reduce(0, +), total, else: .emptyGroup)
        let exposureAll = MetricValue.quotient(exposureTotal, total, else: .emptyGroup)
        var groups: [Group] = []
        for group in 0..<ranking.groupCount {
            let weight = ranking.weights[group]
            let top = snapshot.weight[group]
            let shareOfTopK = MetricValue.quotient(top, topTotal, else: .noPredictedPositives)
            let shareOfPopulation = MetricValue.quotient(weight, total, else: .emptyGroup)
            let merit = MetricValue.quotient(meritSums[group], weight, else: .emptyGroup)
            let exposure = MetricValue.quotient(snapshot.exposure[group], weight, else: .emptyGroup)
            groups.append(Group(
                countInTopK: snapshot.count[group], weightInTopK: top,
                positiveWeightInTopK: labeled ? snapshot.positive[group] : nil,
                shareOfTopK: shareOfTopK, shareOfPopulation: shareOfPopulation,
                selectionRate: MetricValue.quotient(top, weight, else: .emptyGroup),
                precision: labeled ? MetricValue.quotient(snapshot.positive[group], top, else: .noPredictedPositives)
                    : .undefined(.labelsAbsent),
                recall: labeled ? MetricValue.quotient(snapshot.positive[group], ranking.positiveWeights[group], else: .noActualPositives)
                    : .undefined(.labelsAbsent),
                skew: Self.skew(top: top, topTotal: topTotal, shareOfTopK: shareOfTopK, weight: weight,
                                shareOfPopulation: shareOfPopulation),
                exposure: exposure,
                exposureShare: MetricValue.quotient(snapshot.exposure[group], exposureTotal, else: .noPredictedPositives),
                merit: merit,
                exposureRatio: Self.exposureRatio(exposure: exposure, merit: merit, exposureAll: exposureAll,
                                                  meritAll: meritAll, weight: weight, topTotal: topTotal),
                denominators: [
                    .shareOfTopK: WeightSums(weight: topTotal, squaredWeight: topSquaredTotal),
                    .selectionRate: WeightSums(weight: weight, squaredWeight: ranking.squaredWeights[group]),
                    .precision: WeightSums(weight: top, squaredWeight: snapshot.squaredWeight[group]),
                    .recall: WeightSums(weight: ranking.positiveWeights[group],
                                        squaredWeight: ranking.positiveSquaredWeights[group]),
                ]))
        }
        let topPositive = snapshot.positive.reduce(0, +)
        self.cutoff = cutoff
        self.k = k
        self.groups = ranking.groups
        self.byGroup = groups
        self.precision = labeled ? MetricValue.quotient(topPositive, topTotal, else: .noPredictedPositives) : .undefined(.labelsAbsent)
        self.recall = labeled ? MetricValue.quotient(topPositive, positiveTotal, else: .noActualPositives) : .undefined(.labelsAbsent)
        self.exposure = exposureAll
        self.merit = meritAll
        self.meritIsBaseRate = labeled
        self.tieAtCutoff = ranking.ranking.tieAtCutoff(k: k)
        if total == 0 {
            self.ndkl = .undefined(.emptyGroup)
        } else {
            self.ndkl = MetricValue.quotient(snapshot.ndklSum, snapshot.ndklNormalizer, else: .noPredictedPositives)
        }
    }

    private static func skew(top: Double, topTotal: Double, shareOfTopK: MetricValue, weight: Double,
                             shareOfPopulation: MetricValue) -> MetricValue {
        if weight == 0 { return .undefined(.emptyGroup) }
        if topTotal == 0 { return .undefined(.noPredictedPositives) }
        if top == 0 { return .undefined(.absentFromTopK) }
        guard let observed = shareOfTopK.number, let desired = shareOfPopulation.number else {
            return .undefined(.undefinedOperand)
        }
        return .value(Foundation.log(observed / desired))
    }

    private static func exposureRatio(exposure: MetricValue, merit: MetricValue, exposureAll: MetricValue,
                                      meritAll: MetricValue, weight: Double, topTotal: Double) -> MetricValue {
        if weight == 0 { return .undefined(.emptyGroup) }
        if topTotal == 0 { return .undefined(.noPredictedPositives) }
        guard let exposure = exposure.number, let merit = merit.number,
              let exposureAll = exposureAll.number, let meritAll = meritAll.number else {
            return .undefined(.undefinedOperand)
        }
        guard merit != 0, meritAll != 0, exposureAll != 0 else { return .undefined(.zeroDivisor) }
        return .value(exposure * meritAll / (exposureAll * merit))
    }
}
