import FairleadCore

/// The terminal and Markdown renderings of a ``MitigationReport``: they render, never
/// recompute. Every name goes through ``TextTable`` (terminal: ``TerminalEscaping``;
/// Markdown: ``MarkdownEscaping``) or ``TextTable/label(_:)``.
public enum MitigationRendering {
    /// What every rendering says before the options (docs/mitigation.md, "Is it lawful?").
    public static let caution = "These are options, not decisions: people weigh them. Group-specific thresholds treat "
        + "leads differently by a protected attribute (disparate treatment): unlawful for credit, employment and "
        + "housing decisions under US law (ECOA, Title VII, FHA) and likely so under EU non-discrimination law; "
        + "lawful uses are narrow. A single threshold treats every lead alike. See docs/mitigation.md."

    /// The report for a terminal (`markdown: false`) or as Markdown.
    public static func render(_ report: MitigationReport, markdown: Bool) -> String {
        let name = TextTable.label(report.profile)
        var lines = [markdown ? "# Mitigation options: \(MarkdownEscaping.text(report.profile))" : "Mitigation options · \(name)"]
        lines += body(report, markdown: markdown, level: 2)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The status words of a mitigation report's `status`.
    static func statusWords(_ status: String) -> String {
        ["options_found": "OPTIONS FOUND", "none_feasible": "NONE FEASIBLE", "passes": "NOTHING TO MITIGATE",
         "insufficient_evidence": "INSUFFICIENT EVIDENCE", "not_asked": "NO THRESHOLD OPTIONS ASKED FOR",
         "not_checked": "NOT CHECKED", "no_rules": "NO RULES", "not_computed": "OPTIONS NOT COMPUTED"][status]
            ?? TerminalEscaping.visible(status.uppercased())
    }

    /// A decision's status in its heading, naming the rules of it not checked on options:
    /// `passes today on the rules checked; not checked on options: theil_index <= 0.2`.
    static func decisionStatusWords(_ decision: MitigationReport.DecisionOptions) -> String {
        let unchecked = (decision.uncheckedRules ?? []).joined(separator: ", ")
        let notChecked = unchecked.isEmpty ? "" : "; not checked on options: \(unchecked)"
        switch decision.status {
        case "passes": return "passes today"
        case "insufficient_evidence": return "insufficient evidence today" + notChecked
        case "not_checked":
            if decision.current.rules.isEmpty { return "not checked: no rule of it can be checked on options" }
            if decision.current.rules.contains(where: { !$0.holds && $0.undecided == nil }) {
                return "fails today; no option found, group thresholds not computed for every attribute" + notChecked
            }
            return "passes today on the rules checked" + notChecked
        case "options_found": return "fails today; options found" + notChecked
        case "none_feasible": return "fails today; no feasible option" + notChecked
        default: return TerminalEscaping.visible(decision.status)
        }
    }

    /// Everything under the title: status, caution, notes, then per decision its ways of
    /// selecting, group rules and rules held; decisions are Markdown headings of `level`
    /// (2 for `fairlead mitigate`, 3 inside an audit report's section).
    static func body(_ report: MitigationReport, markdown: Bool, level: Int) -> [String] {
        var lines: [String] = []
        let status = statusWords(report.status)
        let hashes = String(repeating: "#", count: level)
        lines.append("")
        lines.append(markdown ? "**\(status)** · objective: the most conversions within each decision's capacity"
                              : "\(status) · objective: the most conversions within each decision's capacity")
        lines.append("")
        lines.append(caution)
        for note in report.notes {
            lines.append(markdown ? "- \(MarkdownEscaping.text(note))" : "note: \(TerminalEscaping.visible(note))")
        }
        for (decisionName, decision) in report.decisions.sorted(by: { $0.key < $1.key }) {
            lines.append("")
            let statusWord = decisionStatusWords(decision)
            let heading = "Decision \(decisionName) (\(decision.kind)) · capacity \(FindingJudge.format(decision.capacity)) leads · \(statusWord)"
            lines.append(markdown ? "\(hashes) \(MarkdownEscaping.text(heading))" : TerminalEscaping.visible(heading))
            lines.append("")
            let ways = Self.ways(decision)
            var summary = TextTable(header: ["way", "selected", "conversions", "change", "precision", "rules held"])
            summary.rightAligned = [1, 2, 3, 4, 5]
            summary.labelColumns = []
            for (label, cost) in ways {
                let held = cost.rules.filter(\.holds).count
                summary.rows.append([label, String(format: "%.1f", cost.selected), String(format: "%.1f", cost.conversions),
                                     String(format: "%+.1f", cost.conversions - decision.current.conversions),
                                     ReportFormatting.number(cost.precision), "\(held) of \(cost.rules.count)"])
            }
            lines += markdown ? summary.renderMarkdown() : summary.renderPlain()
            if let note = decision.singleThresholdNote {
                lines.append("")
                lines.append((markdown ? "" : "  ") + "single threshold: " + (markdown ? MarkdownEscaping.text(note) : TerminalEscaping.visible(note)))
            }
            for note in decision.groupThresholdNotes ?? [] {
                lines.append("")
                lines.append((markdown ? "" : "  ") + (markdown ? MarkdownEscaping.text(note) : TerminalEscaping.visible(note)))
            }
            for option in decision.groupThresholds {
                lines.append("")
                let title = "\(option.attribute), \(option.constraint.replacingOccurrences(of: "_", with: " ")): common rate \(ReportFormatting.number(option.commonRate))"
                    + (option.commonTruePositiveRate.map { ", common TPR \(ReportFormatting.number($0))" } ?? "")
                    + (option.randomized ? " (randomized)" : "")
                lines.append(markdown ? "\(hashes)# \(MarkdownEscaping.text(title))" : "  " + TerminalEscaping.visible(title))
                if markdown { lines.append("") }
                var table = TextTable(header: ["group", "selected when", "selection rate", "TPR", "FPR"])
                table.rightAligned = [2, 3, 4]
                for (group, rule) in option.groups.sorted(by: { $0.key < $1.key }) {
                    table.rows.append([group, describe(rule), ReportFormatting.number(rule.selectionRate),
                                       ReportFormatting.number(rule.truePositiveRate), ReportFormatting.number(rule.falsePositiveRate)])
                }
                lines += markdown ? table.renderMarkdown() : table.renderPlain(indent: "    ")
            }
            lines.append("")
            lines.append(markdown ? "Rules under each way (worst value; ✗ fails):" : "  rules under each way (worst value; x fails):")
            if markdown { lines.append("") }
            var rules = TextTable(header: ["rule", "attribute"] + ways.map(\.0))
            rules.labelColumns = [1]
            rules.rightAligned = Set(2..<(2 + ways.count))
            for (index, check) in decision.current.rules.enumerated() {
                var row = [check.rule, check.attribute]
                for (_, cost) in ways {
                    let match = cost.rules.first { $0.rule == check.rule && $0.attribute == check.attribute }
                        ?? (index < cost.rules.count && cost.rules[index].rule == check.rule ? cost.rules[index] : nil)
                    row.append(match.map { ReportFormatting.number($0.value) + Self.mark($0, markdown: markdown) } ?? "—")
                }
                rules.rows.append(row)
            }
            lines += markdown ? rules.renderMarkdown() : rules.renderPlain()
            // Why a rule is undecided today (marked ?): as the audit's insufficient evidence.
            for check in decision.current.rules {
                guard let reason = check.undecided else { continue }
                let line = "? \(check.rule), \(check.attribute): insufficient evidence: \(reason)"
                lines.append(markdown ? MarkdownEscaping.text(line) : TerminalEscaping.visible(line))
            }
        }
        if let reweighing = report.reweighing {
            lines.append("")
            let title = "Reweighing weights for retraining, by \(reweighing.attribute): w(g, y) = P(g) P(y) / P(g, y)"
            lines.append(markdown ? "\(hashes) \(MarkdownEscaping.text(title))" : TerminalEscaping.visible(title))
            if markdown { lines.append("") }
            var table = TextTable(header: ["group", "w(g, 1)", "w(g, 0)"])
            table.rightAligned = [1, 2]
            for (group, factors) in reweighing.factors.sorted(by: { $0.key < $1.key }) {
                table.rows.append([group, ReportFormatting.number(factors["1"]), ReportFormatting.number(factors["0"])])
            }
            lines += markdown ? table.renderMarkdown() : table.renderPlain()
        }
        return lines
    }

    /// A threshold as an option gives it: exactly, in the shortest decimal that reads back
    /// as the same number (`0.036268`). Options' thresholds are scores of the data, and one
    /// rounded to four decimals (`0.0363`) selected other leads: `audit --threshold 0.0363`
    /// failed the rule the option was shown to hold.
    static func threshold(_ value: Double) -> String {
        value == 0 ? "0" : "\(value)"
    }

    /// A probability of a randomized rule to six significant digits (the JSON report holds
    /// it exactly): rounded to three decimals, 0.0005 was "with p 0.000", a rule that never
    /// applies.
    static func probability(_ value: Double) -> String {
        String(format: "%.6g", value)
    }

    /// A group's rule in words: `score >= 0.41`, `score >= 0.41; 0.38–0.41 with p 0.25`.
    static func describe(_ rule: MitigationReport.GroupRule) -> String {
        var parts: [String] = []
        if let upper = rule.upperThreshold {
            let always = rule.upperProbability >= 1 - 1e-12
            parts.append("score >= \(threshold(upper))" + (always ? "" : " with p \(probability(rule.upperProbability))"))
            if let lower = rule.lowerThreshold, rule.lowerProbability > 1e-12 {
                parts.append("\(threshold(lower)) <= score < \(threshold(upper)) with p \(probability(rule.lowerProbability))")
            }
        } else {
            parts.append("none")
        }
        if rule.ignoreProbability > 1e-12 {
            parts.append("but with p \(probability(rule.ignoreProbability)) instead at random, rate \(ReportFormatting.number(rule.constantRate))")
        }
        return parts.joined(separator: "; ")
    }

    /// After a rule's value: nothing when it holds, `?` when undecided, `✗` (`x`) when it fails.
    static func mark(_ check: MitigationReport.RuleCheck, markdown: Bool) -> String {
        if check.holds { return "" }
        if check.undecided != nil { return " ?" }
        return markdown ? " ✗" : " x"
    }
}
