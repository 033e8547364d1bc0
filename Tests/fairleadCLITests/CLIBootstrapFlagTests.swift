import Foundation
import Testing

/// `--bootstrap N` sets the replicates of an audit's intervals: an ad hoc audit had no way
/// below 1000, whose time grows with the groups (a thousand groups took a minute).
@Suite struct CLIBootstrapFlagTests {
    static let adHoc = ["audit", "--data", "fixtures/leads/leads-sample.csv", "--score", "score", "--label", "converted",
                        "--sensitive", "ethnicity", "--threshold", "0.3", "--threads", "1", "--format", "json"]

    static func replicates(_ output: String) throws -> Int? {
        let report = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        return (report?["settings"] as? [String: Any])?["bootstrap_replicates"] as? Int
    }

    @Test func theFlagSetsTheReplicatesAndIsCheckedAsTheSettingIs() throws {
        let off = try CLIProcess.run(Self.adHoc + ["--bootstrap", "0"])
        #expect(off.exitCode == 0 || off.exitCode == 1, "\(off.standardError)")
        #expect(try Self.replicates(off.standardOutput) == 0)
        let some = try CLIProcess.run(Self.adHoc + ["--bootstrap", "200"])
        #expect(try Self.replicates(some.standardOutput) == 200)
        let tooFew = try CLIProcess.run(Self.adHoc + ["--bootstrap", "5"])
        #expect(tooFew.exitCode == 2)
        #expect(tooFew.standardError == "fairlead: --bootstrap: 5 replicates cannot give a 95% percentile interval: it needs at least 40 (1000 is usual; 0 turns the bootstrap off)\n",
                "\(tooFew.standardError)")
        let negative = try CLIProcess.run(Self.adHoc + ["--bootstrap=-1"])
        #expect(negative.exitCode == 2 && negative.standardError.contains("expected 0 (no intervals) or more replicates, found -1"),
                "\(negative.standardError)")
    }

    /// Other replicates are another audit of the week, not a re-run of it: its intervals differ.
    @Test func otherReplicatesAreAnotherAudit() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let history = folder.appendingPathComponent("audits.sqlite").path
        let weekly = Self.adHoc + ["--history", history, "--as-of", "2026-03-02"]
        #expect(try CLIProcess.run(weekly + ["--bootstrap", "100"]).standardError == "fairlead: appended entry 1 to \(history)\n")
        #expect(try CLIProcess.run(weekly + ["--bootstrap", "200"]).standardError == "fairlead: appended entry 2 to \(history)\n")
        #expect(try CLIProcess.run(weekly + ["--bootstrap", "200"]).standardError.hasPrefix("fairlead: entry 2 of \(history) already holds ad-hoc "))
    }
}
