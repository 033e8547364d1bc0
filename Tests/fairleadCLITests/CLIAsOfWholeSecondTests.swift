import Foundation
import Testing

/// The history keeps `as_of` to the second: `--as-of 2026-03-02T10:00:00.1Z` was stored
/// as `10:00:00Z`, so an audit `.9` seconds later was taken for a re-run of it (and
/// appended nothing). A fraction of a second is refused; `.000` is a whole second.
@Suite struct CLIAsOfWholeSecondTests {
    @Test func aFractionOfASecondIsRefusedBeforeAnythingIsRead() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try CLIHistory.quick(CLIHistory.weekly, in: folder)
        let history = folder.appendingPathComponent("audits.sqlite").path
        let data = CLIProcess.packageRoot.appendingPathComponent(CLIHistory.week2).path
        func audit(_ asOf: String) throws -> CLIProcess.Result {
            try CLIHistory.run(["audit", "--profile", profile, "--data", data, "--history", history, "--threads", "1", "--as-of", asOf])
        }
        // Below the parser's millisecond too: the fraction is read from the text.
        for asOf in ["2026-03-02T10:00:00.1Z", "2026-03-02T10:00:00.999999999Z", "2026-03-02T11:00:00.5+01:00",
                     "2026-03-02T10:00:00.0004Z", "2026-03-02T10:00:00.000000001Z"] {
            let refused = try audit(asOf)
            #expect(refused.exitCode == 2, "\(asOf): \(refused.standardError)")
            #expect(refused.standardError.hasPrefix("fairlead: --as-of is kept to the second in the history, so \(asOf) would be stored as "),
                    "\(refused.standardError)")
            #expect(refused.standardError.hasSuffix(" would be stored as 2026-03-02T10:00:00Z and taken for any other time in that second; give a whole second\n"),
                    "\(refused.standardError)")
            #expect(refused.standardOutput.isEmpty)
        }
        // A fraction without a time zone: the zone is what is missing, not the fraction's digits.
        let zoneless = try audit("2026-03-02T10:00:00.5")
        #expect(zoneless.standardError == "fairlead: --as-of expects a time zone after the time (Z for UTC, or +01:00), found '2026-03-02T10:00:00.5'\n",
                "\(zoneless.standardError)")
        #expect(!FileManager.default.fileExists(atPath: history))
        let whole = try audit("2026-03-02T10:00:00.000000000Z")
        #expect(whole.standardError.hasPrefix("fairlead: appended entry 1 to \(history)\n"), "\(whole.standardError)")
        let again = try audit("2026-03-02T10:00:00Z")
        #expect(again.standardError.contains("already holds"), "\(again.standardError)")
        let next = try audit("2026-03-02T10:00:01Z")
        #expect(next.standardError.hasPrefix("fairlead: appended entry 2 to \(history)\n"), "\(next.standardError)")
    }
}
