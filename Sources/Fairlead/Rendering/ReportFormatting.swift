import Foundation

/// Number formatting shared by the renderings; it only formats what the report holds.
enum ReportFormatting {
    /// The per-group metrics shown in tables, in catalog order, with the catalog's
    /// headings (`count` and `share` have columns of their own).
    static let groupColumns: [(metric: String, heading: String)] = Metric.family(.groupRate).compactMap { metric in
        guard metric != .count, metric != .share, let heading = metric.definition.heading else { return nil }
        return (metric.rawValue, heading)
    }

    /// The fairness values shown per attribute, in order.
    static let fairnessShown: [Metric] = [
        .demographicParityDifference, .demographicParityRatio, .disparateImpact, .equalizedOddsDifference,
        .equalizedOddsRatio, .equalOpportunityDifference, .equalOpportunityRatio, .averageOddsDifference,
        .predictiveParityDifference,
    ]
    static let fairnessOrder = fairnessShown.map(\.rawValue)

    /// The status line's counts: "3 of 4 rules judged · 30 passed, 8 failed, 2 insufficient evidence",
    /// then the drift and proxy checks' (``checksText(_:)``) when there are any.
    static func judgementText(_ report: AuditReport) -> String {
        let rules = rulesText(report)
        guard report.status != .noRules, let checks = checksText(report) else { return rules }
        return report.judgement.rules == 0 ? "no rules · " + checks : rules + " · " + checks
    }

    /// The rules' part of the status line: "3 of 4 rules judged · 30 passed, 8 failed, 2
    /// insufficient evidence", or what there is instead of rules.
    static func rulesText(_ report: AuditReport) -> String {
        let judgement = report.judgement
        if report.status == .noRules { return "\(nothingJudged) — \(addRules)" }
        if judgement.rules == 0 { return "no rules" }
        return "\(judgement.rulesJudged) of \(judgement.rules) rules judged · \(judgement.passed) passed, "
            + "\(judgement.failed) failed, \(judgement.insufficientEvidence) insufficient evidence"
    }

    /// What the data line's counts (the report's `rows`: its first decision's) leave
    /// unsaid: each decision that uses other rows ("decision prediction_called: 192 of 200
    /// rows used · 8 missing prediction"), and each attribute or intersection that leaves
    /// rows out for a missing value ("g: 40 rows left out for a missing value (missing:
    /// exclude)"). Names are the report's, escaped by the rendering.
    static func accountingLines(_ report: AuditReport) -> [String] {
        var lines: [String] = []
        let decisions = report.decisions.sorted { $0.key < $1.key }
        for (name, decision) in decisions where decision.rows != report.rows {
            lines.append("decision \(name): \(decision.rows.used) of \(decision.rows.read) rows used"
                         + decision.rows.excluded.sorted { $0.key < $1.key }.filter { $0.value > 0 }
                            .map { " · \($0.value) \($0.key.replacingOccurrences(of: "_", with: " "))" }.joined())
        }
        var leftOut: [String: [Int]] = [:]
        for (_, decision) in decisions {
            for (attribute, section) in decision.attributes where section.excludedMissing > 0 {
                leftOut[attribute, default: []].append(section.excludedMissing)
            }
        }
        for attribute in leftOut.keys.sorted(by: { ($0.contains("*") ? 1 : 0, $0) < ($1.contains("*") ? 1 : 0, $1) }) {
            let counts = leftOut[attribute]!
            let (low, high) = (counts.min()!, counts.max()!)
            let count = low == high ? "\(low) rows" : "\(low)–\(high) rows (by decision)"
            lines.append("\(attribute): \(count) left out for a missing value"
                         + (attribute.contains("*") ? " of an attribute with missing: exclude" : " (missing: exclude)"))
        }
        return lines
    }

    /// The status of an audit without rules, and what to do about it.    /// The status of an audit without rules, and what to do about it.
    static let nothingJudged = "no rules, nothing judged"
    static let addRules = "add rules to the profile (or --rule 'disparate_impact >= 0.8')"

    /// "5 drift and proxy checks: 3 failed, 0 insufficient evidence", or `nil` without checks.
    static func checksText(_ report: AuditReport) -> String? {
        let judgement = report.judgement
        guard judgement.checks > 0 else { return nil }
        return "\(judgement.checks) drift and proxy checks: \(judgement.checksFailed) failed, "
            + "\(judgement.checks - judgement.checksJudged) insufficient evidence"
    }

