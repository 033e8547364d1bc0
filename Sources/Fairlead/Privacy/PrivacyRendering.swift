import FairleadCore

/// The `privacy` section of a published report, for the terminal and Markdown
/// renderings: which policy, what was suppressed and why, or how the noise was added.
/// Nothing for a full report.
enum PrivacyRendering {
    static func terminalLines(_ report: AuditReport, into lines: inout TerminalLines) {
        for line in summary(report) { lines.append(line) }
    }

    static func markdownLines(_ report: AuditReport) -> [String] {
        guard let privacy = report.privacy else { return [] }
        var lines = ["", "## Privacy", ""]
        lines += summary(report).map { "- " + MarkdownEscaping.text($0) }
        if let suppressed = privacy.suppressed, !suppressed.isEmpty {
            lines.append("")
            var table = TextTable(header: ["decision", "attribute", "group", "cell", "reason"])
            // Groups distinguished from the overall row's cells here.
            table.labelsDistinguished = true
            for cell in suppressed {
                table.rows.append([cell.decision, cell.attribute, cell.group.map(ReportFormatting.groupLabel) ?? ReportFormatting.overallLabel, cell.cell, cell.reason])
            }
            lines += table.renderMarkdown()
        }
        if let release = privacy.release {
            lines.append("")
            var table = TextTable(header: ["decision", "attribute", "sensitivity", "epsilon"])
            table.rightAligned = [2, 3]
            for entry in release.tables {
                table.rows.append([entry.decision, entry.attribute, String(entry.sensitivity), FindingJudge.format(entry.epsilon)])
            }
            lines += table.renderMarkdown()
        }
        return lines
    }

    /// The section of the HTML page: the summary in words, then the withheld cells or
    /// the release's tables; nothing for a full report.
    static func htmlSection(_ report: AuditReport) -> [Markup] {
        guard let privacy = report.privacy else { return [] }
        var children: [Markup] = [
            .tag("h2", text: "Published view"),
            .tag("p", ["class": "explain"],
                 text: "This page is the published view of the audit: verdicts rest on the full data; the numbers below say what was withheld or noised, and why (docs/privacy.md)."),
            .tag("ul", [:], summary(report).map { .tag("li", text: $0.trimmingCharacters(in: .whitespaces)) }),
        ]
        if let suppressed = privacy.suppressed, !suppressed.isEmpty {
            var table = HTMLTable(caption: "Cells withheld (\(suppressed.count))", header: ["decision", "attribute", "group", "cell", "reason"])
            // Groups distinguished from the overall row's cells here.
            table.labelsDistinguished = true
            table.labelColumns = [0, 1, 2]
            for cell in suppressed {
                table.append([cell.decision, cell.attribute, cell.group.map(ReportFormatting.groupLabel) ?? ReportFormatting.overallLabel, cell.cell, cell.reason])
            }
            children.append(table.markup)
        }
        if let release = privacy.release {
            var table = HTMLTable(caption: "Tables released with noise", header: ["decision", "attribute", "sensitivity", "epsilon"],
                                  numeric: [2, 3])
            table.labelColumns = [0, 1]
            for entry in release.tables {
                table.append([entry.decision, entry.attribute, String(entry.sensitivity), FindingJudge.format(entry.epsilon)])
            }
            children.append(table.markup)
        }
        if !privacy.withheld.isEmpty {
            var table = HTMLTable(caption: "Sections not published", header: ["section", "why"])
            table.labelColumns = []
            for part in privacy.withheld { table.append([part.path, part.reason]) }
            children.append(table.markup)
        }
        return [.tag("section", ["id": "privacy"], children)]
    }

    /// The section in a few lines of words.
    static func summary(_ report: AuditReport) -> [String] {
        guard let privacy = report.privacy else { return [] }
        var lines: [String] = []
        if let release = privacy.release {
            lines.append("published view: differentially private release, \(release.mechanism.replacingOccurrences(of: "_", with: " ")) noise, "
                         + "ε = \(FindingJudge.format(release.epsilon)) over \(release.tables.count) tables, scale \(FindingJudge.format(release.scale)) "
                         + "(standard deviation \(ReportFormatting.number(release.noiseStandardDeviation, digits: 2)) per cell)")
            if let ledger = release.ledger {
                lines.append("privacy budget of data \(ledger.sha256.prefix(12))…: ε spent \(FindingJudge.format(ledger.spentAfter)) of \(FindingJudge.format(ledger.budget)) "
                             + "(\(FindingJudge.format(ledger.spentBefore)) before this release)")
            }
            lines.append("intervals: \(release.intervalMethod)")
        } else {
            let suppressed = privacy.suppressed ?? []
            let primary = suppressed.filter { $0.reason == "below min_cell" }.count
            lines.append("published view: counts below \(privacy.policy.minCell ?? PrivacyPolicy.defaultMinimumCell) suppressed — "
                         + "\(suppressed.count) cells withheld (\(primary) below min_cell, \(suppressed.count - primary) complementary)")
            let groups = suppressed.filter { $0.cell == "count" && $0.group != nil }
            for (attribute, cells) in Dictionary(grouping: groups, by: \.attribute).sorted(by: { $0.key < $1.key }) {
                let names = Set(cells.compactMap(\.group)).sorted().map(TextTable.label).joined(separator: ", ")
                lines.append("  \(attribute): groups withheld: \(names)")
            }
            for entry in privacy.withheldGroupNames ?? [] {
                lines.append("  \(entry.attribute): \(entry.count) group \(entry.count == 1 ? "name" : "names") withheld, shown as "
                             + "\(entry.placeholders.joined(separator: ", ")): \(entry.reason)")
            }
        }
        if !privacy.withheld.isEmpty {
            lines.append("not published: " + privacy.withheld.map(\.path).joined(separator: ", "))
        }
        lines += privacy.notes.map { "note: \($0)" }
        return lines
    }
}
