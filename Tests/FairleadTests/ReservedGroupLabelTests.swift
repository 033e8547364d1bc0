import Foundation
import Testing
@testable import Fairlead

/// A group whose name is a label the renderings give something else — `(overall)`, the
/// overall row of every group table — is told apart from it in every format that has the
/// table: text, Markdown, HTML, and the published view's table of withheld cells.
@Suite struct ReservedGroupLabelTests {
    /// Groups `(overall)` (6 rows), `a` (12 rows) and `"(overall)"` (4 rows, quotes and all).
    static let csv: String = {
        var csv = "id,score,y,g\n"
        var row = 0
        for (group, rows) in [("(overall)", 6), ("a", 12), ("\"\"\"(overall)\"\"\"", 4)] {
            for index in 0..<rows {
                row += 1
                csv += "\(row),\(Double((row * 37) % 100) / 100),\(index % 2),\(group)\n"
            }
        }
        return csv
    }()

    static func report() throws -> AuditReport {
        try VerdictTests.run(AuditBehaviourTests.profile(minimumGroupSize: 1), csv: csv)
    }

    /// With a rule and groups too small to judge: the summary names them.
    static func judged() throws -> AuditReport {
        let rule = try AuditProfile.rule("disparate_impact >= 0.8", source: "test")
        return try VerdictTests.run(AuditBehaviourTests.profile(rules: [rule], minimumGroupSize: 30), csv: csv)
    }

    /// The overall row is the only row labelled `(overall)`; the group of that name reads
    /// `"(overall)"` in every table and line, the group table's and the queue's alike.
    @Test func text() throws {
        let report = try Self.report()
        let groups = try #require(report.decisions["t05"]?.attributes["g"]?.groups)
        #expect(groups.keys.sorted() == ["\"(overall)\"", "(overall)", "a"])
        let text = TerminalRendering.render(report)
        let labels = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(labels.filter { $0 == "(overall)" }.count == 1, "\(text)")
        #expect(labels.filter { $0 == "\"(overall)\"" }.count == 2, "\(text)")
        #expect(labels.filter { $0 == "\"\"(overall)\"\"" }.count == 2, "\(text)")
        let summary = TerminalRendering.render(try Self.judged())
        #expect(summary.contains("    \"\"(overall)\"\" 4, \"(overall)\" 6\n"), "\(summary)")
    }

    @Test func markdown() throws {
        let markdown = MarkdownRendering.render(try Self.report())
        let labels = markdown.split(separator: "\n").filter { $0.hasPrefix("| ") }
            .compactMap { $0.split(separator: "|").first.map { $0.trimmingCharacters(in: .whitespaces) } }
        #expect(labels.filter { $0 == "(overall)" }.count == 1, "\(markdown)")
        #expect(labels.filter { $0 == "\"(overall)\"" }.count >= 1, "\(markdown)")
        #expect(labels.filter { $0 == "\"\"(overall)\"\"" }.count >= 1, "\(markdown)")
    }

    @Test func html() throws {
        let html = HTMLRendering.render(try Self.report())
        // Every table row of the group (the group table's, the queue's) is quoted; one row is the overall row.
        #expect(html.components(separatedBy: "<th scope=\"row\">(overall)</th>").count - 1 == 1, "\(html)")
        let quoted = html.components(separatedBy: "<th scope=\"row\">&quot;(overall)&quot;</th>").count - 1
        #expect(quoted > 1, "\(html)")
        #expect(html.components(separatedBy: "<th scope=\"row\">&quot;&quot;(overall)&quot;&quot;</th>").count - 1 > 1, "\(html)")
    }

    /// The published view's table of withheld cells names the group of each cell, and the
    /// overall row's cells as `(overall)`.
    @Test func withheldCellsOfAPublishedView() throws {
        let published = try PublishedReport.suppressed(try Self.report(), policy: PrivacyPolicy(minimumCell: 5))
        let suppressed = try #require(published.privacy?.suppressed)
        #expect(suppressed.contains { $0.group == "(overall)" })
        let markdown = MarkdownRendering.render(published)
        let html = HTMLRendering.render(published)
        for cell in suppressed {
            let group = cell.group.map { $0 == "(overall)" ? "\"(overall)\"" : $0 } ?? "(overall)"
            let name = cell.cell.replacingOccurrences(of: "_", with: "\\_")
            #expect(markdown.contains("| \(cell.decision) | \(cell.attribute) | \(group) | \(name) |"), "\(cell) \(markdown)")
            let htmlGroup = group.replacingOccurrences(of: "\"", with: "&quot;")
            #expect(html.contains("<td>\(cell.attribute)</td><td>\(htmlGroup)</td><td>\(cell.cell)</td>"), "\(cell) \(html)")
        }
    }

    /// A group named `x *` would read as a small group `x` in Markdown and HTML, where a
    /// small group's name is followed by ` *`: it is quoted, and a small one reads `"x *" *`.
    @Test func aNameEndingInTheSmallGroupMarkIsQuoted() throws {
        var csv = "id,score,y,g\n"
        for (group, rows) in [("x *", 4), ("y", 40), ("z *  ", 40)] {
            for index in 0..<rows { csv += "\(csv.count),\(Double((index * 37) % 100) / 100),\(index % 2),\(group)\n" }
        }
        let report = try VerdictTests.run(AuditBehaviourTests.profile(minimumGroupSize: 30), csv: csv)
        let markdown = MarkdownRendering.render(report)
        let labels = markdown.split(separator: "\n").filter { $0.hasPrefix("| ") }
            .compactMap { $0.split(separator: "|").first.map { $0.trimmingCharacters(in: .whitespaces) } }
        #expect(labels.contains("\"x \\*\" \\*") || labels.contains("\"x *\" *"), "\(markdown)")
        #expect(!labels.contains("x \\*") && !labels.contains("x *"), "\(markdown)")
        let html = HTMLRendering.render(report)
        #expect(html.contains("<th scope=\"row\">&quot;x *&quot; *</th>"), "\(html)")
        #expect(html.contains("<th scope=\"row\">&quot;z *  &quot;</th>") || html.contains("&quot;z *&quot;"), "\(html)")
        #expect(!html.contains("<th scope=\"row\">x *</th>"), "\(html)")
        #expect(TextTable.distinguished("x *") == "\"x *\"")
        #expect(TextTable.distinguished("\"x *\"") == "\"\"x *\"\"")
        #expect(TextTable.distinguished("x*") == "x*")
        #expect(TextTable.distinguished(String(repeating: "n", count: 100) + " *\"") == "\"" + String(repeating: "n", count: 100) + " *\"\"")
    }
}
