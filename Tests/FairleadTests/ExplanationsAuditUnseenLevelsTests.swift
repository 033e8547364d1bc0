import Foundation
import Testing
@testable import Fairlead

/// An audit whose model reads a category it has no feature for (`WEB_FORM` beside
/// `lead_source=web_form`) says so in the report's notes; it was silent.
@Suite("Audits with a model: values the model has no feature for")
struct ExplanationsAuditUnseenLevelsTests {
    @Test func theReportNotesTheUnseenValues() throws {
        let source = ExplanationsAuditTests.root.appendingPathComponent("fixtures/leads/leads-sample.csv").path
        var lines = try String(contentsOfFile: source, encoding: .utf8).components(separatedBy: "\n")
        for index in lines.indices where ["L0000001,", "L0000002,", "L0000003,"].contains(where: lines[index].hasPrefix) {
            lines[index] = lines[index].replacingOccurrences(of: ",web_form,", with: ",WEB_FORM,")
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-unseen-\(UUID().uuidString).csv").path
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }

        let report = try ExplanationsAuditTests.audit { $0.data.path = path }
        #expect(report.explanations?.rows == 5000)
        #expect(report.notes?.contains(
            "explanations: lead_source: 3 rows hold a value the model has no feature for (\"WEB_FORM\"): read as none of the "
                + "lead_source levels the model knows (all its lead_source features 0)") == true, "\(report.notes ?? [])")
        let bundled = try ExplanationsAuditTests.audit()
        #expect(!(bundled.notes ?? []).contains { $0.contains("no feature for") })
    }
}
