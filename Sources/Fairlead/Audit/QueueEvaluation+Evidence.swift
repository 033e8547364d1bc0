import FairleadCore

/// How a per-attribute lead-queue metric is made of its per-group values, so that it can
/// be measured again over the groups large enough to judge.
enum QueueAggregate {
    /// max − min (`auc_difference`, the calibration differences).
    case range
    /// max |x| (`max_xauc_disparity`).
    case largestMagnitude
    /// min (`min_skew_at_k`).
    case minimum
    /// max (`max_skew_at_k`).
    case maximum
    /// min ÷ max (`exposure_disparity`).
    case ratio

    /// Whether a value needs two groups: a range or a ratio of one group compares nothing.
    var needsTwo: Bool { self == .range || self == .ratio }

    /// The aggregate of `values`, with the bound of the row-level value when every value
    /// has one (values from a score grid): max − min lies in [max(0, max L − min U),
    /// max U − min L], |x| for x in [L, U] in [dist(0, [L, U]), max(|L|, |U|)], and a min
    /// or max takes the min or max of each end. `nil` when no value is defined, or a
    /// ratio's largest value is 0.
    func combine(_ values: [(value: Double, bound: [Double]?)]) -> (value: Double, bound: [Double]?)? {
        let numbers = values.map(\.value)
        guard let low = numbers.min(), let high = numbers.max() else { return nil }
        let bounds = values.compactMap { $0.bound?.count == 2 ? $0.bound : nil }
        let lows = bounds.map { $0[0] }, highs = bounds.map { $0[1] }
        let bounded = bounds.count == values.count
        switch self {
        case .range:
            return (high - low, bounded ? [max(0, lows.max()! - highs.min()!), highs.max()! - lows.min()!] : nil)
        case .largestMagnitude:
            let magnitude = numbers.map(abs).max()!
            guard bounded else { return (magnitude, nil) }
            let nearest = bounds.map { $0[0] > 0 ? $0[0] : ($0[1] < 0 ? -$0[1] : 0) }
            return (magnitude, [nearest.max()!, bounds.map { max(abs($0[0]), abs($0[1])) }.max()!])
        case .minimum:
            return (low, bounded ? [lows.min()!, highs.min()!] : nil)
        case .maximum:
            return (high, bounded ? [lows.max()!, highs.max()!] : nil)
        case .ratio:
            guard high != 0 else { return nil }
            return (low / high, nil)
        }
    }
}

extension Metric {
    /// The rows a per-group lead-queue value rests on, besides its group's counted rows:
    /// each side (actual positives, negatives, or all rows) of the group's own rows or of
    /// the rest's (all other groups together), as the decision rules count a rate's
    /// denominator. AUC compares the group's positives with its negatives; xAUC(g, rest)
    /// the group's positives with the rest's negatives; KS and Wasserstein the group's
    /// rows with the rest's; recall@k counts the group's positives.
    var queueEvidence: [(side: GroupedRanking.EvidenceSide, ofRest: Bool)] {
        switch self {
        case .auc: return [(.positives, false), (.negatives, false)]
        case .xaucVersusRest: return [(.positives, false), (.negatives, true)]
        case .xaucRestVersus: return [(.negatives, false), (.positives, true)]
        case .xaucDisparity: return [(.positives, false), (.negatives, false), (.positives, true), (.negatives, true)]
        case .ksStatistic, .wassersteinDistance: return [(.all, true)]
        case .recallAtK: return [(.positives, false)]
        default: return []
        }
    }

    /// For a per-attribute lead-queue metric made of one per-group metric's values: that
    /// metric and how they combine. `nil` for `ndkl`, which weighs every group's share of
    /// each prefix of the top k and cannot be measured again without some groups.
    var queueAggregate: (component: Metric, kind: QueueAggregate)? {
        switch self {
        case .aucDifference: return (.auc, .range)
        case .maxXAUCDisparity: return (.xaucDisparity, .largestMagnitude)
        case .expectedCalibrationErrorDifference: return (.expectedCalibrationError, .range)
        case .brierScoreDifference: return (.brierScore, .range)
        case .calibrationInTheLargeDifference: return (.calibrationInTheLarge, .range)
        case .minSkewAtK: return (.skewAtK, .minimum)
        case .maxSkewAtK: return (.skewAtK, .maximum)
        case .exposureDisparity: return (.exposureRatio, .ratio)
        default: return nil
        }
    }
}

