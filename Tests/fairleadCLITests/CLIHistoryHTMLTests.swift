import Foundation
import Testing

/// `history show --entry N --format html|json` and the history page.
@Suite struct CLIHistoryHTMLTests {
    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func historyEntryAndHistoryPageAsHTML() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let history = folder.appendingPathComponent("h.sqlite").path
        for (data, asOf) in [("fixtures/leads/leads-sample.csv", "2026-03-02"), ("fixtures/leads/leads-week2.csv", "2026-03-09")] {
            let result = try CLIProcess.run(["audit", "--profile", "fixtures/profiles/leads-weekly.yaml", "--data", data,
                                             "--history", history, "--as-of", asOf, "--format", "json", "--out", "/dev/null"])
            #expect(result.exitCode == 1, "\(result.standardError)")
        }
        let page = try CLIProcess.run(["history", "show", "--history", history, "--format", "html"])
        #expect(page.exitCode == 0, "\(page.standardError)")
        #expect(page.standardOutput.contains("<h1>Audit history</h1>"))
        #expect(page.standardOutput.contains("<code>disparate_impact &gt;= 0.8</code>"))
        #expect(page.standardOutput.contains("<svg class=\"chart line-chart\""))
        #expect(page.standardOutput.contains("#2 2026-03-09"))
        let entry = try CLIProcess.run(["history", "show", "--history", history, "--entry", "2", "--format", "html"])
        #expect(entry.exitCode == 0)
        #expect(entry.standardOutput.contains("id=\"drift\""))
        let json = try CLIProcess.run(["history", "show", "--history", history, "--entry", "2", "--format", "json"])
        #expect(json.standardOutput.contains("\"schema_version\" : 2"))
        let missing = try CLIProcess.run(["history", "show", "--history", history, "--entry", "9", "--format", "html"])
        #expect(missing.exitCode == 2 && missing.standardError.contains("entry 9 is not in the history"))
        let mixed = try CLIProcess.run(["history", "show", "--history", history, "--entry", "1", "--metric", "psi"])
        #expect(mixed.exitCode == 2)
    }
}
