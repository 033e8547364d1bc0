import FairleadCore

extension DecisionEvaluation {
    /// The profile's rules measured under this decision and judged by ``FindingJudge``:
    /// one finding per rule and attribute (and per group for per-group metrics).
    ///
    /// A value decides only when the groups it rests on have at least the minimum group
    /// size (counted on the metric's own denominator: actual positives for the true
    /// positive rate) and the decision selects some rows but not all. For a between-groups
    /// metric, small groups are set aside: if the rule fails among the groups that are
    /// large enough, it fails; otherwise the small groups could change the outcome and
    /// the finding is insufficient evidence.
    func findings(rules: [AuditProfile.RuleSpec]) -> [AuditReport.Finding] {
        var findings: [AuditReport.Finding] = []
        for rule in rules where rule.metric.isDecisionMetric {
            for dimension in dimensions where rule.applies(toDecision: decision.name, attribute: dimension.name) {
                for measured in measure(rule, dimension) {
                    findings.append(FindingJudge.finding(rule, measured, mode: settings.verdict))
                }
            }
        }
        return findings
    }

    /// The values `rule` is judged on under one attribute, with their evidence. Under a tie
    /// at a top-k cutoff, each is judged on the range of its value over every split of the
    /// tie when ``tieBounds`` gives one (``TieBounds``), else left undecided for the tie.
    private func measure(_ rule: AuditProfile.RuleSpec, _ dimension: Dimension) -> [MeasuredValue] {
        let metric = rule.metric
        let frame = dimension.frame
        let level = settings.intervalLevel
        // A tie at the cutoff leaves the rule to the range of its value over every split
        // (``bounded(_:_:)``) when its rates' ranges are known; otherwise it decides nothing.
        let tie = tieBounds.flatMap { bounds in
            (metric.groupMetric != nil || metric.definition.comparison != nil)
                && metric.evidenceMetrics.allSatisfy(TieBounds.boundedRates.contains)
                && (metric.definition.comparison != .versusReference || dimension.reference != .bestValued) ? bounds : nil
        }
        func measured(_ group: String?, _ value: MetricValue, _ interval: [Double]?) -> MeasuredValue {
            var result = MeasuredValue(decision: decision.name, attribute: dimension.name, group: group, value: value.number,
                                       undefinedReason: value.undefinedReason?.rawValue, interval: interval)
            if tie == nil {
                result.shortfall = selectionShortfall.map { .init(selectionCause, $0) }
                if result.shortfall != nil { result.wouldDecide = selectionRemedy }
            }
            return result
        }
        /// `result` judged on `range` — every value its rule can take however the tie splits
        /// — or, without one, undecided as every rule of a tied decision is.
        func bounded(_ result: MeasuredValue, _ range: ClosedRange<Double>?) -> MeasuredValue {
            guard let tie else { return result }
            var result = result
            if let range, result.shortfall == nil {
                result.tieRange = (range, tie.tie)
                if result.amongSufficient == nil { result.wouldDecide = selectionRemedy }
            } else if result.shortfall == nil, result.value == nil,
                      result.undefinedReason.flatMap(UndefinedReason.init(rawValue:)).map(TieBounds.undefinedInEverySplit.contains) == true {
                // Undefined however the tie splits (no actual positives in a group): said as undefined.
            } else if result.shortfall == nil {
                result.shortfall = selectionShortfall.map { .init(selectionCause, $0) }
                result.wouldDecide = selectionRemedy
            }
            return result
        }
        func ranges(_ rates: [GroupMetric], _ group: Int) -> [ClosedRange<Double>]? {
            let ranges = rates.compactMap { tie?.range($0, dimension: dimension.name, group: group, frame: frame) }
            return ranges.count == rates.count ? ranges : nil
        }
        if metric.definition.needs.contains(.labels) && !isLabeled {
            var result = measured(nil, .undefined(.labelsAbsent), nil)
            result.shortfall = .init(.noLabels, "\(metric) needs labels; the data has no label column")
            result.wouldDecide = FindingJudge.remedy(forUndefined: UndefinedReason.labelsAbsent.rawValue, group: nil)
            return [result]
        }
        if let groupMetric = metric.groupMetric {
            let indices = frame.groups.indices.filter { frame.stats.cells[$0].count > 0 }
            let verdictLevel = VerdictEvidence.simultaneousLevel(level, comparisons: indices.count)
            return indices.map { index in
                var result = measured(frame.groups[index].description, frame.value(groupMetric, group: index),
                                      frame.wilsonInterval(groupMetric, group: index, level: level).map { [$0.lower, $0.upper] })
                if result.shortfall == nil, let empty = emptyDenominator(frame, index: index, metrics: [groupMetric]) {
                    // Rows, none of them in the rate's denominator: not too few rows, but none of those.
                    result.undefinedDetail = empty.reason
                    result.wouldDecide = empty.remedy
                } else if result.shortfall == nil, let short = shortfall(frame, index: index, metrics: [groupMetric]) {
                    result.shortfall = .init(.tooFewRows, short.reason)
                    result.wouldDecide = short.remedy
                }
                result.verdictInterval = frame.wilsonInterval(groupMetric, group: index, level: verdictLevel).map { [$0.lower, $0.upper] }
                result.wouldDecide = result.wouldDecide ?? VerdictEvidence.rowsToDecide(value: result.value, interval: result.verdictInterval,
                                                                            rule: rule, rows: frame.stats.cells[index].count, scope: .group(frame.groups[index].description))
                return bounded(result, ranges([groupMetric], index)?.first)
            }
        }
        switch metric.definition.comparison {
        case .versusReference?:
            let referenceIndex = (try? frame.referenceIndex(dimension.reference, for: .selectionRate)) ?? nil
            let entries = AttributeSection.versusReference(dimension, metric).filter { frame.stats.cells[$0.group].count > 0 }
            let comparisons = entries.count
            if entries.isEmpty {
                // One group (or none) with rows: there is nothing to compare with the reference.
                let withRows = frame.groups.indices.filter { frame.stats.cells[$0].count > 0 }
                var result = measured(nil, .undefined(.noDefinedGroups), nil)
                if result.shortfall == nil, withRows.count == 1 { result.namedGroups = [frame.groups[withRows[0]].description] }
                result.shortfall = result.shortfall ?? .init(.nothingToCompare, withRows.count == 1
                    ? "only one group ('\(frame.groups[withRows[0]])') has rows: nothing to compare with a reference"
                    : "no group other than the reference has rows: nothing to compare")
                result.wouldDecide = result.wouldDecide ?? "rows of a second group would decide it"
                return [result]
            }
            return entries.map { entry in
                var result = measured(frame.groups[entry.group].description, entry.value, entry.interval)
                // A group (its own, else the reference) with rows but none in a rate's
                // denominator leaves the value undefined: the reason names that group.
                let empty = entry.value.number != nil ? nil
                    : emptyDenominator(frame, index: entry.group, metrics: metric.evidenceMetrics).map { ($0, entry.group) }
                        ?? referenceIndex.flatMap { index in emptyDenominator(frame, index: index, metrics: metric.evidenceMetrics).map { ($0, index) } }
                // The group's own shortfall, else the reference group's: the reason names that group.
                let short = shortfall(frame, index: entry.group, metrics: metric.evidenceMetrics).map { ($0, entry.group) }
                    ?? referenceIndex.flatMap { index in shortfall(frame, index: index, metrics: metric.evidenceMetrics).map { ($0, index) } }
                if result.shortfall == nil, let (empty, index) = empty {
                    result.undefinedDetail = empty.reason
                    result.wouldDecide = empty.remedy
                    if index != entry.group { result.namedGroups = [frame.groups[index].description] }
                } else if result.shortfall == nil, let (short, index) = short {
                    result.shortfall = .init(.tooFewRows, short.reason)
                    result.wouldDecide = short.remedy
                    result.namedGroups = [frame.groups[index].description]
                }
                result.verdictInterval = VerdictEvidence.widened(entry.interval, value: entry.value.number, level: level, comparisons: comparisons)
                if let referenceIndex {
                    // A rate at 0 or 1 does not vary across replicates: its counts' Wilson intervals
                    // at the simultaneous level bound what the verdict may claim.
                    result.verdictInterval = VerdictEvidence.hull(result.verdictInterval, VerdictEvidence.countSupported(
                        frame, rates: metric.definition.components, comparison: AttributeSection.versusReferenceComparison(metric),
                        group: entry.group, reference: referenceIndex,
                        level: VerdictEvidence.simultaneousLevel(level, comparisons: comparisons)))
                }
                if result.verdictInterval == nil, entry.value.number != nil, metric.definition.intervals == .bootstrap,
                   settings.bootstrapReplicates == 0 {
                    result.intervalAbsence = ("its interval comes from the bootstrap, which settings.bootstrap: 0 turns off",
                                              "settings.bootstrap: 1000 would give it one (settings.verdict: point judges the value alone)")
                }
                let rows = frame.stats.cells[entry.group].count + (referenceIndex.map { frame.stats.cells[$0].count } ?? 0)
                result.wouldDecide = result.wouldDecide ?? VerdictEvidence.rowsToDecide(value: result.value, interval: result.verdictInterval,
                                                                            rule: rule, rows: rows, scope: .comparedGroups)
                // An interval held open by a rate at 0 or 1 narrows as that group's rows grow, not as (h/d)²
                // predicts: name the counts instead.
                let atBound = frame.ratesAtBound(metric.definition.components, groups: [entry.group] + (referenceIndex.map { [$0] } ?? []))
                    .map { bound in
                        let counted = frame.evidenceRows(bound.rate, group: bound.group)
                        return (bound.group, "'\(frame.groups[bound.group])' has \(bound.rate.rawValue) \(bound.value == 0 ? 0 : counted) of \(counted)")
                    }
                if result.shortfall == nil, result.wouldDecide != nil, !atBound.isEmpty {
                    result.wouldDecide = atBound.map(\.1).joined(separator: ", ")
                        + (atBound.count == 1 ? ", a rate the bootstrap cannot vary, so the interval is its counts' Wilson interval"
                                              : ", rates the bootstrap cannot vary, so the interval is their counts' Wilson intervals")
                        + "; more rows there would decide it"
                    let others = atBound.map(\.0).filter { $0 != entry.group }.map { frame.groups[$0].description }
                    result.namedGroups = Array(Set(result.namedGroups + others)).sorted()
                }
                let components = metric.definition.components
                let range = referenceIndex.flatMap { reference in
                    ranges(components, entry.group).flatMap { mine in
                        ranges(components, reference).flatMap { theirs in
                            TieBounds.versusReference(mine, theirs, comparison: AttributeSection.versusReferenceComparison(metric))
                        }
                    }
                }
                return bounded(result, range)
            }
        case .differenceBetweenGroups?, .ratioBetweenGroups?:
            let components = metric.definition.components
            let value = AttributeSection.namedValue(metric, frame)
            let interval = AttributeSection.fairness(dimension)[metric.rawValue]?.interval
            var result = measured(nil, value, interval)
            let participating = frame.groups.indices.filter { index in
                components.allSatisfy { frame.value($0, group: index).number != nil }
            }
            let kind: MetricDefinition.Comparison = metric.definition.comparison ?? .differenceBetweenGroups
            result.verdictInterval = Self.rangeInterval(frame, components: components, kind: kind, indices: participating, level: level)
            if participating.count < 2, result.shortfall == nil {
                result.namedGroups = participating.map { frame.groups[$0].description }
                // Groups with rows but none in a component's denominator (no actual
                // positives for the true positive rate) are what is missing, not rows.
                let empty = frame.groups.indices.filter { !participating.contains($0) }.compactMap { index in
                    emptyDenominator(frame, index: index, metrics: components).map { (index: index, words: $0) }
                }
                if empty.isEmpty {
                    result.shortfall = .init(.nothingToCompare, participating.count == 1
                        ? "only one group ('\(frame.groups[participating[0]])') has a value: nothing to compare"
                        : "no group has a value: nothing to compare")
                    result.wouldDecide = "rows of a second group would decide it"
                } else {
                    result.namedGroups += empty.map { frame.groups[$0.index].description }
                    let head = participating.count == 1
                        ? "only one group ('\(frame.groups[participating[0]])') has a value, nothing to compare"
                        : "no group has a value, nothing to compare"
                    result.shortfall = .init(.nothingToCompare, head + ": " + empty.map(\.words.reason).joined(separator: "; "))
                    var remedies: [String] = []
                    for remedy in empty.compactMap(\.words.remedy) where !remedies.contains(remedy) { remedies.append(remedy) }
                    result.wouldDecide = remedies.isEmpty ? nil : remedies.joined(separator: ", or ")
                }
            }
            let small = participating.filter { shortfall(frame, index: $0, metrics: components) != nil }
            if result.shortfall == nil, !small.isEmpty {
                let large = participating.filter { !small.contains($0) }
                let names = small.map { "'\(frame.groups[$0])'" }.joined(separator: ", ")
                result.namedGroups = small.map { frame.groups[$0].description }
                if let among = Self.betweenGroups(frame, components: components, kind: kind, indices: large).number {
                    result.amongSufficient = (among, names, settings.minimumGroupSize,
                                              Self.rangeInterval(frame, components: components, kind: kind, indices: large, level: level))
                } else {
                    result.shortfall = .init(.tooFewRows, "groups \(names) have fewer than \(settings.minimumGroupSize) rows for \(components.map(\.rawValue).joined(separator: " and "))")
                }
                let needed = small.map { index in
                    "\(settings.minimumGroupSize - (components.map { frame.evidenceRows($0, group: index) }.min() ?? 0)) more in '\(frame.groups[index])'"
                }
                result.wouldDecide = "rows for \(components.map(\.rawValue).joined(separator: " and ")) would: \(needed.joined(separator: ", "))"
            } else {
                result.wouldDecide = result.wouldDecide ?? VerdictEvidence.rowsToDecide(value: result.value, interval: result.verdictInterval, rule: rule,
                                                                            rows: frame.stats.overall.count, scope: .comparedGroups)
            }
            // Over the groups the value is judged on, rate by rate as the value takes them: each
            // rate over every group where it is defined (equalized odds takes a group with
            // label-0 rows only into its false positive rates), or over the groups large
            // enough when some were set aside.
            let judged = result.amongSufficient == nil ? Array(frame.groups.indices) : participating.filter { !small.contains($0) }
            let perComponent = components.map { component in
                judged.filter { frame.value(component, group: $0).number != nil }.map { ranges([component], $0)?.first }
            }
            let range = perComponent.contains { $0.contains { $0 == nil } } ? nil
                : TieBounds.betweenGroups(perComponent.map { $0.map { $0! } }, kind: kind)
            return [bounded(result, range)]
        case nil:
            // Inequality indices: one value over every row.
            let value = metric == .theilIndex ? frame.theilIndex() : frame.generalizedEntropyIndex()
            var result = measured(nil, value, nil)
            let rows = frame.stats.overall.count
            if result.shortfall == nil, rows < settings.minimumGroupSize {
                result.shortfall = .init(.tooFewRows, "\(rows) rows, under the minimum of \(settings.minimumGroupSize)")
                result.wouldDecide = "\(settings.minimumGroupSize - rows) more rows would"
            }
            return [result]
        }
    }

