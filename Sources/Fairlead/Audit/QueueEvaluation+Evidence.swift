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
    /// Whether the metric compares a group with every other group together (the rest),
    /// so that the rest needs enough rows as well as the group.
    var comparesWithRest: Bool {
        switch self {
        case .xaucVersusRest, .xaucRestVersus, .xaucDisparity, .ksStatistic, .wassersteinDistance: return true
        default: return false
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
    /// Why the group at `index` is too small to judge `metric` on — its own effective
    /// rows, or for a comparison with the rest the rest's — and what would decide it;
    /// `nil` when both are large enough.
    func shortfall(group index: Int, for metric: Metric) -> (reason: String, remedy: String)? {
        let group = groupNames[index], minimum = minimumGroupSize
        let effective = effectiveCounts[index], read = counts[index]
        if effective < minimum {
            if read > effective {
                return ("group '\(group)' has \(effective) effective rows by their weights (of \(read) read: (Σw)²/Σw²), under the minimum of \(minimum)",
                        "\(minimum) effective rows in '\(group)' would decide it: more rows, or weight spread over more of them")
            }
            return ("group '\(group)' has \(effective) rows, under the minimum of \(minimum)",
                    "\(minimum - effective) more rows in '\(group)' would decide it")
        }
        let rest = restEffectiveCounts[index]
        guard metric.comparesWithRest, rest < minimum else { return nil }
        let restRead = counts.reduce(0, +) - read
        let rows = restRead > rest ? "\(rest) effective rows by their weights (of \(restRead) read)" : "\(rest) rows"
        return ("\(metric) compares '\(group)' with the other groups together, which have \(rows), under the minimum of \(minimum)",
                "\(minimum - rest) more rows outside '\(group)' would decide it")
    }

    /// A per-attribute value is judged on its groups with at least the minimum of
    /// effective rows: when some group with rows has fewer, the value is measured again
    /// over the others (``Metric/queueAggregate``), which can fail the rule but not pass
    /// it, as a between-groups decision rule does. From a score grid, that value's bound
    /// must not straddle the rule's bound. A metric that cannot be measured without some
    /// groups (`ndkl`) is undecided.
    func setAsideSmallGroups(_ result: inout MeasuredValue, rule: AuditProfile.RuleSpec,
                             groupValues: [String: [String: AuditReport.Estimate]], grid: ScoreGrid?) {
        let withRows = groupNames.indices.filter { counts[$0] > 0 }
        // A group is set aside when its rows are too few, or (xAUC) the rest's are.
        let aggregate = rule.metric.queueAggregate
        let small = withRows.filter { index in
            aggregate.map { shortfall(group: index, for: $0.component) != nil } ?? (effectiveCounts[index] < minimumGroupSize)
        }
        guard !small.isEmpty else { return }
        let names = small.map { "'\(groupNames[$0])'" }.joined(separator: ", ")
        let weighted = small.contains { effectiveCounts[$0] < counts[$0] }
        let unit = weighted ? "effective rows" : "rows"
        let restToo = small.contains { effectiveCounts[$0] >= minimumGroupSize }
        let tooSmall = "groups \(names) have fewer than \(minimumGroupSize) \(unit)"
            + (weighted ? " by their weights" : "") + (restToo ? ", of their own or in the other groups together" : "")
        let needed = small.map { index in
            effectiveCounts[index] < minimumGroupSize ? "\(minimumGroupSize - effectiveCounts[index]) more in '\(groupNames[index])'"
                : "\(minimumGroupSize - restEffectiveCounts[index]) more outside '\(groupNames[index])'"
        }
        result.wouldDecide = "\(unit) would: \(needed.joined(separator: ", "))"
        guard let (component, kind) = aggregate else {
            result.shortfall = "\(tooSmall), and \(rule.metric) weighs every group's share of the top k"
            return
        }
        let large = withRows.filter { !small.contains($0) }
        let values = large.compactMap { index -> (value: Double, bound: [Double]?)? in
            guard let estimate = groupValues[groupNames[index]]?[component.rawValue], let value = estimate.value else { return nil }
            return (value, estimate.gridBound)
        }
        guard values.count >= (kind.needsTwo ? 2 : 1), let among = kind.combine(values) else {
            result.shortfall = "\(tooSmall) to judge \(component) on, and "
                + "\(values.count == 1 ? "only one other group has" : "no other group has") a value: nothing to compare"
            return
        }
        if let grid {
            guard let bound = among.bound, rule.comparison.holds(bound[0], rule.bound) == rule.comparison.holds(bound[1], rule.bound) else {
                result.shortfall = "\(tooSmall) to judge \(component) on, and over the others the score grid does not settle it"
                result.wouldDecide = (result.wouldDecide ?? "") + "; or a finer statistics.score_grid (now \(grid.bins) cells)"
                return
            }
        }
        result.amongSufficient = (among.value, names, minimumGroupSize, nil)
    }
}
