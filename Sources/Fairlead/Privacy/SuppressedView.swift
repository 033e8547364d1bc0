import FairleadCore

/// Applies a set of withheld cells to a report: removes the groups whose count is
/// withheld, the metrics that read a withheld cell, the disparities and fairness values
/// built on them, and the parts of the report that hold cells the disclosure table does
/// not model (score histograms, calibration bins, top-k shares). Findings keep their
/// verdicts; a finding whose value is no longer shown loses its numbers and says why.
struct SuppressedView {
    private(set) var report: AuditReport
    private let full: AuditReport
    private let withheld: [DisclosureTable.Key: String]
    /// Per attribute: groups whose count is withheld under some decision.
    private var hiddenGroups: [String: Set<String>] = [:]
    /// Per attribute: groups with some cell withheld (their count or a confusion cell,
    /// primary or complementary) under some decision; `hiddenGroups` is a part of it.
    private var groupsWithWithheldCells: [String: Set<String>] = [:]
    /// Per attribute: groups only the drift check's baseline held, with fewer than
    /// `min_cell` rows there.
    private var baselineOnlyGroups: [String: Set<String>] = [:]
    /// Parts left out, with why.
    private(set) var withheldParts: [PrivacyReport.WithheldPart] = []

    static let withheldReason = "withheld"

    init(report: AuditReport, withheld: [DisclosureTable.Key: String], baselineOnly: Set<WithheldGroupNames.SmallGroup> = []) {
        self.report = report
        self.full = report
        self.withheld = withheld
        for key in withheld.keys {
            guard case .cell(_, let attribute, let group?, let cell) = key else { continue }
            groupsWithWithheldCells[attribute, default: []].insert(group)
            if cell == .count { hiddenGroups[attribute, default: []].insert(group) }
        }
        for small in baselineOnly { baselineOnlyGroups[small.attribute, default: []].insert(small.group) }
    }

    mutating func apply() {
        for (decisionName, decision) in full.decisions {
            for (attributeName, attribute) in decision.attributes {
                let published = section(attribute, decision: decisionName, name: attributeName)
                report.decisions[decisionName]?.attributes[attributeName] = published
            }
        }
        withholdQueue()
        if report.scoreDistribution != nil {
            report.scoreDistribution = nil
            withheldParts.append(.init(path: "score_distribution", reason: "per-group score histograms: counts per bin and cut points that are single leads' scores in small groups"))
        }
        withholdExplanations()
        if report.mitigation != nil {
            report.mitigation = nil
            withheldParts.append(.init(path: "mitigation", reason: "options' expected selections, conversions and rates per group are cells of their own, not suppressed"))
        }
        if report.individualFairness != nil {
            report.individualFairness = nil
            withheldParts.append(.init(path: "individual_fairness", reason: "per-group counts of leads whose decision would flip, and their neighbours' agreement: cells of their own, not suppressed"))
        }
        withholdDrift()
        withholdFindings()
        if report.reidentification != nil {
            report.reidentification = nil
            withheldParts.append(.init(path: "reidentification", reason: "class sizes of the quasi-identifiers: small counts the suppression model does not cover"))
        }
    }

    /// Whether the cell is withheld.
    private func isWithheld(_ decision: String, _ attribute: String, _ group: String?, _ cell: DisclosureCell) -> Bool {
        withheld[.cell(decision: decision, attribute: attribute, group: group, cell)] != nil
    }