    /// `value` with `digits` decimals; from 10¹⁵ on (``scientificFrom``) in scientific
    /// notation with as many (`1.000e+308`), so that a huge score or sum prints as a number
    /// a reader can take in, not as hundreds of digits.
    static func number(_ value: Double?, digits: Int = 3) -> String {
        guard let value else { return "undefined" }
        return String(format: abs(value) >= scientificFrom ? "%.\(digits)e" : "%.\(digits)f", value)
    }

    /// A finding's value: ``number(_:digits:)``, or `withheld` when a published view
    /// withholds it (it said `undefined`, as for a value that does not exist).
    static func value(of finding: AuditReport.Finding) -> String {
        finding.valueIsWithheld ? "withheld" : number(finding.value)
    }

    /// The mark of a value among the groups large enough (``AuditReport/Finding/judgedValue``).
    static let judgedMark = "†"

    /// The value a finding's verdict rests on, as a findings table shows it: "0 to 0.692‡"
    /// for a verdict decided over every split of a tie at a top-k cutoff, "0.330†" for a
    /// between-groups value among the groups large enough (the small ones set aside; the
    /// value over every group is in the decision's section), else ``value(of:)``. A table
    /// that showed the value over every group beside a distance to the limit measured from
    /// the judged value contradicted itself.
    static func decidingValue(of finding: AuditReport.Finding) -> String {
        if finding.isDecidedThroughTie, let range = finding.tieRange, !finding.valueIsWithheld {
            // One value whatever the split: that value.
            return (range[0] == range[1] ? number(range[0]) : number(range[0]) + " to " + number(range[1])) + tieMark
        }
        if let judged = finding.judgedValue, !finding.valueIsWithheld { return number(judged) + judgedMark }
        return value(of: finding)
    }

    /// The mark of a verdict decided over every split of a tie at a top-k cutoff
    /// (``AuditReport/Finding/tieRange``).
    static let tieMark = "‡"

    /// The sentence under a table with a ``tieMark``.
    static let tieLegend = "\(tieMark) = a range that holds the value of every choice of the rows tied at the top-k cutoff (the row "
        + "order's among them); the verdict holds over all of it (no CI)"

    /// The interval of ``decidingValue(of:)``: "no CI" for a value among the groups large
    /// enough (the interval the report holds is over every group); else `interval`
    /// (the finding's own, or its verdict interval) as ``interval(_:)`` writes it.
    static func decidingInterval(of finding: AuditReport.Finding, interval: [Double]?) -> String {
        (finding.judgedValue == nil && !finding.isDecidedThroughTie) || finding.valueIsWithheld ? self.interval(interval) : "no CI"
    }

    /// The sentence under a table with a ``judgedMark``; `sections` adds where the value
    /// over every group is (the Markdown and HTML pages' decision sections).
    static func judgedLegend(minimumGroupSize: Int, sections: Bool = false) -> String {
        "\(judgedMark) = the value among groups with \(minimumGroupSize)+ rows for the rates compared (smaller ones set aside"
            + (sections ? "; the value over every group is in the decision's section)" : ")")
    }

    /// Whether a decision's group table marks a group as under the minimum size.
    static func hasSmallGroup(_ report: AuditReport) -> Bool {
        report.decisions.values.contains { decision in
            decision.attributes.values.contains { attribute in attribute.groups.values.contains { !$0.sufficient } }
        }
    }

    /// The magnitude from which numbers print in scientific notation (``MessageQuote/scientificFrom``).
    static let scientificFrom = MessageQuote.scientificFrom

    /// One sentence on the intervals and marks a report uses (the HTML page's footer):
    /// their level, how rates and disparities get theirs, and the small-group mark.
    static func intervalLegend(_ report: AuditReport) -> String {
        let settings = report.settings
        let level = "\(FindingJudge.format(settings.intervalLevel * 100))%"
        let bootstrap = settings.bootstrapReplicates > 0
            ? "bootstrap percentile (\(settings.bootstrapReplicates) replicates) for disparities" : "no bootstrap for disparities"
        var text = "intervals [low, high]: \(level), Wilson for group rates, \(bootstrap)"
        // Only a page that marks a group explains the mark ("under 1 rows" marked nothing).
        if hasSmallGroup(report) { text += "; * marks groups under \(settings.minimumGroupSize) rows" }
        if settings.verdict == AuditProfile.VerdictMode.interval.rawValue {
            text += "; verdicts by \(level) simultaneous intervals (Bonferroni over each rule's groups)"
        }
        return text
    }

