import FairleadCore

/// The lead-queue metrics of an audit (docs/metrics.md, "Lead-queue metrics"): one
/// ranking of the scores, then per attribute and intersection the threshold-free
/// separation and calibration, the top-k shares and exposure at each top-k decision's
/// cutoff, and the score thresholds at which the profile's rules hold.
struct QueueEvaluation {
    struct Dimension {
        var name: String
        var metrics: RankingMetrics
        /// The decision name of each top-k cutoff, parallel to `metrics.topK`.
        var cutoffNames: [String]
        var minimumGroupSize: Int
    }

    /// What judging the rules needs of each dimension; the dimensions' rank-ordered group
    /// codes are let go as soon as their metrics are reported.
    let summaries: [FindingsDimension]
    let reports: [String: AuditReport.QueueReport]
    let isLabeled: Bool
    /// Why calibration metrics do not apply (scores that are not probabilities).
    let probabilityShortfall: String?

    /// The queue of `data`'s scores, sorted on up to `threads` threads: what every
    /// dimension and the report's score distribution are read from. Its scores in rank
    /// order are left to the caller (``ScoreRanking/gatherScores(from:threads:)``), so
    /// that the row-ordered ones can go right after, and the two are never held beside
    /// the decisions' work.
    static func rank(data: AuditData, profile: AuditProfile, dataPath: String, threads: Int) throws -> ScoreRanking {
        let columns = AuditColumns(scores: data.scores, labelColumn: data.labels, weights: data.weights,
                                   attributes: data.attributes)
        do {
            return try ScoreRanking(columns: columns, scoreRange: profile.data.scoreRange, threads: threads,
                                    deferringScores: true)
        } catch let error as FairleadError {
            throw DecisionEvaluation.locate(error, dataPath: dataPath, profile: profile, decision: nil, records: data.sourceRecords)
        }
    }

    /// The metrics of every attribute and intersection of `profile` on `ranking`, the
    /// audit's queue (``rank(data:profile:dataPath:threads:)``, its scores gathered), on up
    /// to `threads` threads; the same on any number.
    init(ranking: ScoreRanking, profile: AuditProfile, scale: ScoreScale, threads: Int) throws {
        isLabeled = ranking.isLabeled
        probabilityShortfall = scale.notProbabilities
        var cutoffs: [RankingCutoff] = []
        var cutoffNames: [String] = []
        for decision in profile.decisions {
            switch decision.kind {
            case .topCount(let count): cutoffs.append(.count(count)); cutoffNames.append(decision.name)
            case .topFraction(let fraction): cutoffs.append(.fraction(fraction)); cutoffNames.append(decision.name)
            default: break
            }
        }
        if cutoffs.isEmpty {
            cutoffs = [.fraction(0.1)]
            cutoffNames = ["top_10pct"]
        }
        let columns = ranking.columns
        // The ranked scores are every present one, highest first.
        let ranked = ranking.rankedCount
        let observed = ranked > 0 ? ranking.score(atPosition: ranked - 1)...ranking.score(atPosition: 0) : nil
        // The dimensions are independent: `threads` of them at a time, each reported and
        // let go (its rank-ordered codes) before the next one starts on its thread.
        let dimensions = profile.sensitive.map { [$0.column] } + profile.intersections
        let done = try Concurrently.map(count: dimensions.count, threads: threads) { index in
            let attributes = dimensions[index]
            let specs = attributes.compactMap { name in profile.sensitive.first { $0.column == name } }
            let grouping = try Grouping(columns: columns, attributes: attributes, missingPolicies: profile.missingPolicies(for: attributes),
                                        maxGroups: profile.limits.maxGroups)
            var reference: ReferenceGroup? = DecisionEvaluation.reference(for: specs)
            if reference == .bestValued { reference = nil }  // a distance has no best value
            let metrics = try RankingMetrics(ranking.grouped(by: grouping, threads: threads),
                                             configuration: .init(cutoffs: cutoffs, sweepGrid: scale.sweepGrid, reference: reference),
                                             threads: threads)
            let dimension = Dimension(name: attributes.joined(separator: "*"), metrics: metrics, cutoffNames: cutoffNames,
                                      minimumGroupSize: profile.settings.minimumGroupSize)
            return (summary: Self.summary(of: dimension),
                    report: Self.report(dimension, rules: profile.rules, reference: reference,
                                        level: profile.settings.intervalLevel,
                                        notProbabilities: scale.notProbabilities,
                                        decisive: { scale.decisiveRange($0, observed: observed) }))
        }
        let summaries = done.map(\.summary)
        let reports = Dictionary(done.map { ($0.summary.name, $0.report) }, uniquingKeysWith: { _, last in last })
        self.summaries = summaries
        self.reports = reports
    }

