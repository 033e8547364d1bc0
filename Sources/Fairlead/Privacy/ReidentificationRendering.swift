import FairleadCore
import Foundation

/// A ``ReidentificationReport`` for the terminal, Markdown and HTML, and as JSON: the
/// output of `fairlead privacy` and the `reidentification` section of the report
/// renderings. Column names come from hostile files: every one goes through the medium's
/// escaping (``TerminalLines``, ``TextTable``, ``MarkdownEscaping``, ``HTMLEscaping``).
/// It renders what the section holds and recomputes nothing.
public enum ReidentificationRendering {
    /// The output of `fairlead privacy` as terminal text.
    public static func text(_ section: ReidentificationReport, source: String) -> String {
        var lines = TerminalLines()
        lines.append("Re-identification risk of \(source)")
        terminalLines(section, into: &lines)
        return lines.text
    }

    /// The output of `fairlead privacy` as Markdown.
    public static func markdown(_ section: ReidentificationReport, source: String) -> String {
        var lines = ["# Re-identification risk", "", "- Data: \(MarkdownEscaping.code(source))"]
        lines += markdownBody(section)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The output of `fairlead privacy` as one self-contained HTML page.
    public static func html(_ section: ReidentificationReport, source: String) -> String {
        HTMLPage.document(title: "Re-identification risk: \(source)",
                          body: [.tag("main", [:], [.tag("h1", text: "Re-identification risk: \(source)")] + htmlBody(section))])
    }

    /// The output of `fairlead privacy` as JSON: `{"data": source, "reidentification": …}`,
    /// snake_case keys, sorted, as the report writes them.
    public static func json(_ section: ReidentificationReport, source: String) throws -> String {
        struct Output: Encodable {
            var data: String
            var reidentification: ReidentificationReport
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .throw
        return String(decoding: JSONEscaping.escapingHidden(try encoder.encode(Output(data: source, reidentification: section))), as: UTF8.self) + "\n"
    }

    // MARK: - The report's section

    static func terminalSection(_ report: AuditReport, into lines: inout TerminalLines) {
        guard let section = report.reidentification else { return }
        lines.append("")
        lines.append("Re-identification risk (privacy.quasi_identifiers)")
        terminalLines(section, into: &lines)
    }

    static func markdownSection(_ report: AuditReport) -> [String] {
        guard let section = report.reidentification else { return [] }
        return ["", "## Re-identification risk", ""] + markdownBody(section)
    }

    static func htmlSection(_ report: AuditReport) -> [Markup] {
        guard let section = report.reidentification else { return [] }
        return [.tag("section", [:], [.tag("h2", ["id": "reidentification"], text: "Re-identification risk")] + htmlBody(section))]
    }

    // MARK: - Parts shared with the report renderings

    static func percent(_ share: Double) -> String {
        ReportFormatting.number(share * 100, digits: 1) + "%"
    }

    static func risk(_ value: ReidentificationReport.Risk) -> String {
        "highest \(ReportFormatting.number(value.highest)), average \(ReportFormatting.number(value.average)), "
            + "records at risk \(percent(value.recordsAtRisk))"
    }

    /// The facts in words, one per line (raw: each medium escapes them).
    static func facts(_ section: ReidentificationReport) -> [String] {
        [
            "\(section.rows) rows in \(section.equivalenceClasses) equivalence classes over " + section.quasiIdentifiers.map(\.name).joined(separator: ", "),
            "k-anonymity: \(section.kAnonymity) (the smallest class)",
            "unique records: \(section.uniqueRecords) (\(percent(section.uniqueShare)))",
            "records in classes smaller than k = \(section.k): \(section.recordsBelowK) (\(percent(section.recordsBelowKShare))) in \(section.classesBelowK) classes",
            "prosecutor risk: " + risk(section.prosecutor),
            "journalist risk: " + risk(section.journalist) + (section.journalistPopulation == "sample" ? " (the sample taken as the population)" : ""),
            "marketer risk: \(ReportFormatting.number(section.marketer))",
        ]
    }

    static func quasiTable(_ section: ReidentificationReport) -> TextTable {
        var table = TextTable(header: ["quasi-identifier", "distinct values", "missing"])
        table.rightAligned = [1, 2]
        for column in section.quasiIdentifiers {
            table.rows.append([column.name, String(column.distinctValues), String(column.missing)])
        }
        return table
    }

    static func sensitiveTable(_ section: ReidentificationReport) -> TextTable {
        var table = TextTable(header: ["sensitive attribute", "type", "distinct values", "l-diversity", "entropy l", "t-closeness"])
        table.rightAligned = [2, 3, 4, 5]
        for attribute in section.sensitive {
            table.rows.append([attribute.name, attribute.type, String(attribute.distinctValues), String(attribute.lDiversity),
                               ReportFormatting.number(attribute.entropyLDiversity), ReportFormatting.number(attribute.tCloseness)])
        }
        return table
    }

    /// The smallest class sizes, up to k (the ones at risk) and at most ten of them.
    static func smallClasses(_ section: ReidentificationReport) -> String {
        let shown = section.classSizes.filter { $0.size < max(section.k, 2) }.prefix(10)
        guard !shown.isEmpty else { return "no class is smaller than k = \(section.k)" }
        return "classes by size: " + shown.map { "\($0.classes) of size \($0.size)" }.joined(separator: ", ")
    }

    static func terminalLines(_ section: ReidentificationReport, into lines: inout TerminalLines) {
        for fact in facts(section) { lines.append("  " + fact) }
        lines.append("  " + smallClasses(section))
        lines.append("")
        lines.append(contentsOf: quasiTable(section).renderPlain(indent: "  ", width: TerminalWidth.lineWidth))
        if !section.sensitive.isEmpty {
            lines.append("")
            lines.append(contentsOf: sensitiveTable(section).renderPlain(indent: "  ", width: TerminalWidth.lineWidth))
        }
        lines.append("")
        for note in section.notes { lines.append("  note: " + note) }
    }

    static func markdownBody(_ section: ReidentificationReport) -> [String] {
        var lines = facts(section).map { "- " + MarkdownEscaping.text($0) }
        lines.append("- " + MarkdownEscaping.text(smallClasses(section)))
        lines.append("")
        lines += quasiTable(section).renderMarkdown()
        if !section.sensitive.isEmpty {
            lines.append("")
            lines += sensitiveTable(section).renderMarkdown()
        }
        lines.append("")
        lines += section.notes.map { "- Note: " + MarkdownEscaping.text($0) }
        return lines
    }

    static func htmlBody(_ section: ReidentificationReport) -> [Markup] {
        var children: [Markup] = [.tag("ul", [:], (facts(section) + [smallClasses(section)]).map { .tag("li", text: $0) })]
        var quasi = HTMLTable(caption: "Quasi-identifiers", header: ["quasi-identifier", "distinct values", "missing"], numeric: [1, 2])
        for column in section.quasiIdentifiers {
            quasi.append([column.name, String(column.distinctValues), String(column.missing)])
        }
        children.append(quasi.markup)
        if !section.sensitive.isEmpty {
            var sensitive = HTMLTable(caption: "Sensitive attributes",
                                      header: ["sensitive attribute", "type", "distinct values", "l-diversity", "entropy l", "t-closeness"],
                                      numeric: [2, 3, 4, 5])
            for attribute in section.sensitive {
                sensitive.append([attribute.name, attribute.type, String(attribute.distinctValues), String(attribute.lDiversity),
                                  ReportFormatting.number(attribute.entropyLDiversity), ReportFormatting.number(attribute.tCloseness)])
            }
            children.append(sensitive.markup)
        }
        children += section.notes.map { .tag("p", ["class": "explain"], text: "Note: " + $0) }
        return children
    }
}
