import FairleadCore

/// The lead-queue section of the terminal and Markdown renderings: per attribute a table
/// of groups (AUC, calibration, distances, top-k share and skew) and the threshold ranges
/// where the rules hold. It formats what the report holds and computes nothing.
enum QueueRendering {
    static let columns: [(key: String, heading: String)] = [
        ("auc", "AUC"), ("xauc_disparity", "xAUC gap"), ("ks_statistic", "KS"),
        ("expected_calibration_error", "ECE"), ("calibration_in_the_large", "mean − rate"), ("brier_score", "Brier"),
    ]

    /// The terminal's shorter headings, with what they mean (its legend).
    static let terminalHeadings: [String: (heading: String, meaning: String)] = [
        "auc": ("AUC", "ROC AUC within the group"),
        "xauc_disparity": ("xAUC", "xAUC(group, rest) − xAUC(rest, group)"),
        "ks_statistic": ("KS", "Kolmogorov–Smirnov distance between the group's scores and the rest's"),
        "expected_calibration_error": ("ECE", "expected calibration error"),
        "calibration_in_the_large": ("CITL", "calibration in the large, mean score − rate"),
        "brier_score": ("Brier", "Brier score"),
    ]

    /// The groups of `queue` with the metrics it holds, and its legend entries. Groups come
    /// in their natural order (`counts`, the groups' rows, order categorical ones). The
    /// top-k share carries its Wilson interval: in the cell in Markdown, in a column of its
    /// own in the terminal (headed by `level`, as the fairness values' intervals are),
    /// left out when no group's share has one (an audit from a score grid).
    static func table(_ queue: AuditReport.QueueReport, cutoff: String?, counts: [String: Int] = [:],
                      terminal: Bool = false, level: Double = 0.95) -> (table: TextTable, legend: [(key: String, meaning: String)]) {
        let present = columns.filter { column in queue.groups.values.contains { $0[column.key]?.value != nil } }
        let top = cutoff.flatMap { queue.topK[$0] }
        let shareIntervals = terminal && top?.groups.values.contains { $0[Metric.shareOfTopK.rawValue]?.interval != nil } == true
        var legend: [(key: String, meaning: String)] = []
        var header = ["group"]
        for column in present {
            if terminal, let short = terminalHeadings[column.key] {
                header.append(short.heading)
                legend.append((short.heading, short.meaning))
            } else {
                header.append(column.heading)
            }
        }
        if let cutoff, top != nil {
            if terminal {
                header += ["top"] + (shareIntervals ? ["\(ReportFormatting.levelText(level)) CI"] : []) + ["skew"]
                legend += [("top", "share of the leads in \(cutoff)"), ("skew", "ln(share of \(cutoff) ÷ share of rows)")]
            } else {
                header += ["share \(cutoff)", "skew"]
            }
        }
        var table = TextTable(header: header)
        table.rightAligned = Set(1..<header.count)
        var undefined = false
        for name in ReportFormatting.orderedNames(Array(queue.groups.keys), counts: counts, reference: queue.referenceGroup) {
            let group = queue.groups[name] ?? [:]
            var estimates = present.map { group[$0.key] }
            if let top { estimates += [top.groups[name]?["share_of_top_k"], top.groups[name]?["skew_at_k"]] }
            var cells = estimates.map { estimate in
                guard terminal else {
                    // As the Markdown group tables: a rate with its interval (the top-k share's Wilson).
                    let interval = ReportFormatting.interval(estimate?.interval, digits: 2)
                    return ReportFormatting.estimate(estimate) + (interval.isEmpty ? "" : " \(interval)")
                }
                guard let estimate, estimate.value == nil else { return ReportFormatting.estimate(estimate) }
                undefined = true
                return TerminalTables.undefinedText
            }
            if shareIntervals {
                cells.insert(ReportFormatting.bounds(top?.groups[name]?[Metric.shareOfTopK.rawValue]?.interval), at: cells.count - 1)
            }
            table.rows.append([name] + cells)
        }
        if undefined { legend.append((TerminalTables.undefinedText, "undefined, nothing to divide by (the JSON report says why)")) }
        return (table, legend)
    }

    /// In place of an attribute's table when the report holds none of its groups: a
    /// published view withholds the row of each group with a withheld cell.
    static let noGroupsText = "no group's queue values are published (see the privacy section)"

