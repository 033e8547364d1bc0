/// Threshold-free comparison of groups' scores: how well the score separates converters
/// from non-converters within and across groups (AUC, xAUC), and how far apart the groups'
/// score distributions lie (Kolmogorov–Smirnov, Wasserstein-1).
///
/// With weights w (1 when unweighted), over counted rows:
///
/// - **AUC** of group g: P(score of a positive of g > score of a negative of g), a tie
///   counting ½ — the Mann–Whitney form of the area under the ROC curve, equal to
///   scikit-learn's `roc_auc_score(y_g, s_g, sample_weight=w_g)` (trapezoidal, so ties
///   count ½). `aucDifference` is the largest minus the smallest defined AUC.
/// - **xAUC**(a, b) (Kallus & Zhou, NeurIPS 2019): P(score of a positive of a > score
///   of a negative of b), ties ½, so xAUC(g, g) = AUC(g). For each group, against all
///   other groups together: `xaucVersusRest` = xAUC(g, rest), `xaucRestVersus` =
///   xAUC(rest, g) and `xaucDisparity` = xAUC(g, rest) − xAUC(rest, g): below 0 when g's
///   converters are ranked under the others' non-converters more often than the reverse.
///   Any ordered pair: ``xauc(positivesOf:negativesOf:)``.
/// - **KS**: sup over x of |F_g(x) − F_o(x)|, F the (weighted) empirical distribution
///   function of scores — scipy's `ks_2samp` statistic; **Wasserstein-1**:
///   ∫ |F_g(x) − F_o(x)| dx — scipy's `wasserstein_distance` (with `u_weights`,
///   `v_weights`). Each group is compared with the rest (every counted row outside it)
///   and, when a reference is given, with the reference group (0 for the reference
///   itself). Labels are not needed.
///
/// Undefined (reason): no labels (`labels_absent`) for AUC and xAUC; a group without rows
/// (`empty_group`), without positives (`no_actual_positives`) or without negatives
/// (`no_actual_negatives`); a distance whose other side has no rows (`empty_group`).
///
/// One pass over the queue: within each block of tied scores the groups' positives and
/// negatives are counted, then each negative of group b in the block is credited with
/// every group's positives above the block plus half of those in it. O(n + blocks ×
/// groups) time and O(groups²) space for up to 64 groups; above that, each group's own
/// blocks only, O(n log n) time and O(n + groups) space, and a pair of groups'
/// ``xauc(positivesOf:negativesOf:)`` is one more walk of the queue when asked for.
public struct ScoreSeparation: Sendable, Hashable {
    /// The groups, in the grouping's order.
    public let groups: [GroupKey]
    /// The index of the reference group in ``groups``, if one was given.
    public let referenceIndex: Int?
    /// Per group: its AUC.
    public let auc: [MetricValue]
    /// The AUC over all counted rows.
    public let overallAUC: MetricValue
    /// Per group: xAUC(g, rest).
    public let xaucVersusRest: [MetricValue]
    /// Per group: xAUC(rest, g).
    public let xaucRestVersus: [MetricValue]
    /// Per group: the Kolmogorov–Smirnov statistic against the rest.
    public let ksVersusRest: [MetricValue]
    /// Per group: the Wasserstein-1 distance against the rest.
    public let wassersteinVersusRest: [MetricValue]
    /// Per group: the Kolmogorov–Smirnov statistic against the reference group.
    public let ksVersusReference: [MetricValue]?
    /// Per group: the Wasserstein-1 distance against the reference group.
    public let wassersteinVersusReference: [MetricValue]?
    /// Σ w·w' over positives of a and negatives of b, ranked above = 1, tied = ½, for
    /// ``xauc(positivesOf:negativesOf:)``.
    let pairs: _PairTable
    let positiveWeights: [Double]
    let negativeWeights: [Double]
    let groupWeights: [Double]
    let isLabeled: Bool

