import Foundation
import Testing
@testable import Fairlead

/// `verify` on histories edited as someone with the sqlite3 shell would edit them.
@Suite struct HistoryVerifyTests {
    /// A history of three entries (the leads report in the middle), and its folder.
    static func history() throws -> (store: HistoryStore, folder: URL) {
        let folder = try HistoryFixtures.temporaryFolder()
        let store = try HistoryStore(path: folder.appendingPathComponent("h.sqlite").path)
        try store.append(try HistoryFixtures.smallReport(seconds: 0))
        try store.append(HistoryFixtures.leadsReport)
        try store.append(try HistoryFixtures.smallReport(seconds: 60))
        return (store, folder)
    }

    typealias Problem = HistoryVerification.Problem

    @Test func anIntactHistoryHasNoProblemsAndItsHeadIsTheLastHash() throws {
        let (store, folder) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        let verification = try store.verify()
        #expect(verification.problems == [])
        #expect(verification.entryCount == 3)
        #expect(verification.head == (try store.entries().last?.entryHash))
        #expect(try store.verify(expectingHead: try store.entries()[1].entryHash).isIntact)
        // The head `verify` gives of an empty history starts every chain: checked later, it
        // is found, not "rewritten".
        let empty = try HistoryStore(path: folder.appendingPathComponent("new.sqlite").path)
        #expect(try empty.verify().head == HistoryEntry.genesisHash)
        #expect(try store.verify(expectingHead: HistoryEntry.genesisHash).problems == [])
        #expect(try store.verify(expectingHead: HistoryEntry.genesisHash.uppercased()).problems == [])
    }

    @Test func anEditedReportIsFoundAtItsEntry() throws {
        let (store, folder) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        let generatedAt = HistoryFixtures.leadsReport.generatedAt
        try store.rawExecute("""
            UPDATE entry SET report_json = CAST(replace(CAST(report_json AS TEXT), '\(generatedAt)', '2020-01-01T00:00:00Z') AS BLOB)
            WHERE id = 2
            """)
        let problems = try store.verify().problems
        #expect(problems.map(\.kind) == [.editedReport])
        #expect(problems.first?.entry == 2)
        #expect(problems.first?.message.hasPrefix("the report was edited: its SHA-256 is ") == true)
        #expect(throws: FairleadError.self) { try store.report(of: 2) }
    }

