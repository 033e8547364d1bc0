import Foundation
import Testing

/// `last_passing` is an audit of an earlier time than the one audited: a re-run of a week
/// compared with the run it repeats (no drift, always), and a week audited late compared
/// with a later week (drift backwards).
@Suite struct CLIDriftBaselineTests {
    @Test func theBaselineDescribesAnEarlierTime() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let leads = CLIProcess.packageRoot.appendingPathComponent("fixtures/leads/leads-sample.csv").path
        let profile = folder.appendingPathComponent("watched.yaml").path
        try """
            name: drift-only
            data: {path: \(leads), id: lead_id, score: score, score_range: [0, 1]}
            decisions: [{threshold: 0.3}]
            sensitive: [{column: ethnicity, reference: white}, gender, age_band]
            settings: {bootstrap: 100, seed: 7}
            drift: {}
            """.write(toFile: profile, atomically: true, encoding: .utf8)
        let history = folder.appendingPathComponent("audits.sqlite").path
        func audit(_ asOf: String, data: String? = nil, rerun: Bool = false) throws -> (output: String, error: String) {
            let result = try CLIHistory.run(["audit", "--profile", profile, "--history", history, "--as-of", asOf, "--threads", "1"]
                                            + (data.map { ["--data", $0] } ?? []) + (rerun ? ["--rerun"] : []))
            #expect(result.exitCode == 0 || result.exitCode == 1, "\(result.standardError)")
            return (CLIProcess.unwrapped(result.standardOutput), result.standardError)
        }
        let first = try audit("2026-03-02")
        #expect(first.output.contains("\nINSUFFICIENT EVIDENCE  drift-only: drift not checked, no audit of profile 'drift-only' in the history describing a time before 2026-03-02 passed; "),
                "\(first.output)")
        let second = try audit("2026-03-09")
        #expect(second.output.contains("\nNO DRIFT  drift-only against entry 1 (as of 2026-03-02): "), "\(second.output)")
        // The re-run of the second week compares with the first week, as its first run
        // did, not with that run (the same scores: no drift, whatever they are).
        let rerun = try audit("2026-03-09", rerun: true)
        #expect(rerun.error == "fairlead: appended entry 3 to \(history), a re-run of entry 2\n", "\(rerun.error)")
        #expect(rerun.output.contains("\nNO DRIFT  drift-only against entry 1 (as of 2026-03-02): "), "\(rerun.output)")
        // A week audited late has no earlier week in the history: no baseline, rather
        // than a later week.
        let late = try audit("2026-02-23", data: CLIHistory.week2)
        #expect(late.output.contains("drift not checked, no audit of profile 'drift-only' in the history describing a time before 2026-02-23 passed; "),
                "\(late.output)")
        // The next week compares with the latest earlier week that passed, its last run
        // (entry 3), though the late week (entry 4, on other scores) was appended after it.
        let next = try audit("2026-03-16")
        #expect(next.output.contains("\nNO DRIFT  drift-only against entry 3 (as of 2026-03-09): "), "\(next.output)")

        // A retention policy redacts every report so far: the next week has nothing to
        // compare with, says so, and is recorded (it stopped, exit 2, every week after).
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let redact = try CLIHistory.run(["history", "redact", "--history", history, "--before", formatter.string(from: Date()), "--yes"])
        #expect(redact.exitCode == 0, "\(redact.standardError)")
        let afterRedaction = try audit("2026-03-23")
        #expect(afterRedaction.output.contains("drift not checked, the last passing audit of profile 'drift-only' describing a time before 2026-03-23, entry 5, was redacted (`fairlead history redact`): its report is gone, so there is nothing to compare with; pin a baseline"),
                "\(afterRedaction.output)")
        #expect(afterRedaction.error == "fairlead: appended entry 6 to \(history)\n")
    }
}