    private func section(_ attribute: AuditReport.AttributeReport, decision: String, name: String) -> AuditReport.AttributeReport {
        var section = attribute
        let labeled = DisclosureCell.isLabeled(attribute)
        // Per group metric: whether some group's (or the overall) value is withheld.
        var withheldMetrics: [String: Set<String?>] = [:]
        func strip(_ group: AuditReport.GroupReport, _ groupName: String?) -> AuditReport.GroupReport {
            var group = group
            for metricName in group.metrics.keys {
                guard let metric = GroupMetric(rawValue: metricName) else { continue }
                if DisclosureCell.cells(of: metric, labeled: labeled).contains(where: { isWithheld(decision, name, groupName, $0) }) {
                    // Kept as a blank that says why: left out, every table printed `—`
                    // there, as for a metric that does not apply.
                    group.metrics[metricName] = AuditReport.Estimate(value: nil, undefinedReason: Self.withheldReason)
                    withheldMetrics[metricName, default: []].insert(groupName)
                }
            }
            return group
        }
        section.overall = strip(attribute.overall, nil)
        for (groupName, group) in attribute.groups {
            if isWithheld(decision, name, groupName, .count) {
                section.groups[groupName] = nil
                for metricName in group.metrics.keys { withheldMetrics[metricName, default: []].insert(groupName) }
            } else {
                section.groups[groupName] = strip(group, groupName)
            }
        }
        let reference = attribute.referenceGroup
        let blank = AuditReport.Estimate(value: nil, undefinedReason: Self.withheldReason)
        for (metricName, groups) in withheldMetrics {
            guard var disparity = section.disparities[metricName] else { continue }
            disparity.differenceBetweenGroups = blank
            disparity.ratioBetweenGroups = blank
            disparity.differenceToOverall = blank
            disparity.ratioToOverall = blank
            // A comparison over a withheld rate says so; a group whose count is withheld is
            // not listed at all (it left the group table).
            let compared = reference.map { groups.contains($0) } == true
                ? Set(disparity.differenceToReference.keys).union(disparity.ratioToReference.keys)
                : Set(groups.compactMap { $0 })
            for group in compared {
                let listed = !isWithheld(decision, name, group, .count)
                if disparity.differenceToReference[group] != nil { disparity.differenceToReference[group] = listed ? blank : nil }
                if disparity.ratioToReference[group] != nil { disparity.ratioToReference[group] = listed ? blank : nil }
            }
            section.disparities[metricName] = disparity
        }
        let withheldNames = Set(withheldMetrics.keys)
        for name in attribute.fairness.keys {
            guard let metric = Metric(rawValue: name) else { continue }
            if metric.definition.components.contains(where: { withheldNames.contains($0.rawValue) }) {
                section.fairness[name] = nil
            }
        }
        if var toReference = section.toReference {
            for (name, values) in toReference {
                guard let metric = Metric(rawValue: name) else { continue }
                let components = metric.definition.components.map(\.rawValue)
                let groups = components.reduce(into: Set<String?>()) { $0.formUnion(withheldMetrics[$1] ?? []) }
                if let reference, groups.contains(reference) {
                    toReference[name] = [:]
                } else {
                    toReference[name] = values.filter { !groups.contains($0.key) }
                }
            }
            section.toReference = toReference
        }
        return section
    }

    /// A group's queue row reads its cells: AUC's and xAUC's denominators are its positives
    /// and negatives (times the rest's), calibration in the large is its mean score − its
    /// base rate, the Brier score and ECE read its labels, KS and Wasserstein its count.
    /// So a group with any withheld cell loses its whole row, and the between-groups
    /// values (a difference whose end is that group's value) and threshold ranges with it.
    private mutating func withholdQueue() {
        guard var queue = report.queue else { return }
        // In name order: the withheld parts are listed in it.
        for (attributeName, var section) in queue.sorted(by: { $0.key < $1.key }) {
            let withheldRows = (groupsWithWithheldCells[attributeName] ?? []).intersection(section.groups.keys)
            for group in withheldRows { section.groups[group] = nil }
            let shown = withheldRows.subtracting(hiddenGroups[attributeName] ?? [])
            if !shown.isEmpty {
                withheldParts.append(.init(path: "queue.\(attributeName).groups", reason: "the rows of groups whose confusion cells are suppressed: AUC, xAUC, calibration and Brier read their positives and negatives"))
            }
            if !section.calibrationBins.isEmpty {
                section.calibrationBins = [:]
                withheldParts.append(.init(path: "queue.\(attributeName).calibration_bins", reason: "counts of each group's leads per score bin"))
            }
            if !section.topK.isEmpty {
                section.topK = [:]
                withheldParts.append(.init(path: "queue.\(attributeName).top_k", reason: "each group's leads in the top k (shares of k are counts)"))
            }
            if !withheldRows.isEmpty {
                section.fairness = [:]
                section.thresholdRanges = [:]
                withheldParts.append(.init(path: "queue.\(attributeName).fairness", reason: "computed over groups whose cells are suppressed"))
                withheldParts.append(.init(path: "queue.\(attributeName).threshold_ranges", reason: "computed over groups whose cells are suppressed"))
            }
            queue[attributeName] = section
        }
        report.queue = queue
    }

