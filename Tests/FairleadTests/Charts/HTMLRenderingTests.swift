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
}