    /// The simultaneous interval of a between-groups value for interval verdicts: every
    /// group's rate gets its Wilson interval at the Bonferroni level over the m groups × c
    /// components compared; all cover together with at least `level`, and then the true
    /// max − min lies in [max(0, max L − min U), max U − min L] (min ÷ max in
    /// [min L ÷ max U, min(1, min U ÷ max L)]), the worst over components taken on each
    /// side. The bootstrap interval of max − min is not used here: the range of noisy
    /// estimates is biased upward, and its percentile interval can exclude fair data's 0.
    static func rangeInterval(_ frame: MetricFrame, components: [GroupMetric], kind: MetricDefinition.Comparison,
                              indices: [Int], level: Double) -> [Double]? {
        guard indices.count >= 2 else { return nil }
        let each = VerdictEvidence.simultaneousLevel(level, comparisons: indices.count * components.count)
        var low: Double?
        var high: Double?
        for component in components {
            let intervals = indices.compactMap { frame.wilsonInterval(component, group: $0, level: each) }
            guard intervals.count == indices.count,
                  let maxLower = intervals.map(\.lower).max(), let minLower = intervals.map(\.lower).min(),
                  let maxUpper = intervals.map(\.upper).max(), let minUpper = intervals.map(\.upper).min() else { return nil }
            if kind == .ratioBetweenGroups {
                let lower = maxUpper > 0 ? minLower / maxUpper : 0
                let upper = maxLower > 0 ? min(1, minUpper / maxLower) : 1
                low = min(low ?? lower, lower)
                high = min(high ?? upper, upper)
            } else {
                let lower = max(0, maxLower - minUpper)
                let upper = maxUpper - minLower
                low = max(low ?? lower, lower)
                high = max(high ?? upper, upper)
            }
        }
        guard let low, let high else { return nil }
        return [low, high]
    }