extension QueueEvaluation.FindingsDimension {
    /// Why the group at `index` is too small to judge `metric` on, and what would decide
    /// it; `nil` when it is large enough. First its counted rows, then the rows the value
    /// rests on (``Metric/queueEvidence``; precision@k: the group's rows in the top k at
    /// the top-k cutoff at `cutoff`), each by their effective number when weighted.
    func shortfall(group index: Int, for metric: Metric, cutoff: Int?) -> (reason: String, remedy: String)? {
        let group = groupNames[index], minimum = minimumGroupSize
        func short(_ side: GroupedRanking.EvidenceSide, ofRest: Bool) -> (reason: String, remedy: String)? {
            guard let sides = evidence[side] else { return nil }
            let effective = ofRest ? sides.rest[index] : sides.own[index]
            guard effective < minimum else { return nil }
            // The rest's total is summed only when the rest is short, which needs its
            // groups to hold fewer than `minimum` rows together: never for many groups.
            let read = ofRest ? (0..<counts.count).reduce(0) { $0 + readCount(side, $1) } - readCount(side, index)
                : readCount(side, index)
            let noun: String
            switch side {
            case .all: noun = "rows"
            case .positives: noun = "actual positives"
            case .negatives: noun = "actual negatives"
            }
            let purpose = side == .all && !ofRest ? "" : " for \(metric)"
            let amount = read > effective ? "\(effective) effective \(noun) by their weights (of \(read) read: (Σw)²/Σw²)"
                : "\(effective) \(noun)"
            let place = ofRest ? "outside '\(group)'" : "in '\(group)'"
            let remedy = read > effective ? "\(minimum) effective \(noun) \(place) would decide it: more rows, or weight spread over more of them"
                : "\(minimum - effective) more \(noun) \(place) would decide it"
            if ofRest {
                return ("\(metric) compares '\(group)' with the other groups together, which have \(amount), under the minimum of \(minimum)",
                        remedy)
            }
            return ("group '\(group)' has \(amount)\(purpose), under the minimum of \(minimum)", remedy)
        }
        if let own = short(.all, ofRest: false) { return own }
        for requirement in metric.queueEvidence {
            if let found = short(requirement.side, ofRest: requirement.ofRest) { return found }
        }
        if metric == .precisionAtK, let cutoff, cutoff < selectedCounts.count, case let selected = selectedCounts[cutoff][index],
           selected < minimum {
            return ("group '\(group)' has \(selected) rows in the top k for \(metric), under the minimum of \(minimum)",
                    "\(minimum - selected) more of its rows in the top k would decide it")
        }
        return nil
    }

    /// The group's rows of `side` as read.
    private func readCount(_ side: GroupedRanking.EvidenceSide, _ index: Int) -> Int {
        switch side {
        case .all: return counts[index]
        case .positives: return positiveCounts[index]
        case .negatives: return counts[index] - positiveCounts[index]
        }
    }

    /// A per-attribute value is judged on its groups large enough for its per-group
    /// values (``shortfall(group:for:cutoff:)``): when some group with rows is not, the
    /// value is measured again over the others (``Metric/queueAggregate``), which can fail
    /// the rule but not pass it, as a between-groups decision rule does. From a score
    /// grid, that value's bound must not straddle the rule's bound. A metric that cannot
    /// be measured without some groups (`ndkl`) is undecided.
    func setAsideSmallGroups(_ result: inout MeasuredValue, rule: AuditProfile.RuleSpec,
                             groupValues: [String: [String: AuditReport.Estimate]], grid: ScoreGrid?, cutoff: Int?) {
        let withRows = groupNames.indices.filter { counts[$0] > 0 }
        let aggregate = rule.metric.queueAggregate
        let shortfalls = withRows.compactMap { index in
            shortfall(group: index, for: aggregate?.component ?? .shareOfTopK, cutoff: cutoff).map { (index, $0) }
        }
        guard !shortfalls.isEmpty else { return }
        let small = Set(shortfalls.map(\.0))
        let names = shortfalls.map { "'\(groupNames[$0.0])'" }.joined(separator: ", ")
        result.namedGroups = shortfalls.map { groupNames[$0.0] }
        // The first few groups' reasons and remedies; the names list them all.
        func firstFew(_ texts: [String]) -> String {
            texts.prefix(3).joined(separator: "; ") + (texts.count > 3 ? "; and \(texts.count - 3) more groups" : "")
        }
        let tooSmall = "groups \(names) have too few rows (\(firstFew(shortfalls.map { $0.1.reason })))"
        result.wouldDecide = firstFew(shortfalls.map { $0.1.remedy })
        guard let (component, kind) = aggregate else {
            result.shortfall = .init(.tooFewRows, "\(tooSmall), and \(rule.metric) weighs every group's share of the top k")
            return
        }
        let large = withRows.filter { !small.contains($0) }  // a Set: linear in the groups
        let values = large.compactMap { index -> (value: Double, bound: [Double]?)? in
            guard let estimate = groupValues[groupNames[index]]?[component.rawValue], let value = estimate.value else { return nil }
            return (value, estimate.gridBound)
        }
        guard values.count >= (kind.needsTwo ? 2 : 1), let among = kind.combine(values) else {
            result.shortfall = .init(.tooFewRows, "\(tooSmall), and \(values.count == 1 ? "only one other group has" : "no other group has") "
                + "a value of \(component): nothing to compare")
            return
        }
        if let grid {
            guard let bound = among.bound, rule.comparison.holds(bound[0], rule.bound) == rule.comparison.holds(bound[1], rule.bound) else {
                result.shortfall = .init(.tooFewRows, "\(tooSmall), and over the others the score grid does not settle it")
                result.wouldDecide = (result.wouldDecide ?? "") + "; or a finer statistics.score_grid (now \(grid.bins) cells)"
                return
            }
        }
        result.amongSufficient = (among.value, names, minimumGroupSize, nil)
    }
}
