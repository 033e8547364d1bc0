import FairleadCore
import Foundation

/// The first screen of the terminal rendering, what a reader needs before any table:
///
/// - the verdict with the profile's name and the counts of findings passed, failed and
///   undecided (and of drift and proxy checks);
/// - the failing rules, each with how many groups fail and its worst places (value,
///   labelled interval, distance to the limit);
/// - what lacked evidence: which rules and groups, and the rows they have against the
///   minimum;
/// - the drift and proxy failures, likewise worst first;
/// - where every finding is (`--verbose`, the JSON and Markdown), and a legend for the
///   intervals and marks used.
enum TerminalSummary {
    /// Places shown per failing rule, drift and proxy check.
    static let worstShown = 3

    static func append(_ report: AuditReport, verbose: Bool, into lines: inout TerminalLines) {
        if report.status == .noRules {
            lines.appendVerdict(ReportFormatting.verdictWord(report.status), report.status,
                                "\(report.profile.name): \(ReportFormatting.nothingJudged)")
            lines.append(ReportFormatting.addRules)
        } else {
            lines.appendVerdict(ReportFormatting.verdictWord(report.status), report.status,
                                "\(report.profile.name): " + ReportFormatting.rulesText(report))
        }
        if let checks = ReportFormatting.checksText(report) {
            lines.append(checks)
        }
        lines.append("data \(report.data.source) · \(report.rows.used) of \(report.rows.read) rows used"
                     + report.rows.excluded.sorted(by: { $0.key < $1.key }).filter { $0.value > 0 }
                        .map { " · \($0.value) \($0.key.replacingOccurrences(of: "_", with: " "))" }.joined()
                     + (report.data.scoreScale.map { " · scores \($0.source) \(ReportFormatting.range($0.range))" } ?? ""))
        for line in ReportFormatting.accountingLines(report) {
            lines.append("  " + line)
        }
        if let labels = report.lateLabels {
            lines.append("labels \(labels.source) joined on \(labels.idColumn): \(labels.labelled) rows labelled, \(labels.unlabelled) not yet"
                         + (labels.unmatched > 0 ? ", \(labels.unmatched) label\(labels.unmatched == 1 ? "" : "s") without a row" : "")
                         + (labels.completes.map { " · completes entry \($0.entry)" } ?? ""))
        }
        for note in report.notes ?? [] {
            lines.append("note: \(note)")
        }
        let marked = appendFailures(report, into: &lines)
        appendUndecided(report, verbose: verbose, into: &lines)
        DriftRendering.terminalSummary(report, shown: worstShown, into: &lines)
        ExplanationsRendering.terminalSummary(report, into: &lines)
        lines.append("")
        if !verbose, let pointer = pointer(report) {
            lines.append(pointer)
        }
        lines.append(intervalLegend(report))
        if marked.contains(ReportFormatting.judgedMark) {
            lines.append(ReportFormatting.judgedLegend(minimumGroupSize: report.settings.minimumGroupSize))
        }
        if marked.contains(ReportFormatting.tieMark) { lines.append(ReportFormatting.tieLegend) }
    }

