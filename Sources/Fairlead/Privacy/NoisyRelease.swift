import FairleadCore
import Foundation

/// The differentially private view of a report (``PublishedReport``): every confusion
/// cell of every group, under every decision and attribute, released through the
/// discrete Laplace mechanism; everything else shown is computed from the noisy cells.
///
/// **Sensitivity.** Adding or removing one row changes one cell of each attribute's
/// table by 1 under a threshold or a prediction-column decision (L1 sensitivity 1); under
/// a top-k decision it can also push one lead out of the top k, or pull one in when k is
/// a share (L1 sensitivity 3). Every cell gets noise of one scale b = Δ/ε, Δ the sum of
/// the tables' sensitivities, so the whole release is ε-DP by basic composition (each
/// table spends Δ_table / b).
///
/// **Groups.** Each table names the groups its columns declare (``DeclaredGroups``), in
/// their order, whether or not the data has rows in them, and counts a value outside them
/// in the `other:` group (``ReleaseGroups``): the names released do not depend on the
/// data. Under `privacy.group_names: from_data` a column that declares none is released
/// with the data's groups, and the release lists it as not covered by ε.
///
/// **Post-processing** (free under DP): noisy cells are clamped at 0; a group's count is
/// the sum of its clamped cells, the overall row the sum over groups; rates, disparities
/// and fairness values are the engine's (``AttributeSection``) on those cells. Margins and
/// intersections are noised independently and need not add up.
///
/// **Intervals** of rates p = A/(A + B), A the numerator's cells and B the rest of the
/// denominator's: normal, with variance p(1 − p)/n for sampling plus
/// ((1 − p)²·k_A + p²·k_B)·σ²/n² for the noise (the delta method; k the number of noisy
/// cells in A and B, σ² the noise variance), clamped to [0, 1].
enum NoisyRelease {
    static let mechanism = "discrete_laplace"

    /// A release of a weighted audit: with weights one row bounds nothing. `place` says
    /// where the weights were found (a table of the report, or the profile's weight column).
    static func weightedError(place: String) -> FairleadError {
        FairleadError(.usage, "a differentially private release needs an unweighted audit: with weights one row can change a count by any amount (\(place))")
    }