    /// `[1, 10]`, a score range.
    static func range(_ bounds: [Double]) -> String {
        guard bounds.count == 2 else { return "" }
        return "[\(FindingJudge.format(bounds[0])), \(FindingJudge.format(bounds[1]))]"
    }

    static func percent(_ value: Double) -> String {
        String(format: "%.1f%%", value * 100)
    }

    static func interval(_ interval: [Double]?, digits: Int = 3) -> String {
        guard let interval, interval.count == 2 else { return "" }
        return "[\(number(interval[0], digits: digits)), \(number(interval[1], digits: digits))]"
    }

    /// "95%", an interval level.
    static func levelText(_ level: Double) -> String {
        "\(FindingJudge.format(level * 100))%"
    }

    /// "95% CI 0.298–0.479", an interval labelled with its level; "to" between the bounds
    /// when one is negative (`95% CI -0.253 to -0.170`); empty without an interval.
    static func labelledInterval(_ interval: [Double]?, level: Double, digits: Int = 3) -> String {
        let bounds = bounds(interval, digits: digits)
        return bounds.isEmpty ? "" : "\(levelText(level)) CI \(bounds)"
    }

    /// "0.298–0.479", or "-0.253 to -0.170" when a bound is negative; empty without an interval.
    static func bounds(_ interval: [Double]?, digits: Int = 3) -> String {
        guard let interval, interval.count == 2 else { return "" }
        let low = number(interval[0], digits: digits), high = number(interval[1], digits: digits)
        return low + (interval[0] < 0 || interval[1] < 0 ? " to " : "–") + high
    }

    /// An estimate as every rendering shows it: `0.412` when exact; from a score grid,
    /// `0.412 (grid: 0.401–0.423)` with the bound the rows' value lies in (shown only when
    /// its ends differ at three decimals), or `≈ -1.226 (no bound on the grid)` when no
    /// finite bound holds it (`unbounded_on_grid`); `undefined` without a value, `—` without
    /// an estimate.
    static func estimate(_ estimate: AuditReport.Estimate?) -> String {
        guard let estimate else { return "—" }
        guard let value = estimate.value else {
            return estimate.undefinedReason == SuppressedView.withheldReason ? "withheld" : "undefined"
        }
        if estimate.undefinedReason == GridQueue.unboundedOnGrid { return "≈ \(number(value)) (\(unboundedOnGridText))" }
        if let bound = estimate.gridBound, bound.count == 2, number(bound[0]) != number(bound[1]) {
            return "\(number(value)) (grid: \(bounds(bound)))"
        }
        return number(value)
    }

    /// What a grid value without a finite bound is marked with.
    static let unboundedOnGridText = "no bound on the grid"

    /// An attribute's groups in their natural order (``orderedNames(_:counts:reference:)``),
    /// or in `order` (a release's declared groups, ``declaredOrder(_:attribute:)``).
    static func orderedGroups(_ groups: [String: AuditReport.GroupReport], reference: String? = nil,
                              order: [String]? = nil) -> [(String, AuditReport.GroupReport)] {
        let natural = orderedNames(Array(groups.keys), counts: groups.mapValues(\.count), reference: reference)
        let names = order.map { order in order + natural.filter { !order.contains($0) } } ?? natural
        return names.compactMap { name in groups[name].map { (name, $0) } }
    }

    /// The order of an attribute's groups in a differentially private release that
    /// declares them (`privacy.release.groups`); `nil` otherwise.
    static func declaredOrder(_ report: AuditReport, attribute: String) -> [String]? {
        report.privacy?.release?.groups?.first { $0.attribute == attribute && $0.declared }?.names
    }

    /// The name of the group of rows whose sensitive value is missing.
    static let missingGroup = "unknown"

    /// The label of an attribute's overall row in the group tables of every rendering.
    static let overallLabel = TextTable.overallLabel

    /// A group's name as the renderings show it (``TextTable/distinguished(_:)``): a group
    /// named `(overall)` never passes for the overall row.
    static func groupLabel(_ name: String) -> String {
        TextTable.distinguished(name)
    }

