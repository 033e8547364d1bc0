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

    let dimensions: [Dimension]
    let reports: [String: AuditReport.QueueReport]
    let isLabeled: Bool

    init(data: AuditData, profile: AuditProfile, dataPath: String) throws {
        isLabeled = data.labels != nil
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
        let columns = AuditColumns(scores: data.scores, labels: data.labels, weights: data.weights,
                                   attributes: data.attributes)
        let ranking: ScoreRanking
        do {
            ranking = try ScoreRanking(columns: columns, scoreRange: profile.data.scoreRange)
        } catch let error as FairleadError {
            throw DecisionEvaluation.locate(error, dataPath: dataPath, spec: profile.data, decision: nil)
        }
        var dimensions: [Dimension] = []
        var reports: [String: AuditReport.QueueReport] = [:]
        for attributes in profile.sensitive.map({ [$0.column] }) + profile.intersections {
            let specs = attributes.compactMap { name in profile.sensitive.first { $0.column == name } }
            let policy: MissingSensitivePolicy = specs.contains { $0.missing == .exclude } ? .exclude : .ownGroup
            let grouping = try Grouping(columns: columns, attributes: attributes, missingPolicy: policy)
            var reference: ReferenceGroup? = DecisionEvaluation.reference(for: specs)
            if reference == .bestValued { reference = nil }  // a distance has no best value
            let metrics = try RankingMetrics(ranking.grouped(by: grouping),
                                             configuration: .init(cutoffs: cutoffs, reference: reference))
            let dimension = Dimension(name: attributes.joined(separator: "*"), metrics: metrics, cutoffNames: cutoffNames,
                                      minimumGroupSize: profile.settings.minimumGroupSize)
            dimensions.append(dimension)
            reports[dimension.name] = Self.report(dimension, rules: profile.rules, reference: reference)
        }
        self.dimensions = dimensions
        self.reports = reports
    }

    // MARK: - Report

    static func report(_ dimension: Dimension, rules: [AuditProfile.RuleSpec], reference: ReferenceGroup?) -> AuditReport.QueueReport {
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
                "auc": estimate(separation.auc[index]),
                "xauc_versus_rest": estimate(separation.xaucVersusRest[index]),
                "xauc_rest_versus": estimate(separation.xaucRestVersus[index]),
                "xauc_disparity": estimate(xaucDisparity[index]),
                "ks_statistic": estimate(separation.ksVersusRest[index]),
                "wasserstein_distance": estimate(separation.wassersteinVersusRest[index]),
                "expected_calibration_error": estimate(groupCalibration.expectedCalibrationError),
                "calibration_in_the_large": estimate(groupCalibration.calibrationInTheLarge),
                "brier_score": estimate(groupCalibration.brierScore),
            ]
            bins[name] = groupCalibration.bins.map {
                AuditReport.ReliabilityBinReport(lower: $0.lower, upper: $0.upper, count: $0.count,
                                                 meanScore: $0.meanScore.number, observedRate: $0.observedRate.number)
            }
        }
        var topK: [String: AuditReport.TopKReport] = [:]
        for (position, cutoff) in metrics.topK.enumerated() {
            var byGroup: [String: [String: AuditReport.Estimate]] = [:]
            for (index, name) in cutoff.groups.map(\.description).enumerated() {
                let group = cutoff.byGroup[index]
                byGroup[name] = [
                    "share_of_top_k": estimate(group.shareOfTopK),
                    "share_of_population": estimate(group.shareOfPopulation),
                    "selection_rate_at_k": estimate(group.selectionRate),
                    "precision_at_k": estimate(group.precision),
                    "recall_at_k": estimate(group.recall),
                    "skew_at_k": estimate(group.skew),
                    "exposure_share": estimate(group.exposureShare),
                    "exposure_ratio": estimate(group.exposureRatio),
                ]
            }
            topK[dimension.cutoffNames[position]] = AuditReport.TopKReport(
                k: cutoff.k,
                metrics: ["ndkl": estimate(cutoff.ndkl), "min_skew_at_k": estimate(cutoff.minSkew),
                          "max_skew_at_k": estimate(cutoff.maxSkew), "exposure_disparity": estimate(cutoff.exposureDisparity),
                          "precision_at_k": estimate(cutoff.precision), "recall_at_k": estimate(cutoff.recall)],
                groups: byGroup)
        }
        var ranges: [String: [[Double]]] = [:]
        for rule in rules where rule.attributes.map({ $0.contains(dimension.name) }) ?? true {
            guard let sweepRule = sweepRule(for: rule, reference: reference),
                  let found = try? metrics.sweep.ranges(where: sweepRule) else { continue }
            ranges[rule.expression] = found.map { [$0.lowerBound, $0.upperBound] }
        }
        return AuditReport.QueueReport(
            referenceGroup: separation.referenceIndex.map { groupNames[$0] },
            groups: groups, calibrationBins: bins, topK: topK,
            fairness: ["auc_difference": estimate(separation.aucDifference),
                       "max_xauc_disparity": estimate(separation.maximumXAUCDisparity),
                       "expected_calibration_error_difference": estimate(calibration.expectedCalibrationErrorDifference),
                       "brier_score_difference": estimate(calibration.brierScoreDifference),
                       "calibration_in_the_large_difference": estimate(calibration.calibrationInTheLargeDifference)],
            thresholdRanges: ranges)
    }

    /// The score-threshold form of a rule, for the rules that have one.
    static func sweepRule(for rule: AuditProfile.RuleSpec, reference: ReferenceGroup?) -> SweepRule? {
        let comparison: SweepRule.Comparison = rule.comparison == .atLeast || rule.comparison == .greaterThan ? .atLeast : .atMost
        let reference = reference ?? .largest
        let parts: (SweepRate, SweepRule.Statistic)
        switch rule.metric {
        case "disparate_impact": parts = (.selectionRate, .ratioToReference(reference))
        case "statistical_parity_difference": parts = (.selectionRate, .differenceToReference(reference))
        case "demographic_parity_difference": parts = (.selectionRate, .differenceBetweenGroups)
        case "demographic_parity_ratio": parts = (.selectionRate, .ratioBetweenGroups)
        case "equal_opportunity_difference": parts = (.truePositiveRate, .differenceBetweenGroups)
        case "equal_opportunity_ratio": parts = (.truePositiveRate, .ratioBetweenGroups)
        default: return nil
        }
        return SweepRule(rate: parts.0, statistic: parts.1, comparison: comparison, bound: rule.bound)
    }

    static func estimate(_ value: MetricValue) -> AuditReport.Estimate {
        AuditReport.Estimate(value: value.number, undefinedReason: value.undefinedReason?.rawValue)
    }
}