    // MARK: - Report

    static func report(_ dimension: Dimension, rules: [AuditProfile.RuleSpec], reference: ReferenceGroup?,
                       level: Double, notProbabilities: String?, decisive: (ClosedRange<Double>) -> ClosedRange<Double>? = { $0 })
        -> AuditReport.QueueReport {
        /// Calibration compares scores with rates: only for probability scores.
        func calibrated(_ value: MetricValue) -> AuditReport.Estimate {
            notProbabilities == nil ? estimate(value) : AuditReport.Estimate(value: nil, undefinedReason: "not_probabilities")
        }
        let metrics = dimension.metrics
        let separation = metrics.separation
        let calibration = metrics.calibration
        let groupNames = separation.groups.map(\.description)
        var groups: [String: [String: AuditReport.Estimate]] = [:]
        var bins: [String: [AuditReport.ReliabilityBinReport]] = [:]
        let xaucDisparity = separation.xaucDisparity
        for (index, name) in groupNames.enumerated() {
            let groupCalibration = calibration.byGroup[index]
            groups[name] = [
                Metric.auc.rawValue: estimate(separation.auc[index]),
                Metric.xaucVersusRest.rawValue: estimate(separation.xaucVersusRest[index]),
                Metric.xaucRestVersus.rawValue: estimate(separation.xaucRestVersus[index]),
                Metric.xaucDisparity.rawValue: estimate(xaucDisparity[index]),
                Metric.ksStatistic.rawValue: estimate(separation.ksVersusRest[index]),
                Metric.wassersteinDistance.rawValue: estimate(separation.wassersteinVersusRest[index]),
                Metric.expectedCalibrationError.rawValue: calibrated(groupCalibration.expectedCalibrationError),
                Metric.calibrationInTheLarge.rawValue: calibrated(groupCalibration.calibrationInTheLarge),
                Metric.brierScore.rawValue: calibrated(groupCalibration.brierScore),
            ]
            bins[name] = notProbabilities != nil ? [] : groupCalibration.bins.map {
                AuditReport.ReliabilityBinReport(lower: $0.lower, upper: $0.upper, count: $0.count,
                                                 meanScore: $0.meanScore.number, observedRate: $0.observedRate.number)
            }
        }
        var topK: [String: AuditReport.TopKReport] = [:]
        for (position, cutoff) in metrics.topK.enumerated() {
            var byGroup: [String: [String: AuditReport.Estimate]] = [:]
            for (index, name) in cutoff.groups.map(\.description).enumerated() {
                let group = cutoff.byGroup[index]
                /// A proportion of rows, with its Wilson interval at the settings' level and its
                /// weighted numerator and denominator, as a decision's group rates have.
                func rate(_ metric: Metric) -> AuditReport.Estimate {
                    guard let rate = metric.topKRate else { preconditionFailure("\(metric) is not a top-k rate") }
                    var result = estimate(group.value(rate))
                    result.interval = group.wilsonInterval(rate, level: level).map { [$0.lower, $0.upper] }
                    if let fraction = group.fraction(rate) {
                        (result.numerator, result.denominator) = (fraction.numerator, fraction.denominator)
                    }
                    return result
                }
                byGroup[name] = [
                    Metric.shareOfTopK.rawValue: rate(.shareOfTopK),
                    Metric.shareOfPopulation.rawValue: estimate(group.shareOfPopulation),
                    Metric.selectionRateAtK.rawValue: rate(.selectionRateAtK),
                    Metric.precisionAtK.rawValue: rate(.precisionAtK),
                    Metric.recallAtK.rawValue: rate(.recallAtK),
                    Metric.skewAtK.rawValue: estimate(group.skew),
                    Metric.exposureShare.rawValue: estimate(group.exposureShare),
                    Metric.exposureRatio.rawValue: estimate(group.exposureRatio),
                ]
            }
            topK[dimension.cutoffNames[position]] = AuditReport.TopKReport(
                k: cutoff.k,
                metrics: [Metric.ndkl.rawValue: estimate(cutoff.ndkl), Metric.minSkewAtK.rawValue: estimate(cutoff.minSkew),
                          Metric.maxSkewAtK.rawValue: estimate(cutoff.maxSkew), Metric.exposureDisparity.rawValue: estimate(cutoff.exposureDisparity),
                          Metric.precisionAtK.rawValue: estimate(cutoff.precision), Metric.recallAtK.rawValue: estimate(cutoff.recall)],
                groups: byGroup, tieAtCutoff: cutoff.tieAtCutoff.map(AuditReport.TieAtCutoffInfo.init))
        }
        var ranges: [String: [[Double]]] = [:]
        for rule in rules where rule.attributes.map({ $0.contains(dimension.name) }) ?? true {
            guard let sweepRule = sweepRule(for: rule, reference: reference),
                  let found = try? metrics.sweep.ranges(where: sweepRule) else { continue }
            let kept = found.compactMap { decisive($0) }
            if !kept.isEmpty { ranges[rule.expression] = kept.map { [$0.lowerBound, $0.upperBound] } }
        }
        return AuditReport.QueueReport(
            referenceGroup: separation.referenceIndex.map { groupNames[$0] },
            groups: groups, calibrationBins: bins, topK: topK,
            fairness: [Metric.aucDifference.rawValue: estimate(separation.aucDifference),
                       Metric.maxXAUCDisparity.rawValue: estimate(separation.maximumXAUCDisparity),
                       Metric.expectedCalibrationErrorDifference.rawValue: calibrated(calibration.expectedCalibrationErrorDifference),
                       Metric.brierScoreDifference.rawValue: calibrated(calibration.brierScoreDifference),
                       Metric.calibrationInTheLargeDifference.rawValue: calibrated(calibration.calibrationInTheLargeDifference)],
            thresholdRanges: ranges)
    }