    /// Group names in their natural order. Bins (every name but `unknown` a bin name such as
    /// `<25`, `25-34`, `7`, `0.5 to <1.5` or `65+`, as ``SensitiveBins`` writes them and
    /// banded columns often hold them) follow their lower edges; other groups put the
    /// reference first, then the rest by `counts` (largest first), then by name. `unknown`
    /// comes last either way.
    static func orderedNames(_ names: [String], counts: [String: Int], reference: String?) -> [String] {
        let present = names.filter { $0 != missingGroup }
        let edges = present.map(lowerEdge)
        var ordered: [String]
        if !present.isEmpty, edges.allSatisfy({ $0 != nil }) {
            ordered = zip(present, edges).sorted { ($0.1 ?? 0, $0.0) < ($1.1 ?? 0, $1.0) }.map(\.0)
        } else {
            ordered = present.sorted { left, right in
                if (left == reference) != (right == reference) { return left == reference }
                let leftCount = counts[left] ?? 0, rightCount = counts[right] ?? 0
                return leftCount != rightCount ? leftCount > rightCount : left < right
            }
        }
        if names.contains(missingGroup) { ordered.append(missingGroup) }
        return ordered
    }

    /// The lower edge of a bin name (`-∞` for `<25`), `nil` when the name is no bin.
    static func lowerEdge(_ name: String) -> Double? {
        let text = name.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("<"), Double(text.dropFirst().trimmingCharacters(in: .whitespaces)) != nil { return -.infinity }
        if text.hasSuffix("+"), let value = Double(text.dropLast()) { return value }
        if let value = Double(text), value.isFinite { return value }
        if let (low, high) = binEdges(Substring(text)), low <= high { return low }
        return nil
    }

    /// The edges of a bin named `low-high` or `low to <high` (each `-?[0-9]+(.[0-9]+)?`).
    /// Read by hand: a regex literal is compiled each time it is evaluated, and this runs
    /// for every group of every table.
    private static func binEdges(_ text: Substring) -> (Double, Double)? {
        func number(_ part: Substring) -> Double? {
            let unsigned = part.hasPrefix("-") ? part.dropFirst() : part
            let pieces = unsigned.split(separator: ".", omittingEmptySubsequences: false)
            guard (1...2).contains(pieces.count),
                  pieces.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
            return Double(part)
        }
        if let separator = text.range(of: " to <") {
            guard let low = number(text[..<separator.lowerBound]), let high = number(text[separator.upperBound...]) else { return nil }
            return (low, high)
        }
        for index in text.indices.dropFirst() where text[index] == "-" {
            if let low = number(text[..<index]), let high = number(text[text.index(after: index)...]) { return (low, high) }
        }
        return nil
    }

    static func verdictWord(_ verdict: AuditReport.Verdict) -> String {
        switch verdict {
        case .pass: return "PASS"
        case .fail: return "FAIL"
        case .insufficientEvidence: return "INSUFFICIENT EVIDENCE"
        case .noRules: return "NO RULES"
        }
    }

    /// An attribute's groups (in their natural order, then the overall row) with the metrics of
    /// ``groupColumns`` that the report holds; `cell` formats each estimate.
    static func groupTable(_ attribute: AuditReport.AttributeReport, order: [String]? = nil, insufficientMark: String,
                           cell: (AuditReport.Estimate?) -> String) -> TextTable {
        let columns = groupColumns.filter { attribute.overall.metrics[$0.metric] != nil }
        var table = TextTable(header: ["group", "n", "share"] + columns.map(\.heading))
        table.rightAligned = Set(1..<(3 + columns.count))
        // Name and bin label are truncated each, so the insufficient-evidence mark is never cut off.
        table.labelColumns = []
        // The overall row is labelled here, and every group through `TextTable.label`
        // (distinguished from it): the cells are not distinguished again.
        table.labelsDistinguished = true
        let groups = orderedGroups(attribute.groups, reference: attribute.referenceGroup, order: order).map { (TextTable.label($0.0), $0.1) }
        for (name, group) in groups + [(overallLabel, attribute.overall)] {
            var label = group.label.map { "\(name) (\(TextTable.label($0)))" } ?? name
            if !group.sufficient { label += " " + insufficientMark }
            table.rows.append([label, String(group.count), percent(group.share)]
                              + columns.map { cell(group.metrics[$0.metric]) })
        }
        return table
    }
}
