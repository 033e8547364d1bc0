import FairleadCore

/// What a top-k cut through tied scores leaves open, and what it does not.
///
/// The cut takes `taken` of the `tied` rows at the cutoff score in row order; any other
/// `taken` of them would be as faithful to the scores. Of a group's tied rows, `p` with
/// label 1 and `q` with label 0 (counted rows; rows the metrics leave out hold places too),
/// every such choice takes between max(0, taken − (tied − p)) and min(p, taken) of the
/// positives, and likewise of the negatives, on top of the rows above the cutoff: a box of
/// the group's true and false positive counts, its actual positives and negatives fixed.
///
/// Each group rate whose denominator does not move with the decision — selection rate,
/// true and false positive and negative rates, accuracy — is a linear-fractional function
/// of (TP, FP) over that box, so its extremes lie at the box's corners. Between groups,
/// interval arithmetic over those ranges (a ratio [a/d, b/c], a difference [a − d, b − c],
/// max − min in [max(0, max lo − min hi), max hi − min lo]) bounds every value a rule can
/// take, however the tie splits: wider than the truth, since it lets each group's split
/// vary on its own, never narrower. A rule that fails over the whole bound fails, one that
/// holds over it passes, and anything else stays insufficient evidence
/// (docs/metrics.md, "Ties at a top-k cutoff").
///
/// Unweighted rows and point verdicts only: weighted tied rows do not make a box of counts,
/// and an interval verdict would need the sampling interval of every split.
struct TieBounds {
    /// One group's box.
    struct Box {
        var truePositives: ClosedRange<Int>
        var falsePositives: ClosedRange<Int>
        /// Rows with label 1 and with label 0 (fixed whatever the split).
        var positives: Int
        var negatives: Int
    }

    let tie: TieAtCutoff
    /// Per dimension (attribute or intersection name), one box per group of its frame.
    private(set) var boxes: [String: [Box]] = [:]

    /// The rates whose range the corners give: their denominators, and so the evidence
    /// a minimum group size counts, are the same under every split.
    /// (`count`, `share`, `base_rate` and `mean_score` do not move at all.)
    static let boundedRates: Set<GroupMetric> = [.count, .share, .baseRate, .meanScore, .selectionRate, .truePositiveRate,
                                                 .falsePositiveRate, .trueNegativeRate, .falseNegativeRate, .accuracy]

    /// The rates no decision moves: a group's value of each is the same under every split.
    static let decisionFree: Set<GroupMetric> = [.count, .share, .baseRate, .meanScore]

    /// Why a value of ``boundedRates`` is undefined the same way under every split: its
    /// denominator (the group's rows, actual positives or negatives) does not move.
    static let undefinedInEverySplit: Set<UndefinedReason> = [.emptyGroup, .noActualPositives, .noActualNegatives, .noScores, .labelsAbsent]

    /// Why no boxes bound a decision's tie, for the reasons of its undecided findings.
    enum Unbounded: Error {
        /// Weighted rows: tied rows of unequal weight make no box of counts.
        case weighted
        /// Some split selects none of the rows a grouping counts, or all of them: that
        /// split compares nothing, so no verdict holds for every split.
        case selectsAllOrNone(String)
    }

    /// The boxes of `decision`'s tie over every grouping of the profile; `nil` when the
    /// decision has no tie at its cutoff.
    ///
    /// - Throws: ``Unbounded`` when the tie cannot be bounded.
    init?(decision: AuditProfile.DecisionSpec, data: AuditData, profile: AuditProfile) throws {
        guard let tie = decision.rule.tieAtCutoff(scores: data.scores) else { return nil }
        guard data.weights == nil else { throw Unbounded.weighted }
        self.tie = tie
        let columns = data.columns(for: decision)
        for attributes in profile.groupings {
            let grouping = try Grouping(columns: columns, attributes: attributes, missingPolicies: profile.missingPolicies(for: attributes),
                                        maxGroups: profile.limits.maxGroups)
            // At or above the cutoff, and strictly above it: their difference is the tied rows.
            let atOrAbove = try GroupStats.accumulate(columns, rule: .threshold(tie.score), grouping: grouping,
                                                      scoreRange: nil, rows: nil)
            // Nothing lies above the largest finite score (its nextUp is infinite, no threshold).
            let strictlyAbove: DecisionRule = tie.score.nextUp.isFinite ? .threshold(tie.score.nextUp) : .topCount(0)
            let above = try GroupStats.accumulate(columns, rule: strictlyAbove, grouping: grouping, scoreRange: nil, rows: nil)
            // Rows left out of the metrics hold tied places too: a split may take them only,
            // or none of them, and select none of the rows counted, or all of them.
            let counted = atOrAbove.overall.count
            let selectedAbove = above.overall.truePositives.count + above.overall.falsePositives.count
            let tiedCounted = atOrAbove.overall.truePositives.count + atOrAbove.overall.falsePositives.count - selectedAbove
            if counted > 0, selectedAbove + Self.fewest(tiedCounted, tie: tie) == 0 || selectedAbove + min(tiedCounted, tie.taken) == counted {
                throw Unbounded.selectsAllOrNone(attributes.joined(separator: "*"))
            }
            boxes[attributes.joined(separator: "*")] = zip(above.cells, atOrAbove.cells).map { above, all in
                let (tp, fp) = (above.truePositives.count, above.falsePositives.count)
                let tiedPositives = all.truePositives.count - tp
                let tiedNegatives = all.falsePositives.count - fp
                return Box(truePositives: tp + Self.fewest(tiedPositives, tie: tie)...tp + min(tiedPositives, tie.taken),
                           falsePositives: fp + Self.fewest(tiedNegatives, tie: tie)...fp + min(tiedNegatives, tie.taken),
                           positives: all.truePositives.count + all.falseNegatives.count,
                           negatives: all.falsePositives.count + all.trueNegatives.count)
            }
        }
    }