    static func make<G: RandomNumberGenerator>(from report: AuditReport, epsilon: PrivacyBudgetAmount, policy: PrivacyPolicy,
                                               declaredGroups: [String: DeclaredGroups],
                                               using generator: inout G) throws -> AuditReport {
        let decisionNames = report.decisions.keys.sorted()
        var tables: [(decision: String, attribute: String, sensitivity: Int)] = []
        for name in decisionNames {
            guard let decision = report.decisions[name] else { continue }
            for (attributeName, attribute) in decision.attributes.sorted(by: { $0.key < $1.key }) {
                if ([attribute.overall] + Array(attribute.groups.values)).contains(where: { $0.weight != Double($0.count) }) {
                    throw weightedError(place: "attribute '\(attributeName)' under '\(name)'")
                }
                tables.append((name, attributeName, decision.kind == "top_k" ? 3 : 1))
            }
        }
        let sensitivity = tables.reduce(0) { $0 + $1.sensitivity }
        guard sensitivity > 0, let fraction = epsilon.fraction,
              let scale = DiscreteLaplace.scale(epsilon: fraction, sensitivity: sensitivity) else {
            throw FairleadError(.usage, "no differentially private release for ε = \(epsilon) over \(tables.count) tables: nothing to release, or the scale is out of range")
        }
        // Before any noise is drawn: a release that cannot name its groups is refused whole.
        let groups = try ReleaseGroups(report: report, declared: declaredGroups, source: policy.groupNames)
        let noise = DiscreteLaplace(scale: scale)
        let z = StandardNormal.upperQuantile((1 - report.settings.intervalLevel) / 2)
        var published = report
        for name in decisionNames {
            guard let decision = report.decisions[name] else { continue }
            var firstSelected: Int?
            for (attributeName, attribute) in decision.attributes.sorted(by: { $0.key < $1.key }) {
                // Never the full report's numbers: every table is replaced, or nothing is released.
                guard let table = groups.tables[name]?[attributeName] else {
                    throw FairleadError(.internalFailure, "the release has no groups for '\(MessageQuote.clipped(attributeName))' under '\(MessageQuote.clipped(name))'")
                }
                let (section, selected) = try noisySection(attribute, name: attributeName, decision: name, groups: table,
                                                          settings: report.settings, noise: noise, z: z, using: &generator)
                published.decisions[name]?.attributes[attributeName] = section
                if firstSelected == nil { firstSelected = selected }
            }
            if let firstSelected { published.decisions[name]?.selected = firstSelected }
        }
        for index in published.findings.indices {
            published.findings[index].value = nil
            published.findings[index].interval = nil
            published.findings[index].verdictInterval = nil
            published.findings[index].judgedValue = nil
            published.findings[index].tieRange = nil
            published.findings[index].reason = AuditReport.Finding.noisyReleaseReason
            published.findings[index].namedGroups = nil
            // Only the verdict is kept: why it is undecided rests on the full data too.
            if published.findings[index].verdict == .insufficientEvidence { published.findings[index].undecidedCause = .withheld }
        }
        published.findings = try groups.findings(published.findings)
        var withheld: [PrivacyReport.WithheldPart] = []
        let notReleased = "not part of the differentially private release"
        if published.queue != nil { published.queue = nil; withheld.append(.init(path: "queue", reason: notReleased)) }
        if published.scoreDistribution != nil { published.scoreDistribution = nil; withheld.append(.init(path: "score_distribution", reason: notReleased)) }
        if published.explanations != nil { published.explanations = nil; withheld.append(.init(path: "explanations", reason: notReleased)) }
        if published.drift != nil { published.drift = nil; withheld.append(.init(path: "drift", reason: notReleased)) }
        if published.reidentification != nil { published.reidentification = nil; withheld.append(.init(path: "reidentification", reason: notReleased)) }
        if published.mitigation != nil { published.mitigation = nil; withheld.append(.init(path: "mitigation", reason: notReleased)) }
        if published.individualFairness != nil {
            published.individualFairness = nil
            withheld.append(.init(path: "individual_fairness", reason: notReleased))
        }
        let b = scale.doubleValue
        var notes = ["verdicts and the status (a finding names each group the full data judged), and the row accounting "
                     + "(rows read, used and excluded), come from the full data and are not covered by ε"]
        let fromData = groups.fromData
        if fromData.isEmpty {
            notes.append("the groups released are the profile's declared ones, each whatever the data holds: their names say nothing about who is in the data")
        } else {
            notes.append("the group names of \(ListWording.and(fromData)) come from the data (privacy.group_names: from_data) and are not covered by ε: "
                         + "a value one lead holds shows that the lead is in the data")
        }
        published.privacy = PrivacyReport(
            method: "differential_privacy",
            policy: .init(minCell: nil, epsilon: epsilon.value, budget: policy.budget?.value, groupNames: policy.groupNames.rawValue),
            suppressed: nil, withheld: withheld,
            release: .init(mechanism: mechanism, epsilon: epsilon.value, scale: b, noiseStandardDeviation: noise.variance.squareRoot(),
                           tables: tables.map { .init(decision: $0.decision, attribute: $0.attribute, sensitivity: $0.sensitivity,
                                                      epsilon: Double($0.sensitivity) / b) },
                           postProcessing: "noisy cells clamped at 0; counts, rates, disparities and fairness values computed from the clamped cells; a decision's selected rows from its first attribute",
                           intervalMethod: "normal interval with variance p(1−p)/n plus the noise's variance carried to the rate by the delta method, clamped to [0, 1]",
                           groups: groups.lists),
            notes: notes)
        return published
    }