    /// The score-threshold form of a rule, for the rules that have one: a comparison of
    /// one rate that a threshold sweep can recompute (selection rate, true or false
    /// positive rate), between groups or against the reference group.
    static func sweepRule(for rule: AuditProfile.RuleSpec, reference: ReferenceGroup?) -> SweepRule? {
        let definition = rule.metric.definition
        guard definition.components.count == 1, let rate = SweepRate(rawValue: definition.components[0].rawValue) else { return nil }
        let comparison: SweepRule.Comparison = rule.comparison == .atLeast || rule.comparison == .greaterThan ? .atLeast : .atMost
        let reference = reference ?? .largest
        let statistic: SweepRule.Statistic
        switch (definition.comparison, definition.location) {
        case (.differenceBetweenGroups?, _): statistic = .differenceBetweenGroups
        case (.ratioBetweenGroups?, _): statistic = .ratioBetweenGroups
        case (.versusReference?, .toReference(_, ratio: true)): statistic = .ratioToReference(reference)
        case (.versusReference?, .toReference(_, ratio: false)): statistic = .differenceToReference(reference)
        default: return nil
        }
        return SweepRule(rate: rate, statistic: statistic, comparison: comparison, bound: rule.bound)
    }

    static func estimate(_ value: MetricValue) -> AuditReport.Estimate {
        AuditReport.Estimate(value: value.number, undefinedReason: value.undefinedReason?.rawValue)
    }
}

