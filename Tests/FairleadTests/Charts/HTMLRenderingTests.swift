@testable import Fairlead
import Foundation
import Testing

/// The HTML page draws what the report holds, in a fixed order, and escapes every value
/// from the data.
@Suite struct HTMLRenderingTests {
    static func report() throws -> AuditReport {
        try Audit(profile: AuditFixtures.goldenProfile(bootstrap: 50), dataPath: AuditFixtures.leads, threads: 1,
                  clock: AuditFixtures.fixedClock).run()
    }

    @Test func samePageForTheSameReportAndAfterAJSONRoundTrip() throws {
        let report = try Self.report()
        let decoded = try AuditReport.decode(json: try report.jsonData())
        #expect(decoded == report)
        let page = HTMLRendering.render(report)
        #expect(page == HTMLRendering.render(decoded))
        #expect(page == HTMLRendering.render(report))
    }

    @Test func disparateImpactBarsAreTheReportsValues() throws {
        let report = try Self.report()
        let page = HTMLRendering.render(report)
        let finding = try #require(report.findings.first { $0.group == "black" })
        let value = try #require(finding.value)
        // The bar's data-value is the report's value, and its finding's interval is in the table.
        #expect(page.contains("data-value=\"\(ChartNumber.label(value, digits: 6))\""))
        #expect(page.contains("<td class=\"n\">\(ReportFormatting.number(value))</td><td>\(ReportFormatting.interval(finding.interval))</td>"))
    }

    /// A history trend draws as many lines as the palette tells apart (eight), those
    /// furthest short of the limit at their latest entry, and names the others; its table
    /// keeps every group.
    @Test func aHistoryTrendDrawsTheEightLinesFurthestShortOfTheLimit() throws {
        let columns = (0..<12).map { "g\($0)" }
        let rows = (1...3).map { entry in
            HistoryTrend.Row(entry: Int64(entry), asOf: "2026-03-0\(entry)", status: .fail, driftStatus: nil, completes: nil,
                             values: Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, Optional(Double($0) / 10)) }))
        }
        let table = HistoryTrend.Table(profile: "p", decision: "threshold_0.5", attribute: "g",
                                       columns: columns + [HistoryMetricRow.overallGroup], rows: rows)
        let limit = try #require(RuleLimit("disparate_impact >= 0.8"))
        let html = HTMLHistoryRendering.trendFigure(table, metric: "selection_rate.ratio_to_reference", rule: "disparate_impact >= 0.8", limit: limit)
            .map(\.html).joined()
        let lines = html.components(separatedBy: "<g class=\"series\" tabindex=\"0\"><title>").dropFirst().map { $0.prefix { $0 != ":" } }
        #expect(lines == (0..<8).map { "g\($0)" }, "\(lines)")
        #expect(html.contains("Not drawn: 4 groups beyond the 8 furthest short of the limit (or nearest to it) at their latest entry "
                              + "(&quot;g8&quot;, &quot;g9&quot;, &quot;g10&quot;, … (4 in all)); the table of numbers holds every group."))
        #expect(html.contains("<th scope=\"col\" class=\"n\">g11</th>"), "\(html.suffix(400))")
    }

    /// The trend's x axis names entries whatever the history's length: dated ticks while
    /// they fit side by side, else "#n" on every k-th entry and the last, never touching.
    /// Nine dated ticks were printed over each other, and 21 entries showed "0, 5, 10".
    @Test(arguments: [3, 9, 21, 200])
    func aTrendsEntryTicksNameEntriesAndDoNotOverlap(count: Int) {
        let entries = (1...count).map { (entry: $0 + 40, asOf: "2026-03-\(String(format: "%02d", $0 % 28 + 1))") }
        let axis = HTMLHistoryRendering.entryTicks(entries)
        let positions = axis.ticks.map { Int($0.0) }
        #expect(positions.first == 0 && positions.last == count - 1)
        // Each label is its entry's number, at the entry's position.
        for (position, label) in axis.ticks {
            #expect(label.hasPrefix("#\(entries[Int(position)].entry)"), "\(label) at \(position)")
        }
        // Neighbouring labels do not overlap at the chart's scale (6.5 px a character).
        let plot = ChartFrame.width - LineChart.left - LineChart.right
        let spacing = plot / (Double(count - 1) + 0.6)
        for (a, b) in zip(axis.ticks, axis.ticks.dropFirst()) {
            let gap = (b.0 - a.0) * spacing
            #expect(gap >= Double(max(a.1.count, b.1.count)) * 6.5, "\(a.1) and \(b.1) are \(gap) px apart")
        }
        #expect(count <= 3 ? axis.ticks[0].1 == "#41 2026-03-02" : axis.ticks[0].1 == "#41")
    }

    @Test func hostileNamesAreEscapedEverywhere() throws {
        var report = try Self.report()
        let hostile = "<script>alert(1)</script>\" onload=\"x\u{1B}[2J"
        report.profile.name = hostile
        report.data.source = hostile
        guard var decision = report.decisions["threshold_0.3"], var ethnicity = decision.attributes["ethnicity"],
              let black = ethnicity.groups.removeValue(forKey: "black") else {
            Issue.record("the golden report has threshold_0.3 / ethnicity / black")
            return
        }
        ethnicity.groups[hostile] = black
        decision.attributes["ethnicity"] = ethnicity
        report.decisions["threshold_0.3"] = decision
        report.findings = report.findings.map { finding in
            var finding = finding
            if finding.group == "black" { finding.group = hostile }
            return finding
        }
        let page = HTMLRendering.render(report)
        #expect(!page.contains("<script>alert"))
        #expect(!page.contains("\" onload=\""))
        #expect(!page.unicodeScalars.contains { $0 == "\u{1B}" })
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot; onload=&quot;x\\x1B[2J"))
    }

    /// A group and an attribute named with 2,000,000 characters each are shown as their
    /// first 39 and `…` wherever the page names them — tables, chart titles, descriptions,
    /// rows' `<title>`s, headings, captions — as the text and Markdown tables cut them
    /// (the page held four whole copies of the group's name: 8 MB).
    @Test func hugeNamesAreCutWhereverThePageShowsThem() throws {
        let base = try Self.report()
        var report = base
        let group = String(repeating: "X", count: 2_000_000)
        let attribute = String(repeating: "Y", count: 2_000_000)
        guard var decision = report.decisions["threshold_0.3"], var ethnicity = decision.attributes.removeValue(forKey: "ethnicity"),
              let black = ethnicity.groups.removeValue(forKey: "black") else {
            Issue.record("the golden report has threshold_0.3 / ethnicity / black")
            return
        }
        ethnicity.groups[group] = black
        decision.attributes[attribute] = ethnicity
        report.decisions["threshold_0.3"] = decision
        report.findings = report.findings.map { finding in
            var finding = finding
            if finding.group == "black" { finding.group = group }
            if finding.attribute == "ethnicity" && finding.decision == "threshold_0.3" { finding.attribute = attribute }
            return finding
        }
        let page = HTMLRendering.render(report)
        let before = HTMLRendering.render(base).utf8.count
        #expect(page.utf8.count < before + 20_000, "\(page.utf8.count) bytes against \(before)")
        #expect(page.contains(String(repeating: "X", count: 39) + "…"))
        #expect(page.contains(String(repeating: "Y", count: 39) + "…"))
        #expect(!page.contains(String(repeating: "X", count: 40)))
        #expect(!page.contains(String(repeating: "Y", count: 40)))
    }
}
