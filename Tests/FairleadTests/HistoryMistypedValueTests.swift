import Foundation
import Testing
@testable import Fairlead

/// A history edited with the `sqlite3` shell can hold a value of another type than its
/// column's (text in `metric.value`, a blob as a hash): every reader and writer reports
/// the file as damaged, with its path, where GRDB's row subscript stopped the process.
@Suite struct HistoryMistypedValueTests {
    /// A history of two entries at `folder/h.sqlite`.
    static func history(in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("h.sqlite").path
        let store = try HistoryStore(path: path)
        try store.append(try HistoryFixtures.smallReport(seconds: 0))
        try store.append(try HistoryFixtures.smallReport(seconds: 60))
        return path
    }

    static func damaged(_ column: String, path: String) -> FairleadError {
        FairleadError(.invalidData, "the history is damaged: a row holds a value of the wrong type in the column \(column); run `fairlead history verify`",
                      at: SourceLocation(file: path))
    }

    @Test(arguments: [
        ("value", "UPDATE metric SET value = 'abc' WHERE metric = 'selection_rate' AND entry_id = 2"),
        // `||` makes text (which SQLite hands over with its bytes repaired): cast back to a blob.
        ("group_name", "UPDATE metric SET group_name = CAST(CAST(group_name AS BLOB) || x'ff' AS BLOB) WHERE metric = 'selection_rate'"),
        ("time", "UPDATE metric SET time = x'ff' WHERE metric = 'selection_rate' AND entry_id = 1"),
        ("status", "UPDATE entry SET status = x'ff' WHERE id = 2"),
        ("completes", "UPDATE entry SET completes = 'one' WHERE id = 2"),
        // A link is an integer: 1.5 was read as 1, the link the entry's hash covers.
        ("completes", "UPDATE entry SET completes = 1.5 WHERE id = 2"),
    ])
    func aTrendOverAMistypedValueIsDamageNotACrash(column: String, edit: String) throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.history(in: folder)
        try HistoryStore(path: path).rawExecute(edit)
        let store = try HistoryStore.openForReading(path: path)
        #expect(throws: Self.damaged(column, path: path)) {
            _ = try HistoryTrend(history: store, metric: "selection_rate")
        }
    }

    /// A link edited to a fraction (`reruns = 1.9`) read as the whole number its entry's
    /// hash covers, and `verify` said INTACT.
    @Test(arguments: ["UPDATE entry SET completes = 1.9 WHERE id = 2", "UPDATE entry SET reruns = 1.5 WHERE id = 2"])
    func aLinkEditedToAFractionIsNotIntact(edit: String) throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.history(in: folder)
        #expect(try HistoryStore.verify(path: path).isIntact)
        try HistoryStore(path: path).rawExecute(edit)
        #expect(try !HistoryStore.verify(path: path).isIntact)
    }

    /// A re-run repeats an audit: a link to another audit, its hash recomputed by the
    /// documented formula, still chained, and `verify` said INTACT (the trends then hid
    /// the other audit as "re-run").
    @Test func aRerunOfAnotherAuditIsNotIntact() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("h.sqlite").path
        let store = try HistoryStore(path: path)
        let first = try store.append(try HistoryFixtures.smallReport(seconds: 0), asOf: Date(timeIntervalSince1970: 1_800_000_000))
        let second = try store.append(try HistoryFixtures.smallReport(seconds: 60), asOf: Date(timeIntervalSince1970: 1_800_604_800))
        let third = try store.append(try HistoryFixtures.smallReport(seconds: 120), asOf: Date(timeIntervalSince1970: 1_800_604_800), reruns: second.id)
        #expect(try HistoryStore.verify(path: path).isIntact)
        // Entry 3 made a re-run of entry 1 (another week), its hash and the head recomputed.
        let forged = HistoryEntry.chainHash(previousHash: third.previousHash, reportSHA256: third.reportSHA256, sequence: third.id,
                                            recordedAt: third.recordedAt, asOf: third.asOf, completes: nil, reruns: first.id)
        try store.rawExecute("UPDATE entry SET reruns = \(first.id), entry_hash = '\(forged)' WHERE id = 3; UPDATE chain_head SET entry_hash = '\(forged)'")
        let problems = try HistoryStore.verify(path: path).problems
        #expect(problems.map(\.entry) == [3])
        #expect(problems.first?.message == "it re-runs entry 1, which is not a run of the same audit (t as of \(first.asOf))", "\(problems)")
    }

    @Test func theHistoryPageStopsOnDamageInsteadOfShowingNoValues() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The leads' report has a rule (disparate impact on ethnicity), so the page charts
        // its metric over the entries.
        let path = folder.appendingPathComponent("h.sqlite").path
        try HistoryStore(path: path).append(HistoryFixtures.leadsReport)
        let intact = try HTMLHistoryRendering.render(history: try HistoryStore.openForReading(path: path))
        #expect(intact.contains("disparate_impact") && !intact.contains("The history holds no values"))
        try HistoryStore(path: path).rawExecute("UPDATE metric SET value = 'abc'")
        #expect(throws: Self.damaged("value", path: path)) {
            _ = try HTMLHistoryRendering.render(history: try HistoryStore.openForReading(path: path))
        }
    }

    @Test(arguments: [
        ("sequence", "UPDATE chain_head SET sequence = 'two'"),
        ("entry_hash", "UPDATE chain_head SET entry_hash = x'00ff'"),
    ])
    func anAppendAfterAMistypedChainHeadIsDamageNotACrash(column: String, edit: String) throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.history(in: folder)
        try HistoryStore(path: path).rawExecute(edit)
        let store = try HistoryStore(path: path)
        #expect(throws: Self.damaged(column, path: path)) {
            try store.append(try HistoryFixtures.smallReport(seconds: 120))
        }
        #expect(try store.rawIntegers("SELECT count(*) FROM entry") == [2])
    }

    /// A verdict the history never writes (`passed`, an escape sequence) was read as
    /// `fail`: the trend, the entries and `verify` showed a failed audit that never was.
    @Test(arguments: [
        ("status", "UPDATE entry SET status = 'passed' WHERE id = 2", "\"passed\""),
        ("drift_status", "UPDATE entry SET drift_status = 'ok\u{1B}[2J' WHERE id = 2", "\"ok\\x1B[2J\""),
    ])
    func anUnknownVerdictIsDamageNotAFail(column: String, edit: String, shown: String) throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.history(in: folder)
        try HistoryStore(path: path).rawExecute(edit)
        let message = "the history is damaged: a row holds \(shown) in the column \(column), "
            + "which holds pass, fail, insufficient_evidence or no_rules"
        let located = FairleadError(.invalidData, message + "; run `fairlead history verify`", at: SourceLocation(file: path))
        let store = try HistoryStore.openForReading(path: path)
        #expect(throws: located) { _ = try HistoryTrend(history: store, metric: "selection_rate") }
        #expect(throws: located) { _ = try store.entries() }
        #expect(try store.verify().problems == [.init(kind: .editedEntry, entry: 2, message: message)])
        // Entry 1 is intact and read as written.
        #expect(try store.entry(1)?.status == HistoryFixtures.smallReport(seconds: 0).status)
    }
}
