import FairleadCore

extension GridQueue {
    /// The cutoff of the top-k queue metrics from a grid: profiles with a top-k decision are
    /// refused from statistics, so it is always the default of an audit of rows.
    static let cutoff = (name: "top_10pct", fraction: 0.1)

    /// The report's lead-queue section from a merged part's score histograms, and what
    /// judging the rules on it needs.
    static func section(merged: StatisticsPart, profile: AuditProfile, grid: ScoreGrid, notProbabilities: String?)
        throws -> (reports: [String: AuditReport.QueueReport], dimensions: [QueueEvaluation.FindingsDimension]) {
        guard let histograms = merged.histograms, let decision = merged.decisions.first else { return ([:], []) }
        var reports: [String: AuditReport.QueueReport] = [:]
        var dimensions: [QueueEvaluation.FindingsDimension] = []
        for (index, histogram) in histograms.enumerated() {
            let part = decision.groupings[index]
            let grouping = try Grouping(attributes: part.attributes, levels: part.levels, hasMissing: part.hasMissing,
                                        missingPolicies: profile.missingPolicies(for: part.attributes),
                                        maxGroups: profile.limits.maxGroups)
            let queue = try GridQueue(histogram: histogram, grouping: grouping, grid: grid, isLabeled: merged.labelled,
                                      isWeighted: profile.data.weight != nil)
            let name = part.attributes.joined(separator: "*")
            let specs = part.attributes.compactMap { attribute in profile.sensitive.first { $0.column == attribute } }
            let report = queue.report(reference: DecisionEvaluation.reference(for: specs), notProbabilities: notProbabilities)
            reports[name] = report
            let ranked = queue.counts.reduce(0, +) + Int(queue.uncounted.values.reduce(0, +))
            let k = report.topK[cutoff.name]?.k ?? 0
            let evidence = Self.evidence(of: part, grouping: grouping, counts: queue.counts)
            dimensions.append(QueueEvaluation.FindingsDimension(
                name: name, groupNames: queue.groupNames, counts: queue.counts, positiveCounts: evidence.positiveCounts,
                evidence: evidence.sides, selectedCounts: [queue.topK(fraction: cutoff.fraction).selectedRowsAtLeast],
                cutoffNames: [cutoff.name],
                // No tie to mark: the value splits the cutoff cell in proportion and the bound
                // takes every choice of its rows, so neither depends on the row order.
                cutoffShortfalls: [QueueEvaluation.CutoffShortfall.takesEvery(k: k, ranked: ranked)],
                minimumGroupSize: profile.settings.minimumGroupSize))
        }
        return (reports, dimensions)
    }

    /// Per side (all rows, actual positives, actual negatives), each group's effective
    /// rows and the rest's (``GroupedRanking/effectiveRows(ownAndRest:)``).
    /// The histograms carry no Σw², so they are the first decision's cells': the same
    /// counted rows (a score, a label when labelled, a group), never more than the
    /// histogram's `counts`.
    static func evidence(of part: StatisticsPart.GroupingPart, grouping: Grouping, counts: [Int])
        -> (sides: [GroupedRanking.EvidenceSide: (own: [Int], rest: [Int])], positiveCounts: [Int]) {
        var cells = [ConfusionCells](repeating: ConfusionCells(), count: grouping.groupCount)
        for group in part.groups {
            if let index = grouping.index(of: GroupKey(group.group)) { cells[index] = group.cells }
        }
        func side(_ parts: [CellStats], capped cap: [Int]) -> (own: [Int], rest: [Int]) {
            let found = GroupedRanking.effectiveRows(ownAndRest: parts), capTotal = cap.reduce(0, +)
            return (zip(found.own, cap).map { min($0, $1) }, parts.indices.map { min(found.rest[$0], capTotal - cap[$0]) })
        }
        let all = cells.map { $0.truePositives + $0.falsePositives + $0.trueNegatives + $0.falseNegatives }
        let positives = cells.map { $0.truePositives + $0.falseNegatives }
        let negatives = cells.map { $0.falsePositives + $0.trueNegatives }
        let positiveCounts = zip(positives, counts).map { min($0.count, $1) }
        return ([.all: side(all, capped: counts), .positives: side(positives, capped: positiveCounts),
                 .negatives: side(negatives, capped: zip(counts, positiveCounts).map { $0 - $1 })], positiveCounts)
    }

    /// The report's estimates of `values`, each bound cut to its metric's range.
    private func estimates(_ values: [(metric: Metric, value: Bounded)]) -> [String: AuditReport.Estimate] {
        Dictionary(uniqueKeysWithValues: values.map { ($0.metric.rawValue, $0.value.clamped(to: $0.metric).estimate) })
    }