    /// Per top-k cutoff whose cut goes through tied scores, the tie in words
    /// (``AuditReport/TieAtCutoffInfo/queueSentence``), in cutoff name order: said once
    /// for the section, as the cut is the same under every attribute.
    static func tieNotes(_ queue: [String: AuditReport.QueueReport]) -> [(cutoff: String, sentence: String)] {
        var ties: [String: AuditReport.TieAtCutoffInfo] = [:]
        for section in queue.values {
            for (cutoff, top) in section.topK { if let tie = top.tieAtCutoff { ties[cutoff] = tie } }
        }
        return ties.sorted { $0.key < $1.key }.map { ($0.key, $0.value.queueSentence) }
    }

    static func rangesText(_ ranges: [[Double]]) -> String {
        ranges.isEmpty ? "at no threshold"
            : ranges.map { $0[0] == $0[1] ? "at \(ReportFormatting.number($0[0], digits: 2))"
                : "\(ReportFormatting.number($0[0], digits: 2))–\(ReportFormatting.number($0[1], digits: 2))" }
                .joined(separator: ", ")
    }

    static func terminalLines(_ report: AuditReport, legend: inout TerminalLegend, into lines: inout TerminalLines) {
        guard let queue = report.queue, !queue.isEmpty else { return }
        lines.append("")
        lines.append("Lead queue (threshold-free" + (topKHeading(report, queue: queue).map { "; " + $0 } ?? "") + ")")
        for note in tieNotes(queue) { lines.append("  Note: at \(note.cutoff), \(note.sentence)") }
        for (attribute, section) in queue.sorted(by: { $0.key < $1.key }) {
            lines.append("")
            lines.append("  \(TextTable.label(attribute))" + (section.referenceGroup.map { ", reference \(TextTable.label($0))" } ?? ""))
            if section.groups.isEmpty {
                lines.append("  \(noGroupsText)")
            } else {
                let (table, entries) = self.table(section, cutoff: section.topK.keys.sorted().first,
                                                  counts: counts(report, attribute: attribute), terminal: true,
                                                  level: report.settings.intervalLevel)
                lines.append(contentsOf: table.renderPlain(indent: "  ", width: TerminalWidth.lineWidth))
                lines.append(contentsOf: legend.lines(for: entries))
            }
            for (rule, ranges) in section.thresholdRanges.sorted(by: { $0.key < $1.key }) {
                lines.append("    \(rule) holds for score thresholds \(rangesText(ranges))")
            }
        }
    }

    /// Where the tables' top-k columns are cut: at a top-k decision of the profile, or —
    /// when it has none — at the top 10% of leads, which the queue measures by default;
    /// `nil` when no top-k column is shown (a published view withholds them).
    static func topKHeading(_ report: AuditReport, queue: [String: AuditReport.QueueReport]) -> String? {
        guard let cutoff = queue.values.lazy.compactMap({ $0.topK.keys.sorted().first }).first else { return nil }
        return report.decisions[cutoff] != nil ? "top-k columns at \(cutoff), a top-k decision"
            : "top-k columns at \(cutoff), the default: no top-k decision"
    }

    /// The rows of each group of `attribute`, from the first decision that holds it.
    static func counts(_ report: AuditReport, attribute: String) -> [String: Int] {
        report.decisions.sorted { $0.key < $1.key }.lazy.compactMap { $0.value.attributes[attribute] }.first?
            .groups.mapValues(\.count) ?? [:]
    }

    static func markdownLines(_ report: AuditReport) -> [String] {
        guard let queue = report.queue, !queue.isEmpty else { return [] }
        var lines = ["", "## Lead queue"]
        for note in tieNotes(queue) {
            lines.append("")
            lines.append("**Note:** at \(MarkdownEscaping.code(note.cutoff)), " + MarkdownEscaping.text(note.sentence))
        }
        for (attribute, section) in queue.sorted(by: { $0.key < $1.key }) {
            lines.append("")
            lines.append("### \(MarkdownEscaping.text(attribute))" + (section.referenceGroup.map { " (reference: \(MarkdownEscaping.text(TextTable.label($0))))" } ?? ""))
            lines.append("")
            if section.groups.isEmpty {
                lines.append(noGroupsText.prefix(1).uppercased() + noGroupsText.dropFirst() + ".")
            } else {
                lines += table(section, cutoff: section.topK.keys.sorted().first, counts: counts(report, attribute: attribute)).table.renderMarkdown()
            }
            if !section.thresholdRanges.isEmpty {
                lines.append("")
                for (rule, ranges) in section.thresholdRanges.sorted(by: { $0.key < $1.key }) {
                    lines.append("- \(MarkdownEscaping.code(rule)) holds for score thresholds \(rangesText(ranges))")
                }
            }
        }
        return lines
    }
}