    /// Why the group at `index` has rows but no value of one of `metrics`: that rate's own
    /// denominator is empty there (no actual positives for the true positive rate, none
    /// selected for the positive predictive value), in words naming the group, and what
    /// would give it one. `nil` when the group has no rows, or a value of each metric.
    private func emptyDenominator(_ frame: MetricFrame, index: Int, metrics: [GroupMetric]) -> (reason: String, remedy: String?)? {
        let cells = frame.stats.cells[index]
        guard cells.count > 0 else { return nil }
        for metric in metrics {
            guard case .undefined(let why) = frame.value(metric, group: index), let subset = metric.denominatorSubset else { continue }
            let group = frame.groups[index].description
            let rows = "group '\(group)' has \(cells.count) row\(cells.count == 1 ? "" : "s")"
            let read = metric.denominatorRows(cells, all: frame.overallCells)
            // Rows of the denominator that all weigh 0 leave it as empty as none.
            let lacks = read == 0 ? subset.none : "\(read) \(subset.rows), all of weight 0"
            return ("\(rows) but \(lacks), which \(metric.rawValue) needs",
                    FindingJudge.remedy(forUndefined: why.rawValue, group: group))
        }
        return nil
    }

    /// Why the group at `index` is too small for `metrics`, and how many more rows would
    /// do; `nil` when it is large enough.
    private func shortfall(_ frame: MetricFrame, index: Int, metrics: [GroupMetric]) -> (reason: String, remedy: String)? {
        for metric in metrics {
            if case .insufficient(let group, let rows, let minimum) = frame.evidence(metric, group: index,
                                                                                   minimumGroupSize: settings.minimumGroupSize) {
                let read = metric.denominatorRows(frame.stats.cells[index], all: frame.overallCells)
                var what = metric == .count || metric == .selectionRate ? "rows" : "rows for \(metric.rawValue)"
                if read > rows { what = "effective " + what + " by their weights (of \(read) read: (Σw)²/Σw²)" }
                var remedy = metric == .count || metric == .selectionRate
                    ? "\(minimum - rows) more rows in '\(group)' would decide it"
                    : "\(minimum - rows) more \(metric.needsLabels ? "labelled " : "")rows for \(metric.rawValue) in '\(group)' would decide it"
                if read > rows {
                    remedy = "\(minimum) effective rows in '\(group)' would decide it: more rows, or weight spread over more of them"
                }
                return ("group '\(group)' has \(rows) \(what), under the minimum of \(minimum)", remedy)
            }
        }
        return nil
    }

