/// One number of a report, flattened into the history's indexed `metric` table so that
/// trends are a query, not a scan of every report.
///
/// | report path | decision | attribute | group | metric |
/// |---|---|---|---|---|
/// | `decisions.D.attributes.A.groups.G.metrics.M` | D | A | G | M |
/// | `decisions.D.attributes.A.overall.metrics.M` | D | A | `(overall)` | M |
/// | `decisions.D.attributes.A.fairness.F` | D | A | (empty) | F |
/// | `decisions.D.attributes.A.disparities.M.difference_to_reference.G` | D | A | G | `M.difference_to_reference` |
/// | `decisions.D.attributes.A.disparities.M.ratio_to_reference.G` | D | A | G | `M.ratio_to_reference` |
/// | `decisions.D.attributes.A.disparities.M.<method>` | D | A | (empty) | `M.<method>` |
/// | `drift.findings[]` of kind `fairness` | D | A | (empty) | `F.change` |
/// | `drift.findings[]` of kind `group_difference` | D | A | G | `M.difference_to_reference.change` |
/// | `drift.findings[]` of kind `psi` / `share` | (empty) | A | G | `psi` / `share.change` |
///
/// `<method>` is `difference_between_groups`, `difference_to_overall`,
/// `ratio_between_groups` or `ratio_to_overall`. The value is `nil` when the report
/// says the metric is undefined; `lower` and `upper` are its interval, when it has one.
public struct HistoryMetricRow: Sendable, Hashable {
    /// Where the number is: decision, attribute, group (empty for attribute-level values)
    /// and metric name, as in the table above.
    public var decision: String
    public var attribute: String
    public var group: String
    public var metric: String
    /// The number; `nil` when undefined.
    public var value: Double?
    /// Its interval, when it has one.
    public var lower: Double?
    public var upper: Double?

    public init(decision: String, attribute: String, group: String, metric: String, value: Double?,
                lower: Double? = nil, upper: Double? = nil) {
        self.decision = decision
        self.attribute = attribute
        self.group = group
        self.metric = metric
        self.value = value
        self.lower = lower
        self.upper = upper
    }

    /// The group name of an attribute's overall row.
    public static let overallGroup = "(overall)"

    /// What identifies a row within one entry.
    public struct Key: Sendable, Hashable, Comparable, CustomStringConvertible {
        /// The four parts of the key, as in the row.
        public var decision: String
        public var attribute: String
        public var group: String
        public var metric: String

        public static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.decision, lhs.attribute, lhs.group, lhs.metric) < (rhs.decision, rhs.attribute, rhs.group, rhs.metric)
        }

        public var description: String {
            [decision, attribute, group, metric].filter { !$0.isEmpty }.joined(separator: " / ")
        }
    }

    /// The row's key.
    public var key: Key { Key(decision: decision, attribute: attribute, group: group, metric: metric) }

    /// Every number of `report`, in key order.
    public static func rows(of report: AuditReport) -> [HistoryMetricRow] {
        var rows: [HistoryMetricRow] = []
        func add(_ decision: String, _ attribute: String, _ group: String, _ metric: String, _ estimate: AuditReport.Estimate) {
            let interval = estimate.interval.flatMap { $0.count == 2 ? $0 : nil }
            rows.append(HistoryMetricRow(decision: decision, attribute: attribute, group: group, metric: metric,
                                         value: estimate.value, lower: interval?[0], upper: interval?[1]))
        }
        for (decisionName, decision) in report.decisions {
            for (attributeName, attribute) in decision.attributes {
                for (groupName, group) in attribute.groups {
                    for (metric, estimate) in group.metrics { add(decisionName, attributeName, groupName, metric, estimate) }
                }
                for (metric, estimate) in attribute.overall.metrics {
                    add(decisionName, attributeName, overallGroup, metric, estimate)
                }
                for (name, estimate) in attribute.fairness { add(decisionName, attributeName, "", name, estimate) }
                for (metric, disparity) in attribute.disparities {
                    add(decisionName, attributeName, "", "\(metric).difference_between_groups", disparity.differenceBetweenGroups)
                    add(decisionName, attributeName, "", "\(metric).difference_to_overall", disparity.differenceToOverall)
                    add(decisionName, attributeName, "", "\(metric).ratio_between_groups", disparity.ratioBetweenGroups)
                    add(decisionName, attributeName, "", "\(metric).ratio_to_overall", disparity.ratioToOverall)
                    for (groupName, estimate) in disparity.differenceToReference {
                        add(decisionName, attributeName, groupName, "\(metric).difference_to_reference", estimate)
                    }
                    for (groupName, estimate) in disparity.ratioToReference {
                        add(decisionName, attributeName, groupName, "\(metric).ratio_to_reference", estimate)
                    }
                }
            }
        }
        for finding in report.drift?.findings ?? [] {
            let metric: String
            switch finding.kind {
            case .fairness: metric = "\(finding.metric).change"
            case .groupDifference: metric = "\(finding.metric).difference_to_reference.change"
            case .psi: metric = "psi"
            case .share: metric = "share.change"
            }
            rows.append(HistoryMetricRow(decision: finding.decision ?? "", attribute: finding.attribute,
                                         group: finding.group ?? "", metric: metric, value: finding.change,
                                         lower: finding.interval?.first, upper: finding.interval?.last))
        }
        return rows.sorted { $0.key < $1.key }
    }
}