    func report(reference: ReferenceGroup, notProbabilities: String?) -> AuditReport.QueueReport {
        func calibrated(_ value: MetricValue) -> AuditReport.Estimate {
            guard notProbabilities == nil else { return AuditReport.Estimate(value: nil, undefinedReason: "not_probabilities") }
            return value.number.map { Bounded.exact($0).estimate } ?? Bounded(value: value, low: .nan, high: .nan).estimate
        }
        let notFromGrid = AuditReport.Estimate(value: nil, undefinedReason: Self.needsRows)
        var groupsReport: [String: [String: AuditReport.Estimate]] = [:]
        var bins: [String: [AuditReport.ReliabilityBinReport]] = [:]
        var aucs: [Bounded] = [], disparities: [Bounded] = []
        var calibrations: [(ece: MetricValue, citl: MetricValue, brier: MetricValue)] = []
        for (index, name) in groupNames.enumerated() {
            let separation = separation(index)
            let calibration = calibration(index)
            let disparity: Bounded
            if let a = separation.versusRest.value.number, let b = separation.restVersus.value.number {
                disparity = Bounded(value: .value(a - b), low: separation.versusRest.low - separation.restVersus.high,
                                    high: separation.versusRest.high - separation.restVersus.low)
            } else {
                disparity = .undefined(separation.versusRest.value.undefinedReason == nil && separation.restVersus.value.undefinedReason == nil
                                       ? .undefinedOperand : (isLabeled ? .undefinedOperand : .labelsAbsent))
            }
            aucs.append(separation.auc)
            disparities.append(disparity)
            calibrations.append((calibration.ece, calibration.citl, calibration.brier))
            groupsReport[name] = [
                Metric.auc.rawValue: separation.auc.estimate,
                Metric.xaucVersusRest.rawValue: separation.versusRest.estimate,
                Metric.xaucRestVersus.rawValue: separation.restVersus.estimate,
                Metric.xaucDisparity.rawValue: disparity.estimate,
                Metric.ksStatistic.rawValue: separation.ks.estimate,
                Metric.wassersteinDistance.rawValue: separation.wasserstein.estimate,
                Metric.expectedCalibrationError.rawValue: calibrated(calibration.ece),
                Metric.calibrationInTheLarge.rawValue: calibrated(calibration.citl),
                Metric.brierScore.rawValue: calibrated(calibration.brier),
            ]
            bins[name] = notProbabilities != nil ? [] : calibration.bins
        }
        // Between groups: max − min lies in [max(0, max low − min high), max high − min low].
        func difference(_ values: [Bounded]) -> Bounded {
            let defined = values.filter { $0.value.isDefined }
            guard let high = defined.compactMap(\.value.number).max(), let low = defined.compactMap(\.value.number).min() else {
                return .undefined(.noDefinedGroups)
            }
            return Bounded(value: .value(high - low), low: max(0, defined.map(\.low).max()! - defined.map(\.high).min()!),
                           high: defined.map(\.high).max()! - defined.map(\.low).min()!)
        }
        let absolute = disparities.map { value -> Bounded in
            guard let number = value.value.number else { return value }
            let low = value.low > 0 ? value.low : (value.high < 0 ? -value.high : 0)
            return Bounded(value: .value(abs(number)), low: low, high: max(abs(value.low), abs(value.high)))
        }
        let definedAbsolute = absolute.filter { $0.value.isDefined }
        let maxDisparity = definedAbsolute.isEmpty ? Bounded.undefined(.noDefinedGroups)
            : Bounded(value: .value(definedAbsolute.compactMap(\.value.number).max()!), low: definedAbsolute.map(\.low).max()!,
                      high: definedAbsolute.map(\.high).max()!)
        let top = topK(fraction: Self.cutoff.fraction)
        var topGroups: [String: [String: AuditReport.Estimate]] = [:]
        for (index, name) in groupNames.enumerated() {
            topGroups[name] = estimates([
                (.shareOfTopK, top.shareOfTopK[index]), (.shareOfPopulation, top.shareOfPopulation[index]),
                (.selectionRateAtK, top.selectionRate[index]), (.precisionAtK, top.precision[index]),
                (.recallAtK, top.recall[index]), (.skewAtK, top.skew[index]),
            ]).merging([Metric.exposureShare.rawValue: notFromGrid, Metric.exposureRatio.rawValue: notFromGrid]) { $1 }
        }
        let topReport = AuditReport.TopKReport(
            k: top.k,
            metrics: estimates([(.minSkewAtK, top.minSkew), (.maxSkewAtK, top.maxSkew), (.precisionAtK, top.overallPrecision),
                                (.recallAtK, top.overallRecall)])
                .merging([Metric.ndkl.rawValue: notFromGrid, Metric.exposureDisparity.rawValue: notFromGrid]) { $1 },
            groups: topGroups)
        let referenceName: String?
        switch reference {
        case .named(let key): referenceName = groupNames.contains(key.description) ? key.description : nil
        case .largest: referenceName = ReferenceGroup.largestIndex(counts: counts) { knownGroups[$0] }.map { groupNames[$0] }
        case .bestValued: referenceName = nil
        }
        func calibratedDifference(_ values: [MetricValue]) -> AuditReport.Estimate {
            calibrated(MetricValue.differenceBetweenGroups(values))
        }
        return AuditReport.QueueReport(
            referenceGroup: referenceName, groups: groupsReport, calibrationBins: bins,
            topK: [Self.cutoff.name: topReport],
            fairness: [Metric.aucDifference.rawValue: difference(aucs).estimate,
                       Metric.maxXAUCDisparity.rawValue: maxDisparity.estimate,
                       Metric.expectedCalibrationErrorDifference.rawValue: calibratedDifference(calibrations.map(\.ece)),
                       Metric.brierScoreDifference.rawValue: calibratedDifference(calibrations.map(\.brier)),
                       Metric.calibrationInTheLargeDifference.rawValue: calibratedDifference(calibrations.map(\.citl))],
            thresholdRanges: [:])
    }
}