    /// The fewest of `rows` tied rows any split takes: what the others cannot hold.
    private static func fewest(_ rows: Int, tie: TieAtCutoff) -> Int {
        max(0, tie.taken - (tie.tied - rows))
    }

    /// The values `rate` of the group at `group` takes over its box; `nil` when the rate
    /// is not one the corners bound, or is undefined at a corner. A rate no decision moves
    /// is its value in `frame`.
    func range(_ rate: GroupMetric, dimension: String, group: Int, frame: MetricFrame) -> ClosedRange<Double>? {
        if Self.decisionFree.contains(rate) { return frame.value(rate, group: group).number.map { $0...$0 } }
        let isLabeled = frame.stats.isLabeled
        guard Self.boundedRates.contains(rate), let box = boxes[dimension]?[group] else { return nil }
        var low = Double.infinity, high = -Double.infinity
        for tp in [box.truePositives.lowerBound, box.truePositives.upperBound] {
            for fp in [box.falsePositives.lowerBound, box.falsePositives.upperBound] {
                let cells = ConfusionCells(truePositives: Self.cell(tp), falsePositives: Self.cell(fp),
                                           trueNegatives: Self.cell(box.negatives - fp), falseNegatives: Self.cell(box.positives - tp))
                guard let value = rate.value(cells, all: cells, isLabeled: isLabeled).number else { return nil }
                low = min(low, value)
                high = max(high, value)
            }
        }
        return low...high
    }

    private static func cell(_ count: Int) -> CellStats {
        CellStats(count: count, weight: Double(count), squaredWeight: Double(count), scoredWeight: 0, scoreSum: 0)
    }

    /// The range of a group's rate `rate` compared with the reference's (`comparison`),
    /// from the two ranges by interval arithmetic; `nil` when a ratio's reference rate can
    /// be 0.
    static func versusReference(_ group: [ClosedRange<Double>], _ reference: [ClosedRange<Double>],
                                comparison: VerdictEvidence.ReferenceComparison) -> ClosedRange<Double>? {
        let gaps = zip(group, reference).map { g, r in (g.lowerBound - r.upperBound)...(g.upperBound - r.lowerBound) }
        switch comparison {
        case .difference:
            return gaps.first
        case .ratio:
            guard let g = group.first, let r = reference.first, r.lowerBound > 0 else { return nil }
            return (g.lowerBound / r.upperBound)...(g.upperBound / r.lowerBound)
        case .averageOdds:
            return (gaps.map(\.lowerBound).reduce(0, +) / 2)...(gaps.map(\.upperBound).reduce(0, +) / 2)
        case .averageAbsoluteOdds:
            // |x| over x in [a, b]: [0, max(−a, b)] across 0, else [min, max] of |a|, |b|.
            let absolute = gaps.map { gap in
                gap.contains(0) ? 0...max(-gap.lowerBound, gap.upperBound)
                    : min(abs(gap.lowerBound), abs(gap.upperBound))...max(abs(gap.lowerBound), abs(gap.upperBound))
            }
            return (absolute.map(\.lowerBound).reduce(0, +) / 2)...(absolute.map(\.upperBound).reduce(0, +) / 2)
        }
    }

    /// The range of a between-groups value — per component max − min (or min ÷ max) over
    /// the groups, the worst component taken — from each group's range of each component
    /// (`ranges[component][group]`); `nil` for no group, or a ratio whose largest value
    /// can be 0.
    static func betweenGroups(_ ranges: [[ClosedRange<Double>]], kind: MetricDefinition.Comparison) -> ClosedRange<Double>? {
        var low: Double?
        var high: Double?
        for groups in ranges {
            if groups.count == 1 {
                // One group compared with itself: max − min is 0 and min ÷ max is 1 (when defined).
                if kind == .ratioBetweenGroups {
                    guard groups[0].lowerBound > 0 else { return nil }
                    (low, high) = (min(low ?? 1, 1), min(high ?? 1, 1))
                } else {
                    (low, high) = (max(low ?? 0, 0), max(high ?? 0, 0))
                }
                continue
            }
            guard let maxLower = groups.map(\.lowerBound).max(), let minLower = groups.map(\.lowerBound).min(),
                  let maxUpper = groups.map(\.upperBound).max(), let minUpper = groups.map(\.upperBound).min() else { return nil }
            let lower: Double, upper: Double
            if kind == .ratioBetweenGroups {
                guard maxLower > 0 else { return nil }
                (lower, upper) = (minLower / maxUpper, min(1, minUpper / maxLower))
                low = min(low ?? lower, lower)
                high = min(high ?? upper, upper)
            } else {
                (lower, upper) = (max(0, maxLower - minUpper), maxUpper - minLower)
                low = max(low ?? lower, lower)
                high = max(high ?? upper, upper)
            }
        }
        guard let low, let high, low <= high else { return nil }
        return low...high
    }
}