    @Test func anEditedMetricRowIsFoundWithItsKeyAndBothValues() throws {
        let (store, folder) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        let stored = try #require(HistoryFixtures.leadsReport.decisions["threshold_0.3"]?.attributes["ethnicity"]?
            .groups["black"]?.metrics["selection_rate"])
        try store.rawExecute("""
            UPDATE metric SET value = 0.25 WHERE entry_id = 2 AND decision = 'threshold_0.3' AND attribute = 'ethnicity'
            AND group_name = 'black' AND metric = 'selection_rate'
            """)
        let problems = try store.verify().problems
        let value = try #require(stored.value), lower = try #require(stored.interval?[0]), upper = try #require(stored.interval?[1])
        #expect(problems == [Problem(kind: .editedMetricRow, entry: 2,
                                     message: "metric rows differ from its report: threshold_0.3 / ethnicity / black / selection_rate is 0.25 [\(lower), \(upper)], the report says \(value) [\(lower), \(upper)]")])
    }

    @Test func aDeletedMetricRowIsFound() throws {
        let (store, folder) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.rawExecute("DELETE FROM metric WHERE entry_id = 3 AND metric = 'count' AND group_name = 'a'")
        #expect(try store.verify().problems == [
            Problem(kind: .editedMetricRow, entry: 3, message: "metric rows differ from its report: t05 / g / a / count is missing"),
        ])
    }

    @Test func aDeletedEntryIsFoundAtTheEntryAfterTheGap() throws {
        let (store, folder) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.rawExecute("DELETE FROM metric WHERE entry_id = 2; DELETE FROM entry WHERE id = 2")
        #expect(try store.verify().problems == [
            Problem(kind: .deletedEntry, entry: 3, message: "entry 2 before it is missing (deleted)"),
        ])
    }

    @Test func aDeletedEntryWhoseRowsRemainIsFoundTwice() throws {
        let (store, folder) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.rawExecute("PRAGMA foreign_keys = OFF; DELETE FROM entry WHERE id = 2")
        #expect(try store.verify().problems == [
            Problem(kind: .deletedEntry, entry: 3, message: "entry 2 before it is missing (deleted)"),
            Problem(kind: .deletedEntry, entry: 2, message: "metric rows remain of this entry, which is missing (deleted)"),
        ])
    }

    @Test func aDeletedLastEntryIsFoundByTheChainHead() throws {
        let (store, folder) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.rawExecute("DELETE FROM metric WHERE entry_id = 3; DELETE FROM entry WHERE id = 3")
        #expect(try store.verify().problems == [
            Problem(kind: .deletedEntry, entry: nil, message: "the chain head records 3 entries; entry 3 is missing (deleted)"),
        ])
    }

    @Test func reorderedEntriesBreakTheChain() throws {
        let (store, folder) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.rawExecute("""
            UPDATE entry SET id = 0 WHERE id = 2; UPDATE entry SET id = 2 WHERE id = 3; UPDATE entry SET id = 3 WHERE id = 0;
            UPDATE metric SET entry_id = 0 WHERE entry_id = 2; UPDATE metric SET entry_id = 2 WHERE entry_id = 3;
            UPDATE metric SET entry_id = 3 WHERE entry_id = 0;
            """)
        let problems = try store.verify().problems
        #expect(problems.contains(Problem(kind: .brokenChain, entry: 2,
                                          message: "its link does not match the hash of entry 1: an entry before it was replaced or reordered")))
        #expect(problems.contains { $0.kind == .editedEntry && $0.entry == 2 })
        #expect(problems.contains { $0.kind == .editedEntry && $0.entry == 3 })
        #expect(problems.contains { $0.kind == .brokenChain && $0.entry == nil })
    }

    @Test func anEditedVerdictIsFound() throws {
        let (store, folder) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.rawExecute("UPDATE entry SET status = 'pass' WHERE id = 2")
        #expect(HistoryFixtures.leadsReport.status == .fail)
        #expect(try store.verify().problems == [
            Problem(kind: .editedEntry, entry: 2,
                    message: "its profile or verdicts (golden, pass, drift none) differ from its report's (golden, fail, drift none)"),
        ])
        // The drift verdict alone: the message shows the pair that differs.
        try store.rawExecute("UPDATE entry SET status = 'fail', drift_status = 'pass' WHERE id = 2")
        #expect(try store.verify().problems == [
            Problem(kind: .editedEntry, entry: 2,
                    message: "its profile or verdicts (golden, fail, drift pass) differ from its report's (golden, fail, drift none)"),
        ])
    }

    @Test func anEditedTimeBreaksTheEntryHash() throws {
        let (store, folder) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.rawExecute("UPDATE entry SET recorded_at = '2020-01-01T00:00:00.000Z' WHERE id = 1")
        #expect(try store.verify().problems == [
            Problem(kind: .editedEntry, entry: 1,
                    message: "its fields (id, times, link, report SHA-256, completes or reruns) no longer give its hash: the entry was edited"),
        ])
    }

    @Test func aRewrittenHistoryIsFoundOnlyAgainstAHeadKeptElsewhere() throws {
        let (store, folder) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        let keptHead = try store.verify().head
        let second = try #require(try store.entry(2))
        // Drop the last entry and move the head back: consistent, and so invisible alone.
        try store.rawExecute("""
            DELETE FROM metric WHERE entry_id = 3; DELETE FROM entry WHERE id = 3;
            UPDATE chain_head SET sequence = 2, entry_hash = '\(second.entryHash)'
            """)
        #expect(try store.verify().problems == [])
        #expect(try store.verify(expectingHead: keptHead).problems == [
            Problem(kind: .unknownHead, entry: nil,
                    message: "the head recorded earlier (\(keptHead.prefix(12))…) is not in the chain: the history was rewritten"),
        ])
    }

    @Test func appendingToAnEditedHistoryIsRefused() throws {
        let (store, folder) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.rawExecute("DELETE FROM metric WHERE entry_id = 3; DELETE FROM entry WHERE id = 3")
        #expect(throws: FairleadError(.invalidData,
                                      "the chain head (entry 3) does not match the last entry (2): the history was edited; run `fairlead history verify`",
                                      at: SourceLocation(file: store.path))) {
            try store.append(HistoryFixtures.leadsReport)
        }
    }
}