    /// Between groups, over the groups at `indices` only: for each component max − min
    /// (or min ÷ max) of the defined values, then the worst over components (the larger
    /// difference, the smaller ratio) — Fairlearn's `between_groups` with `agg="worst_case"`
    /// restricted to those groups.
    static func betweenGroups(_ frame: MetricFrame, components: [GroupMetric], kind: MetricDefinition.Comparison,
                              indices: [Int]) -> MetricValue {
        var worst: Double?
        for metric in components {
            let values = indices.compactMap { frame.value(metric, group: $0).number }
            guard let low = values.min(), let high = values.max() else { return .undefined(.noDefinedGroups) }
            if kind == .ratioBetweenGroups {
                guard high != 0 else { return .undefined(.zeroDivisor) }
                worst = min(worst ?? low / high, low / high)
            } else {
                worst = max(worst ?? high - low, high - low)
            }
        }
        return worst.map(MetricValue.value) ?? .undefined(.noDefinedGroups)
    }
}

extension MetricFrame {
    /// The rows of the group at `index` that a metric is computed from.
    func evidenceRows(_ metric: GroupMetric, group index: Int) -> Int {
        metric.denominatorCount(stats.cells[index], all: overallCells)
    }

    /// The rates among `rates` that sit at 0 or 1 in the groups at `groups` (none of a
    /// group's rows counted, or all of them), group by group: such a rate is the same in
    /// every bootstrap replicate, so only its counts say how uncertain it is
    /// (``VerdictEvidence/countSupported(_:rates:comparison:group:reference:level:)``,
    /// docs/metrics.md, "Rates at 0 or 1"). Undefined rates are not at a bound.
    func ratesAtBound(_ rates: [GroupMetric], groups: [Int]) -> [(group: Int, rate: GroupMetric, value: Double)] {
        groups.flatMap { index in
            rates.compactMap { rate -> (group: Int, rate: GroupMetric, value: Double)? in
                guard let value = self.value(rate, group: index).number, value == 0 || value == 1 else { return nil }
                return (index, rate, value)
            }
        }
    }
}