    /// The failing rules, worst places first; the marks their values carry (judged among
    /// the groups large enough, decided through a tie).
    static func appendFailures(_ report: AuditReport, into lines: inout TerminalLines) -> Set<String> {
        let failed = report.findings.filter { $0.verdict == .fail }
        guard !failed.isEmpty else { return [] }
        let level = report.settings.intervalLevel
        let failedRules = TerminalFindings.rules(report).filter { rule in failed.contains { $0.rule == rule } }
        lines.append("")
        lines.append("Failed: \(failedRules.count) rule\(failedRules.count == 1 ? "" : "s"), worst first "
                     + "(value, \(ReportFormatting.levelText(level)) CI, distance to the limit)")
        var table = TextTable(header: ["place", "value", "interval", "distance"])
        table.headerShown = false
        table.labelColumns = []
        table.fittedColumns = [0]
        table.rightAligned = [1]
        var headings: [(row: Int, text: String)] = []
        var marked: Set<String> = []
        for rule in failedRules {
            let findings = report.findings.filter { $0.rule == rule }
            let perGroup = findings.contains { $0.group != nil }
            let counts = Dictionary(grouping: findings, by: \.verdict).mapValues(\.count)
            // Worst first; the report's order among equals.
            let failing = findings.enumerated().filter { $0.element.verdict == .fail }
                .map { (index: $0.offset, finding: $0.element, shortfall: TerminalFindings.shortfall($0.element) ?? -.infinity) }
                .sorted { ($0.shortfall, $1.index) > ($1.shortfall, $0.index) }.map { $0.finding }
            let shown = failing.prefix(worstShown)
            let heading = "  \(rule): \(TerminalFindings.failing(failing, perGroup: perGroup)), "
                + "\(counts[.pass, default: 0]) pass, \(counts[.insufficientEvidence, default: 0]) insufficient evidence"
            headings.append((table.rows.count, heading))
            for finding in shown {
                if finding.judgedValue != nil { marked.insert(ReportFormatting.judgedMark) }
                if finding.isDecidedThroughTie { marked.insert(ReportFormatting.tieMark) }
                table.rows.append([TerminalFindings.place(finding), TerminalFindings.valueText(finding),
                                   TerminalFindings.intervalText(finding, level: level), TerminalFindings.distance(finding)])
            }
        }
        let rows = table.renderPlain(indent: "    ", width: TerminalWidth.lineWidth)
        for (index, row) in rows.enumerated() {
            for heading in headings where heading.row == index { lines.append(heading.text) }
            lines.append(row)
        }
        return marked
    }

    /// The undecided findings per rule: small groups with their rows against the minimum,
    /// and the other places with why they are undecided.
    static func appendUndecided(_ report: AuditReport, verbose: Bool, into lines: inout TerminalLines) {
        let undecided = report.findings.filter { $0.verdict == .insufficientEvidence }
        let unjudged = TerminalFindings.rules(report).filter { rule in
            !report.findings.contains { $0.rule == rule && ($0.verdict == .pass || $0.verdict == .fail) }
        }
        guard !undecided.isEmpty || !unjudged.isEmpty else { return }
        lines.append("")
        lines.append("Insufficient evidence: \(undecided.count) finding\(undecided.count == 1 ? "" : "s")"
                     + (verbose ? "" : "; what would decide each: --verbose"))
        let minimum = report.settings.minimumGroupSize
        for rule in TerminalFindings.rules(report) {
            let findings = undecided.filter { $0.rule == rule }
            if findings.isEmpty {
                if unjudged.contains(rule) { lines.append("  \(rule): not judged, no decision or attribute it applies to") }
                continue
            }
            var parts: [String] = []
            // Small groups: each once, however many decisions judged it.
            var small: [String: [String: Int]] = [:]
            // Groups of enough rows whose weights sit on too few of them (effective rows).
            var weighted: Set<String> = []
            var others: [AuditReport.Finding] = []
            for finding in findings {
                if let group = finding.group,
                   let groupReport = report.decisions[finding.decision]?.attributes[finding.attribute]?.groups[group],
                   !groupReport.sufficient {
                    small[finding.attribute, default: [:]][group] = groupReport.count
                    if groupReport.count >= minimum { weighted.insert(finding.attribute) }
                } else {
                    others.append(finding)
                }
            }
            var groupLists: [String] = []
            for (attribute, groups) in small.sorted(by: { $0.key < $1.key }) {
                let counts = groups.values.sorted()
                let range = counts.first == counts.last ? "\(counts.first ?? 0) rows" : "\(counts.first ?? 0)–\(counts.last ?? 0) rows"
                let under = weighted.contains(attribute) ? "under \(minimum) rows or effective rows by their weights"
                    : "under \(minimum) rows"
                parts.append("\(groups.count) \(TextTable.label(attribute)) group\(groups.count == 1 ? "" : "s") "
                             + "\(under) (\(range))")
                groupLists.append(groups.sorted { ($0.value, $0.key) < ($1.value, $1.key) }
                    .map { "\(TextTable.label($0.key)) \($0.value)" }.joined(separator: ", "))
            }
            parts += otherCauses(others)
            lines.append("  \(rule): \(findings.count) finding\(findings.count == 1 ? "" : "s"), " + parts.joined(separator: "; "))
            for list in groupLists {
                lines.append(clipped("    " + list, suffix: ", …"))
            }
        }
    }

