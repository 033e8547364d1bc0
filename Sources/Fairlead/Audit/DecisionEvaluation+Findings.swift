import FairleadCore

extension DecisionEvaluation {
    /// The profile's rules checked under this decision: one finding per rule and
    /// attribute (and per group for per-group metrics).
    ///
    /// A verdict is pass or fail only when the groups it rests on have at least the
    /// minimum group size (counted on the metric's own denominator: actual positives for
    /// the true positive rate). For a between-groups metric, small groups are set aside:
    /// if the rule fails among the groups that are large enough, it fails; otherwise the
    /// small groups could change the outcome and the finding is insufficient evidence.
    func findings(rules: [AuditProfile.RuleSpec], metrics: [RuleMetric]) throws -> [AuditReport.Finding] {
        var findings: [AuditReport.Finding] = []
        for (rule, metric) in zip(rules, metrics) {
            if let names = rule.decisions, !names.contains(decision.name) { continue }
            if case .queue = metric { continue }  // checked once per attribute by QueueEvaluation
            for dimension in dimensions where rule.attributes.map({ $0.contains(dimension.name) }) ?? true {
                findings += evaluate(rule, metric, dimension)
            }
        }
        return findings
    }

    private func evaluate(_ rule: AuditProfile.RuleSpec, _ metric: RuleMetric,
                          _ dimension: Dimension) -> [AuditReport.Finding] {
        func finding(group: String? = nil, value: MetricValue, interval: [Double]?,
                     insufficient: String? = nil) -> AuditReport.Finding {
            let verdict: AuditReport.Verdict
            let reason: String
            if let insufficient {
                (verdict, reason) = (.insufficientEvidence, insufficient)
            } else if let number = value.number {
                let holds = rule.comparison.holds(number, rule.bound)
                verdict = holds ? .pass : .fail
                reason = holds ? "\(format(number)) \(rule.comparison.rawValue) \(format(rule.bound))"
                               : "\(format(number)) is not \(rule.comparison.rawValue) \(format(rule.bound))"
            } else {
                (verdict, reason) = (.insufficientEvidence, "undefined: \(value.undefinedReason?.rawValue ?? "no value")")
            }
            return AuditReport.Finding(rule: rule.expression, metric: rule.metric, decision: decision.name,
                                       attribute: dimension.name, group: group, value: value.number,
                                       interval: interval, verdict: verdict, reason: reason)
        }
        if metric.needsLabels && !isLabeled {
            return [finding(value: .undefined(.labelsAbsent), interval: nil,
                            insufficient: "\(rule.metric) needs labels; the data has no label column")]
        }
        let frame = dimension.frame
        let minimum = settings.minimumGroupSize
        switch metric {
        case .group(let groupMetric):
            return frame.groups.indices.compactMap { index in
                guard frame.stats.cells[index].count > 0 else { return nil }
                let interval = frame.wilsonInterval(groupMetric, group: index, level: settings.intervalLevel)
                return finding(group: frame.groups[index].description, value: frame.value(groupMetric, group: index),
                               interval: interval.map { [$0.lower, $0.upper] },
                               insufficient: shortfall(frame, index: index, metrics: metric.evidenceMetrics))
            }
        case .versusReference(let versus):
            let referenceIndex = (try? frame.referenceIndex(dimension.reference, for: .selectionRate)) ?? nil
            return AttributeSection.versusReference(dimension, versus).compactMap { entry in
                guard frame.stats.cells[entry.group].count > 0 else { return nil }
                let short = shortfall(frame, index: entry.group, metrics: metric.evidenceMetrics)
                    ?? referenceIndex.flatMap { shortfall(frame, index: $0, metrics: metric.evidenceMetrics) }
                return finding(group: frame.groups[entry.group].description, value: entry.value,
                               interval: entry.interval, insufficient: short)
            }
        case .betweenGroups(let components, let kind):
            let value = AttributeSection.namedValue(rule.metric, frame)
            let estimate = AttributeSection.fairness(dimension)[rule.metric]
            let participating = frame.groups.indices.filter { index in
                components.allSatisfy { frame.value($0, group: index).number != nil }
            }
            let small = participating.filter { shortfall(frame, index: $0, metrics: components) != nil }
            guard !small.isEmpty else { return [finding(value: value, interval: estimate?.interval)] }
            let large = participating.filter { !small.contains($0) }
            let names = small.map { "'\(frame.groups[$0])'" }.joined(separator: ", ")
            if let number = RuleMetric.betweenGroups(frame, components: components, kind: kind, indices: large).number,
               !rule.comparison.holds(number, rule.bound) {
                var result = finding(value: value, interval: estimate?.interval)
                result.verdict = .fail
                result.reason = "\(format(number)) among groups with at least \(minimum) rows is not "
                    + "\(rule.comparison.rawValue) \(format(rule.bound)) (set aside as too small: \(names))"
                return [result]
            }
            return [finding(value: value, interval: estimate?.interval,
                            insufficient: "groups \(names) have fewer than \(minimum) rows for \(components.map(\.rawValue).joined(separator: " and ")); the rule holds among the others")]
        case .queue:
            return []
        case .inequality(let index):
            let value = index == .theilIndex ? frame.theilIndex() : frame.generalizedEntropyIndex()
            let rows = frame.stats.overall.count
            return [finding(value: value, interval: nil,
                            insufficient: rows < minimum ? "\(rows) rows, under the minimum of \(minimum)" : nil)]
        }
    }

    /// Why the group at `index` is too small for `metrics`, or `nil` when it is not.
    private func shortfall(_ frame: MetricFrame, index: Int, metrics: [GroupMetric]) -> String? {
        for metric in metrics {
            if case .insufficient(let group, let rows, let minimum) = frame.evidence(metric, group: index,
                                                                                   minimumGroupSize: settings.minimumGroupSize) {
                let what = metric == .count || metric == .selectionRate ? "rows" : "rows for \(metric.rawValue)"
                return "group '\(group)' has \(rows) \(what), under the minimum of \(minimum)"
            }
        }
        return nil
    }

    private func format(_ value: Double) -> String {
        let text = String(format: "%.4f", value)
        var trimmed = Substring(text)
        while trimmed.hasSuffix("0") { trimmed = trimmed.dropLast() }
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}
