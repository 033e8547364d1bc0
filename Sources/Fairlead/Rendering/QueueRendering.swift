import FairleadCore

/// The lead-queue section of the terminal and Markdown renderings: per attribute a table
/// of groups (AUC, calibration, distances, top-k share and skew) and the threshold ranges
/// where the rules hold. It formats what the report holds and computes nothing.
enum QueueRendering {
    static let columns: [(key: String, heading: String)] = [
        ("auc", "AUC"), ("xauc_disparity", "xAUC gap"), ("ks_statistic", "KS"),
        ("expected_calibration_error", "ECE"), ("calibration_in_the_large", "mean − rate"), ("brier_score", "Brier"),
    ]

    static func table(_ queue: AuditReport.QueueReport, cutoff: String?) -> TextTable {
        let present = columns.filter { column in queue.groups.values.contains { $0[column.key]?.value != nil } }
        let top = cutoff.flatMap { queue.topK[$0] }
        var header = ["group"] + present.map(\.heading)
        if let cutoff, top != nil { header += ["share \(cutoff)", "skew"] }
        var table = TextTable(header: header)
        table.rightAligned = Set(1..<header.count)
        for name in queue.groups.keys.sorted() {
            let group = queue.groups[name] ?? [:]
            var row = [name] + present.map { ReportFormatting.estimate(group[$0.key]) }
            if let top {
                row += [ReportFormatting.estimate(top.groups[name]?["share_of_top_k"]),
                        ReportFormatting.estimate(top.groups[name]?["skew_at_k"])]
            }
            table.rows.append(row)
        }
        return table
    }

    static func rangesText(_ ranges: [[Double]]) -> String {
        ranges.isEmpty ? "at no threshold"
            : ranges.map { $0[0] == $0[1] ? "at \(ReportFormatting.number($0[0], digits: 2))"
                : "\(ReportFormatting.number($0[0], digits: 2))–\(ReportFormatting.number($0[1], digits: 2))" }
                .joined(separator: ", ")
    }

    static func terminalLines(_ report: AuditReport, into lines: inout TerminalLines) {
        guard let queue = report.queue, !queue.isEmpty else { return }
        lines.append("")
        lines.append("Lead queue (threshold-free; top-k at the first top-k decision)")
        for (attribute, section) in queue.sorted(by: { $0.key < $1.key }) {
            lines.append("")
            lines.append("  \(attribute)" + (section.referenceGroup.map { ", reference \(TextTable.label($0))" } ?? ""))
            lines.append(contentsOf: table(section, cutoff: section.topK.keys.sorted().first).renderPlain(indent: "  "))
            for (rule, ranges) in section.thresholdRanges.sorted(by: { $0.key < $1.key }) {
                lines.append("    \(rule) holds for score thresholds \(rangesText(ranges))")
            }
        }
    }

    static func markdownLines(_ report: AuditReport) -> [String] {
        guard let queue = report.queue, !queue.isEmpty else { return [] }
        var lines = ["", "## Lead queue"]
        for (attribute, section) in queue.sorted(by: { $0.key < $1.key }) {
            lines.append("")
            lines.append("### \(MarkdownEscaping.text(attribute))" + (section.referenceGroup.map { " (reference: \(MarkdownEscaping.text(TextTable.label($0))))" } ?? ""))
            lines.append("")
            lines += table(section, cutoff: section.topK.keys.sorted().first).renderMarkdown()
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
