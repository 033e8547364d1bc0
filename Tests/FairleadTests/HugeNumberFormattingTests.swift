import Foundation
import Testing
@testable import Fairlead

/// A number of 10¹⁵ or more printed with `%.4f` came out whole: a score of 1e308 was a
/// number of 309 digits in the report's header, notes and tables. From 10¹⁵ on (past a
/// double's 16 significant digits) every rendering writes it in scientific notation.
@Suite struct HugeNumberFormattingTests {
    @Test func findingsAndNotesUseScientificNotationForHugeMagnitudes() {
        #expect(FindingJudge.format(1e308) == "1e+308")
        #expect(FindingJudge.format(-1.25e20) == "-1.25e+20")
        #expect(FindingJudge.format(1.2345678e17) == "1.2346e+17")
        // Below 10¹⁵, as before: up to four decimals, zeros dropped.
        #expect(FindingJudge.format(999_999_999_999_999) == "999999999999999")
        #expect(FindingJudge.format(0.75) == "0.75")
        #expect(FindingJudge.format(1273) == "1273")
        #expect(ReportFormatting.number(1e308) == "1.000e+308")
        #expect(ReportFormatting.number(5e305, digits: 2) == "5.00e+305")
        #expect(ReportFormatting.number(0.5041) == "0.504")
        #expect(ReportFormatting.range([0, 1e308]) == "[0, 1e+308]")
    }

    /// The report of leads one of whose scores is 1e308: no line holds a long run of digits.
    @Test func aHugeScorePrintsAsAShortNumber() throws {
        var rows = ["lead_id,score,converted,g"]
        for index in 0..<200 {
            rows.append("L\(index),\(index == 5 ? "1e308" : String(Double(index % 10) / 10)),\(index % 2),\(index % 2 == 0 ? "a" : "b")")
        }
        let path = try AuditFixtures.temporaryCSV(rows.joined(separator: "\n") + "\n")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let profile = AuditProfile(name: "huge", data: .init(path: path, score: "score", label: "converted"),
                                   decisions: [.init(name: "threshold_0.5", kind: .threshold(0.5))],
                                   sensitive: [.init(column: "g")])
        let report = try Audit(profile: profile, threads: 1).run()
        for (format, text) in [("text", TerminalRendering.render(report, verbose: true)), ("markdown", MarkdownRendering.render(report))] {
            #expect(text.range(of: "[0-9]{20}", options: .regularExpression) == nil, "\(format): \(text)")
            #expect(text.contains("1e+308"), "\(format)")
        }
    }
}