extension QueueEvaluation {
    /// The profile's rules on lead-queue metrics: per group or per attribute, threshold-free
    /// (decision `queue`) or at each top-k decision's cutoff.
    func findings(rules: [AuditProfile.RuleSpec], metrics: [RuleMetric]) -> [AuditReport.Finding] {
        var findings: [AuditReport.Finding] = []
        for (rule, metric) in zip(rules, metrics) {
            guard case .queue(let queueMetric) = metric else { continue }
            for dimension in dimensions where rule.attributes.map({ $0.contains(dimension.name) }) ?? true {
                guard let report = reports[dimension.name] else { continue }
                let counts = dimension.metrics.ranking.counts
                let groupNames = dimension.metrics.separation.groups.map(\.description)
                func finding(decision: String, group: String?, estimate: AuditReport.Estimate?, rows: Int?) -> AuditReport.Finding {
                    var verdict: AuditReport.Verdict = .insufficientEvidence
                    var reason: String
                    if queueMetric.needsLabels && !isLabeled {
                        reason = "\(rule.metric) needs labels; the data has no label column"
                    } else if let rows, rows < dimension.minimumGroupSize {
                        reason = "group '\(group ?? "")' has \(rows) rows, under the minimum of \(dimension.minimumGroupSize)"
                    } else if let value = estimate?.value {
                        let holds = rule.comparison.holds(value, rule.bound)
                        verdict = holds ? .pass : .fail
                        reason = holds ? "\(value) \(rule.comparison.rawValue) \(rule.bound)"
                                       : "\(value) is not \(rule.comparison.rawValue) \(rule.bound)"
                    } else {
                        reason = "undefined: \(estimate?.undefinedReason ?? "no value")"
                    }
                    return AuditReport.Finding(rule: rule.expression, metric: rule.metric, decision: decision,
                                               attribute: dimension.name, group: group, value: estimate?.value,
                                               interval: nil, verdict: verdict, reason: reason)
                }
                let cutoffs: [(name: String, groups: [String: [String: AuditReport.Estimate]], metrics: [String: AuditReport.Estimate])]
                if queueMetric.isTopK {
                    cutoffs = dimension.cutoffNames.compactMap { name in
                        guard rule.decisions.map({ $0.contains(name) }) ?? true, let top = report.topK[name] else { return nil }
                        return (name, top.groups, top.metrics)
                    }
                } else {
                    cutoffs = [("queue", report.groups, report.fairness)]
                }
                for cutoff in cutoffs {
                    if queueMetric.isPerGroup {
                        for (index, name) in groupNames.enumerated() where counts[index] > 0 {
                            findings.append(finding(decision: cutoff.name, group: name,
                                                    estimate: cutoff.groups[name]?[rule.metric], rows: counts[index]))
                        }
                    } else {
                        findings.append(finding(decision: cutoff.name, group: nil, estimate: cutoff.metrics[rule.metric], rows: nil))
                    }
                }
            }
        }
        return findings
    }
}