    /// Places undecided for another reason than a small group, by their recorded cause
    /// (``AuditReport/Finding/undecidedCause``): "small groups set aside: gender at
    /// threshold_0.3, top_10pct". A report written before the field groups them under
    /// "cause not recorded in this report".
    static func otherCauses(_ findings: [AuditReport.Finding]) -> [String] {
        func cause(_ finding: AuditReport.Finding) -> String {
            finding.undecidedCause.map(causeWords) ?? "cause not recorded in this report"
        }
        var order: [String] = [], byCause: [String: [AuditReport.Finding]] = [:]
        for finding in findings {
            let key = cause(finding)
            if byCause[key] == nil { order.append(key) }
            byCause[key, default: []].append(finding)
        }
        return order.map { key in
            let findings = byCause[key] ?? []
            var decisions: [String: [String]] = [:], places: [String] = []
            for finding in findings {
                let place = [finding.attribute, finding.group].compactMap { $0 }.map(TextTable.label).joined(separator: " / ")
                if decisions[place] == nil { places.append(place) }
                decisions[place, default: []].append(finding.decision)
            }
            return key + ": " + places.map { "\($0) at \((decisions[$0] ?? []).map(TextTable.label).joined(separator: ", "))" }
                .joined(separator: "; ")
        }
    }

    /// An undecided cause as the summary names it.
    static func causeWords(_ cause: AuditReport.UndecidedCause) -> String {
        switch cause {
        case .tooFewRows: return "too few rows"
        case .smallGroupsSetAside: return "small groups set aside"
        case .nothingToCompare: return "nothing to compare"
        case .noLabels: return "no labels"
        case .selectsAllOrNone: return "selects every row or none"
        case .tiedAtCutoff: return "the top k cuts through tied scores"
        case .notApplicable: return "not applicable"
        case .valueUndefined: return "value undefined"
        case .scoreGrid: return "not settled by the score grid"
        case .noInterval: return "no interval to judge"
        case .intervalStraddles: return "not settled by the interval"
        case .noise: return "may be noise"
        case .withheld: return "withheld in the published view"
        }
    }

    /// `text` cut at a word so that it and `suffix` fit a line, when it does not fit.
    static func clipped(_ text: String, suffix: String) -> String {
        let visible = TerminalEscaping.visible(text)
        guard TerminalWidth.columns(visible) > TerminalWidth.lineWidth else { return visible }
        var kept = TerminalWidth.truncated(visible, to: TerminalWidth.lineWidth - TerminalWidth.columns(suffix) + 1)
        kept.removeLast()
        if let comma = kept.range(of: ", ", options: .backwards) { kept = String(kept[..<comma.lowerBound]) }
        return kept + suffix
    }

    /// Where the rest is: "All 74 findings, each with its reason: --verbose, or --format json|markdown".
    static func pointer(_ report: AuditReport) -> String? {
        var counts: [String] = []
        if !report.findings.isEmpty { counts.append("\(report.findings.count) rule findings") }
        if let drift = report.drift, !drift.findings.isEmpty { counts.append("\(drift.findings.count) drift checks") }
        if let explanations = report.explanations, !explanations.findings.isEmpty {
            counts.append("\(explanations.findings.count) proxy checks")
        }
        guard !counts.isEmpty else { return nil }
        return "All \(counts.joined(separator: ", ")), each with its reason: --verbose, or --format json|markdown"
    }

    /// What the intervals are, and how verdicts use them.
    static func intervalLegend(_ report: AuditReport) -> String {
        let settings = report.settings
        let level = ReportFormatting.levelText(settings.intervalLevel)
        let bootstrap = settings.bootstrapReplicates > 0
            ? "bootstrap (\(settings.bootstrapReplicates) replicates) for disparities" : "none for disparities (no bootstrap)"
        var text = "\(level) CI = confidence interval: Wilson for rates, \(bootstrap)"
        if settings.verdict == AuditProfile.VerdictMode.interval.rawValue {
            text += "; verdicts by \(level) simultaneous intervals (Bonferroni over each rule's groups)"
        }
        return text
    }
}