extension QueueEvaluation {
    /// The profile's rules on lead-queue metrics, measured per group or per attribute,
    /// threshold-free (decision `queue`) or at each top-k decision's cutoff, and judged
    /// by ``FindingJudge``.
    func findings(rules: [AuditProfile.RuleSpec], mode: AuditProfile.VerdictMode, level: Double) -> [AuditReport.Finding] {
        Self.findings(rules: rules, mode: mode, level: level, dimensions: summaries, reports: reports, isLabeled: isLabeled,
                             probabilityShortfall: probabilityShortfall, fromGrid: nil)
    }

    /// What judging a rule needs of one attribute or intersection, however its queue
    /// metrics were computed (from the rows, or from a score grid).
    struct FindingsDimension {
        var name: String
        var groupNames: [String]
        /// Counted rows per group, parallel to `groupNames`.
        var counts: [Int]
        /// Counted rows with y = 1 per group (0 without labels).
        var positiveCounts: [Int]
        /// Per side (all counted rows, actual positives, actual negatives): each group's
        /// effective rows, and all other groups' together, the rest a group is compared
        /// with (``GroupedRanking/evidence(_:)``): rows when unweighted, fewer when the
        /// weight sits on a few of them.
        var evidence: [GroupedRanking.EvidenceSide: (own: [Int], rest: [Int])]
        /// Per top-k cutoff, each group's counted rows among the first k (precision@k's
        /// denominator); from a score grid, the rows certainly among them.
        var selectedCounts: [[Int]]
        var cutoffNames: [String]
        /// Per top-k cutoff, why no rule can be judged at it; `nil` when one can.
        var cutoffShortfalls: [CutoffShortfall?]
        var minimumGroupSize: Int
        /// Per top-k cutoff, each group's values with what their Wilson intervals rest on;
        /// `nil` from a score grid, which does not hold the rows of the cutoff cell.
        var topKGroups: [[TopKMetrics.Group]]? = nil
    }

    /// Why the values at a top-k cutoff decide no rule: a k that takes every ranked row
    /// (`selects_all_or_none`), or a cut through tied scores (`tied_at_cutoff`).
    struct CutoffShortfall {
        var cause: AuditReport.UndecidedCause
        var reason: String
        /// What would let them decide, when something would.
        var remedy: String?

        /// A k of `k` that takes every one of the `ranked` rows, if it does.
        static func takesEvery(k: Int, ranked: Int) -> CutoffShortfall? {
            guard ranked > 0, k >= ranked else { return nil }
            return .init(cause: .selectsAllOrNone, reason: "top_k \(k) takes every one of the \(ranked) ranked rows; it compares no groups")
        }

        /// A cut through tied scores (``TopKMetrics/tieAtCutoff``), if there is one.
        static func tied(_ tie: TieAtCutoff?) -> CutoffShortfall? {
            guard let tie else { return nil }
            return .init(cause: .tiedAtCutoff,
                         reason: "the top k cuts through \(tie.tied) rows tied at score \(FindingJudge.format(tie.score)) and takes "
                            + "\(tie.taken) of them in row order: which rows are in the top k, and each group's values at k, "
                            + "follow the rows' order, not their scores",
                         remedy: "scores that tell the tied rows apart, or a k that falls between two scores, would decide it")
        }
    }

