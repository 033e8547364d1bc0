import FairleadTestSupport
import Foundation
import Testing

/// A one-hot attribute (`name:` with `one_hot:`) on the PostgreSQL test server: the
/// pushdown query's `CASE` over the indicators gives the audit of the same rows streamed,
/// and the audit of one column holding each row's group; a row with two indicators at 1
/// stops both, the pushed-down one through the cell `several_indicators`.
@Suite struct PostgresOneHotTests {
    /// `ethnicity` as four indicators (`other` has none; `extra` changes some rows).
    static func indicatorQuery(black: String = "CASE WHEN ethnicity = 'black' THEN 1 ELSE 0 END") -> String {
        let groups = ["white", "asian", "hispanic"].map { "CASE WHEN ethnicity = '\($0)' THEN 1 ELSE 0 END AS eth_\($0)" }
        return "SELECT lead_id, \(groups.joined(separator: ", ")), \(black) AS eth_black, gender, age_band, score, converted FROM leads"
    }

    static let oneHot = "\nsensitive:\n  - name: ethnicity\n    one_hot: {white: eth_white, black: eth_black, asian: eth_asian, hispanic: eth_hispanic}\n    reference: white\n  - gender\n"
    static let column = "\nsensitive:\n  - {column: ethnicity, reference: white}\n  - gender\n"

    /// The audit of `query`'s rows under leads-sharded.yaml with `sensitive` appended,
    /// streamed or pushed down, in a folder of its own in `folder`.
    static func audit(_ query: String, sensitive: String, pushdown: Bool, url: String, in folder: URL) throws -> CLIProcess.Result {
        let directory = folder.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let profile = try PostgresSourceTests.profile("leads-sharded.yaml",
                                                      source: ["postgres: \(url)", "query: \"\(query)\"", "pushdown: \(pushdown)"], in: directory)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: profile))
        handle.seekToEndOfFile()
        handle.write(Data(sensitive.utf8))
        try handle.close()
        return try CLIProcess.run(["audit", "--profile", profile, "--format", "json"], environment: CLIProcess.fixtureProfilesAllowed)
    }

    @Test func pushedDownTheIndicatorsGiveTheAuditOfTheRowsAndOfOneColumn() throws {
        let url = try PostgresPushdownTests.database()
        let (folder, _) = try PostgresPushdownTests.folders()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Every 13th lead's eth_black missing: no group, as its ethnicity is in the column.
        let query = Self.indicatorQuery(black: "CASE WHEN CAST(SUBSTRING(lead_id FROM 2) AS INTEGER) % 13 = 0 THEN NULL WHEN ethnicity = 'black' THEN 1 ELSE 0 END")
        let streamed = try Self.audit(query, sensitive: Self.oneHot, pushdown: false, url: url, in: folder)
        let pushed = try Self.audit(query, sensitive: Self.oneHot, pushdown: true, url: url, in: folder)
        let plainQuery = "SELECT lead_id, CASE WHEN ethnicity = 'other' OR CAST(SUBSTRING(lead_id FROM 2) AS INTEGER) % 13 = 0 THEN NULL ELSE ethnicity END AS ethnicity, "
            + "gender, age_band, score, converted FROM leads"
        let plain = try Self.audit(plainQuery, sensitive: Self.column, pushdown: true, url: url, in: folder)
        #expect([streamed, pushed, plain].allSatisfy { $0.exitCode <= 1 }, "\([streamed, pushed, plain].map(\.standardError))")
        let reports = try [streamed, pushed, plain].map { try PostgresPushdownTests.report($0.standardOutput) }
        for other in reports.dropFirst() {
            let differences = JSONDifferences.ofStatistics(reports[0], other)
            #expect(differences.isEmpty, "\(differences.prefix(5))")
        }
        let decision = try #require((reports[1]["decisions"] as? [String: Any])?["threshold_0.3"] as? [String: Any])
        let groups = try #require(((decision["attributes"] as? [String: Any])?["ethnicity"] as? [String: Any])?["groups"] as? [String: Any])
        #expect(groups.keys.sorted() == ["asian", "black", "hispanic", "unknown", "white"])
        #expect(((decision["attributes"] as? [String: Any])?["ethnicity*gender"]) != nil)
    }

    @Test func twoIndicatorsAtOneStopTheAuditStreamedAndPushedDown() throws {
        let url = try PostgresPushdownTests.database()
        let (folder, _) = try PostgresPushdownTests.folders()
        defer { try? FileManager.default.removeItem(at: folder) }
        // L0000001 is white: black too makes two at 1.
        let query = Self.indicatorQuery(black: "CASE WHEN lead_id = 'L0000001' OR ethnicity = 'black' THEN 1 ELSE 0 END")
        let streamed = try Self.audit(query, sensitive: Self.oneHot, pushdown: false, url: url, in: folder)
        let pushed = try Self.audit(query, sensitive: Self.oneHot, pushdown: true, url: url, in: folder)
        #expect(streamed.exitCode == 2 && pushed.exitCode == 2)
        #expect(streamed.standardError.contains("eth_white and eth_black are both 1: a one-hot attribute takes one group per row (sensitive attribute ethnicity)"),
                "\(streamed.standardError)")
        #expect(pushed.standardError.contains("1 row the query read has two or more indicators at 1 of one one-hot attribute, ethnicity (eth_white, eth_black, eth_asian, eth_hispanic)"),
                "\(pushed.standardError)")
        // A value that is not 0/1: the cell invalid_indicator.
        let two = Self.indicatorQuery(black: "CASE WHEN lead_id = 'L0000002' THEN 2 WHEN ethnicity = 'black' THEN 1 ELSE 0 END")
        let invalid = try Self.audit(two, sensitive: Self.oneHot, pushdown: true, url: url, in: folder)
        #expect(invalid.exitCode == 2 && invalid.standardError.contains("holds a value other than 0/1 or true/false in 1 row the query read"),
                "\(invalid.standardError)")
    }
}