extension GroupMetric {
    /// The rows of a group the rate is a share of, when they are some of its rows only
    /// (the actual positives for the true positive rate): how to say there are some, and
    /// that there are none. `nil` for the rates over every row of the group.
    var denominatorSubset: (rows: String, none: String)? {
        switch self {
        case .truePositiveRate, .falseNegativeRate: ("actual positives (label 1)", "no actual positives (label 1)")
        case .falsePositiveRate, .trueNegativeRate: ("actual negatives (label 0)", "no actual negatives (label 0)")
        case .positivePredictiveValue, .falseDiscoveryRate:
            ("rows the decision selects (predicted positives)", "none the decision selects (predicted positives)")
        case .negativePredictiveValue, .falseOmissionRate:
            ("rows the decision leaves unselected (predicted negatives)", "none the decision leaves unselected (predicted negatives)")
        case .meanScore: ("rows with a score", "no row with a score")
        case .count, .share, .baseRate, .selectionRate, .accuracy: nil
        }
    }
}

extension Metric {
    /// Whether the lead-queue pass (``QueueEvaluation``) measures it.
    var isQueueMetric: Bool { definition.family == .queue }

    /// Whether a decision's group statistics measure it (group rates, disparities, inequality).
    var isDecisionMetric: Bool { [.groupRate, .disparity, .inequality].contains(definition.family) }
}