    /// One attribute's section from noisy cells, and its noisy selected rows: a cell per
    /// released group (``ReleaseGroups/Table``), the sum of its members' cells (0 without
    /// members) plus noise.
    private static func noisySection<G: RandomNumberGenerator>(
        _ attribute: AuditReport.AttributeReport, name: String, decision: String, groups: ReleaseGroups.Table,
        settings: AuditReport.SettingsInfo, noise: DiscreteLaplace, z: Double, using generator: inout G
    ) throws -> (AuditReport.AttributeReport, Int) {
        let labeled = DisclosureCell.isLabeled(attribute)
        let names = groups.names
        var cells: [ConfusionCells] = []
        for groupName in names {
            var values: [DisclosureCell: Double] = [:]
            for member in groups.members[groupName] ?? [] {
                guard let group = attribute.groups[member], let memberValues = DisclosureCell.values(of: group, labeled: labeled) else {
                    throw DisclosureCell.missingCellsError(attribute: name, decision: decision)
                }
                values.merge(memberValues, uniquingKeysWith: +)
            }
            func noisy(_ cell: DisclosureCell) -> CellStats {
                let released = max(0, Int((values[cell] ?? 0).rounded()) + noise.sample(using: &generator))
                return CellStats(count: released, weight: Double(released), squaredWeight: Double(released), scoredWeight: 0, scoreSum: 0)
            }
            // Without labels every row is recorded with y = 0: selected rows are false positives.
            cells.append(labeled
                ? ConfusionCells(truePositives: noisy(.truePositives), falsePositives: noisy(.falsePositives),
                                 trueNegatives: noisy(.trueNegatives), falseNegatives: noisy(.falseNegatives))
                : ConfusionCells(truePositives: CellStats(), falsePositives: noisy(.selected),
                                 trueNegatives: noisy(.notSelected), falseNegatives: CellStats()))
        }
        let stats = GroupStats(cells: cells, isLabeled: labeled)
        let columns = AuditColumns(scores: [], attributes: [SensitiveAttribute(name: name, codes: [], levels: names)])
        // The report's own groups, already within the audit's limit.
        let grouping = try Grouping(columns: columns, attributes: [name], maxGroups: Grouping.maximumGroupCount)
        let frame = MetricFrame(stats: stats, grouping: grouping)
        let reference: ReferenceGroup
        switch attribute.referenceMethod {
        case "named":
            // The released group the full report's reference is counted in.
            reference = attribute.referenceGroup.flatMap { groups.publishedName[$0] ?? (names.contains($0) ? $0 : nil) }
                .map { .named(GroupKey([$0])) } ?? .largest
        case "largest": reference = .largest
        default: reference = .bestValued
        }
        let metrics = GroupMetric.allCases.filter { $0 != .meanScore && attribute.overall.metrics[$0.rawValue] != nil }
        var section = AttributeSection.report(
            DecisionEvaluation.Dimension(name: name, frame: frame, reference: reference, intervals: nil), specs: [],
            metrics: metrics,
            settings: AuditProfile.Settings(minimumGroupSize: settings.minimumGroupSize, intervalLevel: settings.intervalLevel,
                                            bootstrapReplicates: 0, seed: settings.seed))
        section.columns = attribute.columns
        section.excludedMissing = attribute.excludedMissing
        let all = stats.overall
        func withNoiseIntervals(_ group: AuditReport.GroupReport, _ groupCells: ConfusionCells, groupCount: Int,
                                cellsPerOutcome: Int) -> AuditReport.GroupReport {
            var group = group
            for metric in metrics where metric.isRate {
                guard var estimate = group.metrics[metric.rawValue], let p = estimate.value,
                      let counts = noisyCellCounts(metric, labeled: labeled, groupCount: groupCount) else { continue }
                let n = metric.fraction(groupCells, all: all).1
                guard n > 0 else { continue }
                let noisyCells = (numerator: Double(counts.numerator * cellsPerOutcome), rest: Double(counts.rest * cellsPerOutcome))
                let variance = p * (1 - p) / n
                    + ((1 - p) * (1 - p) * noisyCells.numerator + p * p * noisyCells.rest) * noise.variance / (n * n)
                let half = z * variance.squareRoot()
                estimate.interval = [max(0, p - half), min(1, p + half)]
                group.metrics[metric.rawValue] = estimate
            }
            return group
        }
        for (index, groupName) in names.enumerated() {
            guard let group = section.groups[groupName] else { continue }
            var updated = withNoiseIntervals(group, cells[index], groupCount: names.count, cellsPerOutcome: 1)
            updated.label = groups.labels[groupName]
            section.groups[groupName] = updated
        }
        // The overall row adds every group's noisy cells.
        section.overall = withNoiseIntervals(section.overall, all, groupCount: 1, cellsPerOutcome: names.count)
        section.overall.label = attribute.overall.label
        return (section, all.truePositives.count + all.falsePositives.count)
    }

    /// How many noisy cells a rate's numerator adds up, and how many more its denominator
    /// does (a group's share: its cells against every other group's).
    static func noisyCellCounts(_ metric: GroupMetric, labeled: Bool, groupCount: Int) -> (numerator: Int, rest: Int)? {
        let outcomes = labeled ? 4 : 2
        switch metric {
        case .count, .meanScore: return nil
        case .share: return (outcomes, outcomes * max(0, groupCount - 1))
        case .selectionRate: return labeled ? (2, 2) : (1, 1)
        case .baseRate, .accuracy: return (2, 2)
        default: return (1, 1)
        }
    }
}