    private mutating func withholdExplanations() {
        guard var explanations = report.explanations else { return }
        for (attribute, hidden) in hiddenGroups {
            if var decomposition = explanations.decomposition[attribute] {
                decomposition.groups = decomposition.groups.filter { !hidden.contains($0.key) }
                explanations.decomposition[attribute] = decomposition
            }
            explanations.importance.byAttribute[attribute] = explanations.importance.byAttribute[attribute]?.filter { !hidden.contains($0.key) }
            for feature in explanations.proxies.measures.keys {
                guard var measure = explanations.proxies.measures[feature]?[attribute] else { continue }
                measure.auc = measure.auc.filter { !hidden.contains($0.key) }
                if let best = measure.bestGroup, hidden.contains(best) {
                    measure.bestGroup = nil
                    measure.bestAuc = nil
                }
                explanations.proxies.measures[feature]?[attribute] = measure
            }
            if var multivariate = explanations.proxies.multivariate[attribute] {
                multivariate.groups = multivariate.groups.filter { !hidden.contains($0.key) }
                if let best = multivariate.bestGroup, hidden.contains(best) {
                    multivariate.bestGroup = nil
                    multivariate.bestAuc = nil
                }
                explanations.proxies.multivariate[attribute] = multivariate
            }
        }
        report.explanations = explanations
    }

    private mutating func withholdDrift() {
        guard var drift = report.drift else { return }
        for index in drift.findings.indices {
            let finding = drift.findings[index]
            // A count of the baseline's, which the disclosure table does not model.
            drift.findings[index].baselineCount = nil
            let smallGroup = finding.group.map {
                hiddenGroups[finding.attribute]?.contains($0) == true || baselineOnlyGroups[finding.attribute]?.contains($0) == true
            } ?? false
            guard smallGroup || isWithdrawn(finding) else { continue }
            drift.findings[index].baseline = nil
            drift.findings[index].current = nil
            drift.findings[index].change = nil
            drift.findings[index].interval = nil
            drift.findings[index].pValue = nil
            drift.findings[index].reason = smallGroup
                ? "values withheld in the published view (the group's count is suppressed, or under min_cell in the baseline); the verdict rests on the full data"
                : "values withheld in the published view (the value compared reads suppressed cells); the verdict rests on the full data"
        }
        report.drift = drift
    }

    /// Whether the value a drift finding compares now — a fairness value, or a group's
    /// difference to the reference — is one the full report shows and the published view
    /// withholds: its current value (and baseline + change) would show it again.
    private func isWithdrawn(_ finding: AuditReport.DriftFinding) -> Bool {
        func value(in report: AuditReport) -> Double? {
            switch finding.kind {
            case .fairness:
                guard let decision = finding.decision else { return report.queue?[finding.attribute]?.fairness[finding.metric]?.value }
                return report.decisions[decision]?.attributes[finding.attribute]?.fairness[finding.metric]?.value
            case .groupDifference:
                guard let decision = finding.decision, let group = finding.group else { return nil }
                return report.decisions[decision]?.attributes[finding.attribute]?.disparities[finding.metric]?.differenceToReference[group]?.value
            case .psi, .share:
                return nil
            }
        }
        return value(in: full) != nil && value(in: report) == nil
    }

    /// A finding whose value the published report no longer shows keeps its verdict only.
    private mutating func withholdFindings() {
        for index in report.findings.indices {
            let finding = report.findings[index]
            let hidden: Bool
            if let metric = Metric(rawValue: finding.metric),
               full.estimate(metric, decision: finding.decision, attribute: finding.attribute, group: finding.group) != nil {
                hidden = report.estimate(metric, decision: finding.decision, attribute: finding.attribute, group: finding.group)?.value == nil
                    && full.estimate(metric, decision: finding.decision, attribute: finding.attribute, group: finding.group)?.value != nil
            } else {
                hidden = !(hiddenGroups[finding.attribute] ?? []).isEmpty
            }
            // A reason names its group and the groups in `named_groups` ("12 more rows in
            // 'x' would decide it"): one of them hidden, its words would show its rows.
            let named = ([finding.group].compactMap { $0 } + (finding.namedGroups ?? []))
                .contains { hiddenGroups[finding.attribute]?.contains($0) == true }
            guard hidden || named else { continue }
            report.findings[index].value = nil
            report.findings[index].interval = nil
            report.findings[index].verdictInterval = nil
            report.findings[index].judgedValue = nil
            report.findings[index].tieRange = nil
            report.findings[index].reason = AuditReport.Finding.withheldValueReason
            if finding.verdict == .insufficientEvidence { report.findings[index].undecidedCause = .withheld }
        }
    }
}