    /// Computes every value in one pass over `ranking`.
    ///
    /// - Parameter reference: a named group or ``ReferenceGroup/largest`` to compare the
    ///   score distributions with; `nil` compares with the rest only.
    /// - Throws: ``FairleadError`` `.invalidProfile` for a named group the grouping lacks,
    ///   or ``ReferenceGroup/bestValued`` (a distance has no best value).
    public init(_ ranking: GroupedRanking, reference: ReferenceGroup? = nil) throws {
        var referenceIndex: Int?
        if let reference {
            if case .bestValued = reference {
                throw FairleadError(.invalidProfile, "score distances need a named reference group or the largest group, not the best-valued one")
            }
            referenceIndex = try ranking.fixedReferenceIndex(reference)
        }
        let pass = _SeparationPass(ranking: ranking, referenceIndex: referenceIndex).run()
        let groupCount = ranking.groupCount
        let positives = ranking.positiveWeights
        let negatives = ranking.negativeWeights
        let weights = ranking.weights
        let labeled = ranking.isLabeled
        self.groups = ranking.groups
        self.referenceIndex = referenceIndex
        self.pairs = _PairTable(table: pass.crossPairs, ranking: pass.crossPairs == nil ? ranking : nil)
        self.positiveWeights = positives
        self.negativeWeights = negatives
        self.groupWeights = weights
        self.isLabeled = labeled

        let allPositive = positives.reduce(0, +)
        let allNegative = negatives.reduce(0, +)
        let allWeight = weights.reduce(0, +)
        self.overallAUC = Self.pairRate(pass.overallPairs, positives: allPositive, negatives: allNegative,
                                        positiveSideWeight: allWeight, negativeSideWeight: allWeight, labeled: labeled)
        var auc: [MetricValue] = []
        var versusRest: [MetricValue] = []
        var restVersus: [MetricValue] = []
        for group in 0..<groupCount {
            auc.append(Self.pairRate(pass.ownPairs[group], positives: positives[group],
                                     negatives: negatives[group], positiveSideWeight: weights[group],
                                     negativeSideWeight: weights[group], labeled: labeled))
            let outward = pass.outwardPairs[group]
            let inward = pass.inwardPairs[group]
            let restWeight = allWeight - weights[group]
            versusRest.append(Self.pairRate(outward, positives: positives[group], negatives: allNegative - negatives[group],
                                            positiveSideWeight: weights[group], negativeSideWeight: restWeight, labeled: labeled))
            restVersus.append(Self.pairRate(inward, positives: allPositive - positives[group], negatives: negatives[group],
                                            positiveSideWeight: restWeight, negativeSideWeight: weights[group], labeled: labeled))
        }
        self.auc = auc
        self.xaucVersusRest = versusRest
        self.xaucRestVersus = restVersus
        self.ksVersusRest = pass.ksRest
        self.wassersteinVersusRest = pass.wassersteinRest
        self.ksVersusReference = pass.ksReference
        self.wassersteinVersusReference = pass.wassersteinReference
    }

    /// P(score of a positive of group `a` > score of a negative of group `b`), ties ½.
    public func xauc(positivesOf a: Int, negativesOf b: Int) -> MetricValue {
        Self.pairRate(pairs.pairs(positivesOf: a, negativesOf: b, groupCount: groups.count), positives: positiveWeights[a], negatives: negativeWeights[b],
                      positiveSideWeight: groupWeights[a], negativeSideWeight: groupWeights[b], labeled: isLabeled)
    }

    /// Per group: xAUC(g, rest) − xAUC(rest, g).
    public var xaucDisparity: [MetricValue] {
        zip(xaucVersusRest, xaucRestVersus).map { MetricFrame.signedDifference($0, $1) }
    }

    /// The largest defined AUC minus the smallest.
    public var aucDifference: MetricValue { MetricValue.differenceBetweenGroups(auc) }

    /// The largest |xAUC(g, rest) − xAUC(rest, g)| over groups.
    public var maximumXAUCDisparity: MetricValue { MetricValue.largestMagnitude(xaucDisparity) }

    /// pairs / (positives × negatives), with the reason when a side is empty.
    static func pairRate(_ pairs: Double, positives: Double, negatives: Double, positiveSideWeight: Double,
                         negativeSideWeight: Double, labeled: Bool) -> MetricValue {
        guard labeled else { return .undefined(.labelsAbsent) }
        if positives == 0 { return .undefined(positiveSideWeight == 0 ? .emptyGroup : .noActualPositives) }
        if negatives == 0 { return .undefined(negativeSideWeight == 0 ? .emptyGroup : .noActualNegatives) }
        return .value(pairs / (positives * negatives))
    }
}

/// The pairs of positives and negatives of any two groups: the dense pass's table, or
/// for many groups the queue itself, walked for the pair asked for. Equal tables are
/// equal; the queue takes no part in equality (the separation's values already differ
/// wherever two queues do).
struct _PairTable: Sendable, Hashable {
    let table: [Double]?
    let ranking: GroupedRanking?

    func pairs(positivesOf a: Int, negativesOf b: Int, groupCount: Int) -> Double {
        if let table { return table[a * groupCount + b] }
        guard let ranking else { return 0 }
        return _SeparationPass.pairs(ranking, positivesOf: a, negativesOf: b)
    }

    static func == (lhs: _PairTable, rhs: _PairTable) -> Bool { lhs.table == rhs.table }

    func hash(into hasher: inout Hasher) { hasher.combine(table) }
}
