import Foundation
import Testing
@testable import Fairlead

/// `fairlead history redact --before` with a fraction of a second: the cut is printed as
/// given and as compared with `recorded_at` (it was printed in whole seconds, so an entry
/// recorded at 38.5 s was redacted "before …:38Z").
@Suite struct CLIHistoryRedactTests {
    /// A history of three entries recorded at 10:00:38.500, 38.900 and 38.901 on 2026-12-01.
    static func history(in folder: URL) throws -> String {
        let report = try CLIProcess.run(["audit", "--data", CLIEvidenceTests.data, "--score", "score", "--sensitive", "g",
                                         "--threshold", "0.5", "--format", "json"])
        let decoded = try AuditReport.decode(json: Data(report.standardOutput.utf8))
        let path = folder.appendingPathComponent("h.sqlite").path
        let store = try HistoryStore(path: path)
        for (day, milliseconds) in zip(["2026-11-02", "2026-11-09", "2026-11-16"], [500, 900, 901]) {
            let recordedAt = try HistoryTime.parse("2026-12-01T10:00:38.\(milliseconds)Z", option: "recorded_at")
            try store.append(decoded, asOf: try HistoryTime.parse(day, option: "--as-of"), recordedAt: recordedAt)
        }
        return path
    }

    @Test func aFractionalCutIsPrintedAsGivenAndSplitsEntriesAsPrinted() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.history(in: folder)
        let dryRun = try CLIProcess.run(["history", "redact", "--history", path, "--before", "2026-12-01T10:00:38.900Z"])
        #expect(dryRun.exitCode == 0, "\(dryRun.standardError)")
        let lines = dryRun.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "would redact 1 entry recorded before 2026-12-01T10:00:38.900Z (nothing changed; add --yes to redact):")
        #expect(lines.dropFirst().first?.hasPrefix("  entry 1  recorded 2026-12-01T10:00:38.500Z  as of 2026-11-02  ") == true, "\(dryRun.standardOutput)")
        #expect(lines.count == 3 && lines.last == "")

        // The same instant with its offset, and in whole seconds (38.5 is not before 38).
        let offset = try CLIProcess.run(["history", "redact", "--history", path, "--before", "2026-12-01T11:00:38.9+01:00"])
        #expect(offset.standardOutput.hasPrefix("would redact 1 entry recorded before 2026-12-01T10:00:38.900Z "))
        let whole = try CLIProcess.run(["history", "redact", "--history", path, "--before", "2026-12-01T10:00:38Z"])
        #expect(whole.standardOutput == "nothing to redact: no entry recorded before 2026-12-01T10:00:38Z still holds its report\n")

        let redacted = try CLIProcess.run(["history", "redact", "--history", path, "--before", "2026-12-01T10:00:38.901Z", "--yes"])
        #expect(redacted.exitCode == 0, "\(redacted.standardError)")
        #expect(redacted.standardOutput == "redacted 2 entries recorded before 2026-12-01T10:00:38.901Z (redaction 1): 1, 2\n")
        #expect(try HistoryStore.openForReading(path: path).redactedEntryIDs() == [1, 2])
    }
}