    /// The findings of the rules on lead-queue metrics. `fromGrid` names the score grid
    /// the values come from: a value whose grid bound straddles the rule's bound, or that
    /// the grid cannot bound, is insufficient evidence.
    static func findings(rules: [AuditProfile.RuleSpec], mode: AuditProfile.VerdictMode, level: Double, dimensions: [FindingsDimension],
                         reports: [String: AuditReport.QueueReport], isLabeled: Bool, probabilityShortfall: String?,
                         fromGrid grid: ScoreGrid?) -> [AuditReport.Finding] {
        var findings: [AuditReport.Finding] = []
        for rule in rules where rule.metric.isQueueMetric {
            let metric = rule.metric
            let definition = metric.definition
            for dimension in dimensions where rule.attributes.map({ $0.contains(dimension.name) }) ?? true {
                guard let report = reports[dimension.name] else { continue }
                let counts = dimension.counts
                let groupNames = dimension.groupNames
                func measured(decision: String, index: Int?, estimate: AuditReport.Estimate?,
                              cutoffShortfall: CutoffShortfall?, cutoffPosition: Int?) -> MeasuredValue {
                    var result = MeasuredValue(decision: decision, attribute: dimension.name, group: index.map { groupNames[$0] },
                                               value: estimate?.value, undefinedReason: estimate?.undefinedReason)
                    if definition.needs.contains(.labels) && !isLabeled {
                        result.shortfall = .init(.noLabels, "\(metric) needs labels; the data has no label column")
                        result.wouldDecide = FindingJudge.remedy(forUndefined: UndefinedReason.labelsAbsent.rawValue, group: nil)
                    } else if definition.needs.contains(.probabilities), let notProbabilities = probabilityShortfall {
                        result.shortfall = .init(.notApplicable, "\(metric) is not applicable: \(notProbabilities)")
                        result.wouldDecide = "only probability scores (a score_range within [0, 1]) can decide it"
                    } else if let cutoffShortfall {
                        result.shortfall = .init(cutoffShortfall.cause, cutoffShortfall.reason)
                        result.wouldDecide = cutoffShortfall.remedy
                    } else if let index, let short = dimension.shortfall(group: index, for: metric, cutoff: cutoffPosition) {
                        result.shortfall = .init(.tooFewRows, short.reason)
                        result.wouldDecide = short.remedy
                    } else if grid != nil, mode == .interval, metric.topKRate != nil {
                        result.shortfall = .init(.scoreGrid, "from the score grid, \(metric) carries no interval: the grid does not hold which rows "
                            + "of the cutoff cell are in the top k, nor their squared weights")
                        result.wouldDecide = "settings.verdict: point (judged on the grid bound) or an audit of the rows would decide it"
                    } else if let grid, let value = estimate?.value {
                        let finer = "a finer statistics.score_grid (now \(grid.bins) cells) or an audit of the rows would decide it"
                        if let bound = estimate?.gridBound, bound.count == 2 {
                            if rule.comparison.holds(bound[0], rule.bound) != rule.comparison.holds(bound[1], rule.bound) {
                                result.shortfall = .init(.scoreGrid, "from the score grid, \(FindingJudge.format(value)) with the row-level value within [\(FindingJudge.format(bound[0])), \(FindingJudge.format(bound[1]))], which straddles \(FindingJudge.format(rule.bound))")
                                result.wouldDecide = finer
                            }
                        } else {
                            result.shortfall = .init(.scoreGrid, "from the score grid, \(FindingJudge.format(value)) has no finite bound on the row-level value")
                            result.wouldDecide = finer
                        }
                    }
                    return result
                }
                var cutoffs: [(name: String, groups: [String: [String: AuditReport.Estimate]],
                               metrics: [String: AuditReport.Estimate], shortfall: CutoffShortfall?, position: Int?)] = []
                if metric.isAtTopKCutoff {
                    for (position, name) in dimension.cutoffNames.enumerated() {
                        guard rule.decisions.map({ $0.contains(name) }) ?? true, let top = report.topK[name] else { continue }
                        cutoffs.append((name, top.groups, top.metrics, dimension.cutoffShortfalls[position], position))
                    }
                } else {
                    cutoffs = [("queue", report.groups, report.fairness, nil, nil)]
                }
                // A value that compares groups, over one group (or none), compares nothing:
                // a difference of 0, a ratio or share of 1, that no group earned.
                let withRows = groupNames.indices.filter { counts[$0] > 0 }
                func nothingToCompare(_ value: inout MeasuredValue) {
                    guard value.shortfall == nil, withRows.count < 2 else { return }
                    value.shortfall = .init(.nothingToCompare, withRows.count == 1
                        ? "only one group ('\(groupNames[withRows[0]])') has rows: \(metric) compares groups, and there is nothing to compare"
                        : "no group has rows: nothing to compare")
                    if withRows.count == 1 { value.namedGroups = [groupNames[withRows[0]]] }
                    value.wouldDecide = "rows of a second group would decide it"
                }
                for cutoff in cutoffs {
                    if definition.scope == .perGroup, metric.comparesAGroupWithTheRest, withRows.count < 2 {
                        let index = withRows.first
                        var value = measured(decision: cutoff.name, index: index,
                                             estimate: index.flatMap { cutoff.groups[groupNames[$0]]?[metric.rawValue] },
                                             cutoffShortfall: cutoff.shortfall, cutoffPosition: cutoff.position)
                        nothingToCompare(&value)
                        findings.append(FindingJudge.finding(rule, value, mode: mode))
                    } else if definition.scope == .perGroup {
                        let judged = withRows
                        // As the decisions' group rates: each group's Wilson interval at the
                        // Bonferroni level over the groups judged.
                        let verdictLevel = VerdictEvidence.simultaneousLevel(level, comparisons: judged.count)
                        for index in judged {
                            let name = groupNames[index]
                            var value = measured(decision: cutoff.name, index: index, estimate: cutoff.groups[name]?[metric.rawValue],
                                                 cutoffShortfall: cutoff.shortfall, cutoffPosition: cutoff.position)
                            if let rate = metric.topKRate, let position = cutoff.position,
                               let group = dimension.topKGroups?[position][index] {
                                value.interval = cutoff.groups[name]?[metric.rawValue]?.interval
                                value.verdictInterval = group.wilsonInterval(rate, level: verdictLevel).map { [$0.lower, $0.upper] }
                                value.wouldDecide = value.wouldDecide ?? VerdictEvidence.rowsToDecide(
                                    value: value.value, interval: value.verdictInterval, rule: rule,
                                    rows: counts[index], scope: .group(name))
                            }
                            findings.append(FindingJudge.finding(rule, value, mode: mode))
                        }
                    } else {
                        var value = measured(decision: cutoff.name, index: nil, estimate: cutoff.metrics[metric.rawValue],
                                             cutoffShortfall: cutoff.shortfall, cutoffPosition: cutoff.position)
                        nothingToCompare(&value)
                        if value.shortfall == nil {
                            dimension.setAsideSmallGroups(&value, rule: rule, groupValues: cutoff.groups, grid: grid,
                                                          cutoff: cutoff.position)
                        }
                        findings.append(FindingJudge.finding(rule, value, mode: mode))
                    }
                }
            }
        }
        return findings
    }

