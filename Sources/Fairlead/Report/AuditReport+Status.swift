import FairleadCore

extension AuditReport {
    /// How many rules, findings and checks the status rests on.
    public struct Judgement: Sendable, Equatable {
        /// The profile's rules.
        public var rules: Int
        /// Rules with at least one finding that passed or failed.
        public var rulesJudged: Int
        /// The rules' findings by verdict.
        public var passed: Int
        public var failed: Int
        public var insufficientEvidence: Int
        /// Drift and proxy checks: all of them, those that passed or failed, those that failed.
        public var checks: Int
        public var checksJudged: Int
        public var checksFailed: Int
    }

    /// What ``status`` rests on.
    public var judgement: Judgement {
        let counts = Dictionary(grouping: findings, by: \.verdict).mapValues(\.count)
        let judgedRules = Set(findings.filter { $0.verdict == .pass || $0.verdict == .fail }.map(\.rule))
        let checks = (drift?.findings.map(\.verdict) ?? []) + (explanations?.findings.map(\.verdict) ?? [])
        return Judgement(rules: profile.rules?.count ?? Set(findings.map(\.rule)).count,
                         rulesJudged: judgedRules.count,
                         passed: counts[.pass, default: 0], failed: counts[.fail, default: 0],
                         insufficientEvidence: counts[.insufficientEvidence, default: 0],
                         checks: checks.count, checksJudged: checks.filter { $0 == .pass || $0 == .fail }.count,
                         checksFailed: checks.filter { $0 == .fail }.count)
    }

    /// The one status of the audit, from every finding — the rules', the drift check's and
    /// the proxy checks' — computed here and nowhere else:
    ///
    /// - `fail` when any of them fails;
    /// - `no_rules` when the audit has no rules and no check was judged;
    /// - `insufficient_evidence` when a rule's finding is undecided, or rules exist but
    ///   none could be judged;
    /// - `pass` otherwise.
    ///
    /// The CLI's exit code (1 on `fail`) and the library's `status` agree by construction.
    public static func aggregateStatus(_ judgement: Judgement) -> Verdict {
        if judgement.failed > 0 || judgement.checksFailed > 0 { return .fail }
        if judgement.rules == 0 { return judgement.checksJudged > 0 ? .pass : .noRules }
        if judgement.insufficientEvidence > 0 || judgement.rulesJudged == 0 { return .insufficientEvidence }
        return .pass
    }

    /// Sets ``status`` from every finding of the report (``aggregateStatus(_:)``).
    public mutating func aggregateStatus() {
        status = Self.aggregateStatus(judgement)
    }

    // MARK: - Typed access

    /// The estimate of a catalog metric at one place of the report, or `nil` when the
    /// report does not hold it there.
    ///
    ///     report.estimate(.selectionRate, decision: "threshold_0.3", attribute: "ethnicity", group: "black")
    ///     report.estimate(.equalizedOddsDifference, decision: "threshold_0.3", attribute: "ethnicity")
    ///     report.estimate(.auc, attribute: "gender", group: "female")              // threshold-free queue
    ///     report.estimate(.skewAtK, decision: "top_10pct", attribute: "gender", group: "female")
    ///
    /// For a comparison with the reference group (`disparate_impact`), a group gives that
    /// group's value and no group the worst group's.
    public func estimate(_ metric: Metric, decision: String? = nil, attribute: String, group: String? = nil) -> Estimate? {
        let key = metric.rawValue
        switch metric.definition.location {
        case .groupMetrics:
            guard let decision, let section = decisions[decision]?.attributes[attribute] else { return nil }
            guard let group else { return section.overall.metrics[key] }
            return section.groups[group]?.metrics[key]
        case .toReference(let component, let ratio):
            guard let decision, let section = decisions[decision]?.attributes[attribute] else { return nil }
            guard let group else { return section.fairness[key] }
            let disparity = section.disparities[component.rawValue]
            return ratio ? disparity?.ratioToReference[group] : disparity?.differenceToReference[group]
        case .toReferenceByGroup:
            guard let decision, let section = decisions[decision]?.attributes[attribute] else { return nil }
            guard let group else { return section.fairness[key] }
            return section.toReference?[key]?[group]
        case .fairness:
            guard let decision, group == nil else { return nil }
            return decisions[decision]?.attributes[attribute]?.fairness[key]
        case .queueGroups:
            guard let group else { return nil }
            return queue?[attribute]?.groups[group]?[key]
        case .queueFairness:
            return group == nil ? queue?[attribute]?.fairness[key] : nil
        case .topKGroups:
            guard let decision, let group else { return nil }
            return queue?[attribute]?.topK[decision]?.groups[group]?[key]
        case .topKMetrics:
            guard let decision, group == nil else { return nil }
            return queue?[attribute]?.topK[decision]?.metrics[key]
        case .driftFindings, .proxies:
            return nil
        case .individualFairness:
            guard let decision, group == nil else { return nil }
            return individualFairness?[decision]?.consistency
        case .counterfactual:
            guard let decision, group == nil else { return nil }
            return individualFairness?[decision]?.counterfactual[attribute]?.flipRate
        }
    }

    /// The findings of one rule metric, optionally at one decision, attribute or group.
    public func findings(_ metric: Metric, decision: String? = nil, attribute: String? = nil,
                         group: String? = nil) -> [Finding] {
        findings.filter { finding in
            finding.metric == metric.rawValue && (decision == nil || finding.decision == decision)
                && (attribute == nil || finding.attribute == attribute) && (group == nil || finding.group == group)
        }
    }
}
