import FairleadCore

/// One kind of count a published table holds for a group: its rows, or one of its
/// confusion cells (docs/privacy.md, "What a cell is").
enum DisclosureCell: String, Sendable, Hashable, CaseIterable {
    case count
    case truePositives = "true_positives"
    case falsePositives = "false_positives"
    case falseNegatives = "false_negatives"
    case trueNegatives = "true_negatives"
    /// Without labels: rows the decision selects, and the others.
    case selected
    case notSelected = "not_selected"

    /// The confusion cells of an audit with or without labels, which add up to `count`.
    static func outcomes(labeled: Bool) -> [DisclosureCell] {
        labeled ? [.truePositives, .falsePositives, .falseNegatives, .trueNegatives] : [.selected, .notSelected]
    }

    /// Whether a selected row falls in this cell.
    var isSelected: Bool { self == .truePositives || self == .falsePositives || self == .selected }

    /// The confusion cells a group metric's numerator or denominator adds up (`count`
    /// stands for all of them); a metric is shown only when none is withheld.
    static func cells(of metric: GroupMetric, labeled: Bool) -> [DisclosureCell] {
        guard labeled else {
            switch metric {
            case .selectionRate: return [.count, .selected]
            case .count, .share, .meanScore: return [.count]
            default: return [.count, .selected, .notSelected]
            }
        }
        switch metric {
        case .count, .share, .meanScore: return [.count]
        case .baseRate: return [.count, .truePositives, .falseNegatives]
        case .selectionRate: return [.count, .truePositives, .falsePositives]
        case .accuracy: return [.count, .truePositives, .trueNegatives]
        case .truePositiveRate, .falseNegativeRate: return [.truePositives, .falseNegatives]
        case .falsePositiveRate, .trueNegativeRate: return [.falsePositives, .trueNegatives]
        case .positivePredictiveValue, .falseDiscoveryRate: return [.truePositives, .falsePositives]
        case .negativePredictiveValue, .falseOmissionRate: return [.trueNegatives, .falseNegatives]
        }
    }

    /// A group's cells from its report: TP and FN from the true positive rate's numerator
    /// and denominator, FP and TN from the false positive rate's; without labels, the
    /// selection rate's numerator and the count. `nil` when the report lacks those rates.
    static func values(of group: AuditReport.GroupReport, labeled: Bool) -> [DisclosureCell: Double]? {
        var values: [DisclosureCell: Double] = [.count: Double(group.count)]
        if labeled {
            guard let positives = group.metrics[GroupMetric.truePositiveRate.rawValue],
                  let negatives = group.metrics[GroupMetric.falsePositiveRate.rawValue],
                  let tp = positives.numerator, let p = positives.denominator,
                  let fp = negatives.numerator, let n = negatives.denominator else { return nil }
            values[.truePositives] = tp
            values[.falseNegatives] = p - tp
            values[.falsePositives] = fp
            values[.trueNegatives] = n - fp
        } else {
            guard let selection = group.metrics[GroupMetric.selectionRate.rawValue], let selected = selection.numerator else { return nil }
            values[.selected] = selected
            values[.notSelected] = Double(group.count) - selected
        }
        return values
    }

    /// A published view of a report whose group rows lack the rates that carry their cells
    /// (``values(of:labeled:)``), named by the first such table.
    static func missingCellsError(attribute: String, decision: String) -> FairleadError {
        FairleadError(.usage, "a published view needs each group's confusion cells, which the report of '\(attribute)' under '\(decision)' lacks: keep true_positive_rate and false_positive_rate (selection_rate without labels) in the profile's metrics")
    }

    /// Whether a decision's attribute table was computed with labels: its true positive
    /// rate is defined or undefined for a reason other than absent labels.
    static func isLabeled(_ attribute: AuditReport.AttributeReport) -> Bool {
        guard let rate = attribute.overall.metrics[GroupMetric.truePositiveRate.rawValue] else {
            return attribute.overall.metrics[GroupMetric.baseRate.rawValue].map { $0.undefinedReason != UndefinedReason.labelsAbsent.rawValue } ?? false
        }
        return rate.undefinedReason != UndefinedReason.labelsAbsent.rawValue
    }
}