    /// What judging the rules needs of `dimension`.
    private static func summary(of dimension: Dimension) -> FindingsDimension {
        FindingsDimension(name: dimension.name, groupNames: dimension.metrics.separation.groups.map(\.description),
                          counts: dimension.metrics.ranking.counts, positiveCounts: dimension.metrics.ranking.positiveCounts,
                          evidence: Dictionary(uniqueKeysWithValues: [GroupedRanking.EvidenceSide.all, .positives, .negatives].map {
                              ($0, dimension.metrics.ranking.evidence($0))
                          }),
                          selectedCounts: dimension.metrics.topK.map { $0.byGroup.map(\.countInTopK) },
                          cutoffNames: dimension.cutoffNames,
                          cutoffShortfalls: dimension.cutoffNames.indices.map { cutoffShortfall(dimension, position: $0) },
                          minimumGroupSize: dimension.minimumGroupSize,
                          topKGroups: dimension.metrics.topK.map(\.byGroup))
    }

    /// A cutoff that takes every ranked row compares no groups; one that cuts through
    /// tied scores decides nothing.
    private static func cutoffShortfall(_ dimension: Dimension, position: Int) -> CutoffShortfall? {
        let top = dimension.metrics.topK[position]
        return CutoffShortfall.takesEvery(k: top.k, ranked: dimension.metrics.ranking.counts.reduce(0, +))
            ?? CutoffShortfall.tied(top.tieAtCutoff)
    }
}

extension Metric {
    /// A per-group queue metric that measures a group against the others or the whole
    /// (a ranking across groups, a distance between score distributions, a share against
    /// the population's): with one group it is parity by construction, not by evidence.
    var comparesAGroupWithTheRest: Bool {
        switch self {
        case .xaucVersusRest, .xaucRestVersus, .xaucDisparity, .ksStatistic, .wassersteinDistance, .skewAtK, .exposureRatio:
            return true
        default:
            return false
        }
    }
}
