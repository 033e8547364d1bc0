import Foundation
import Testing
@testable import Fairlead

/// `redact`: old reports removed, hashes kept, the redaction recorded and verifiable.
@Suite struct HistoryRedactionTests {
    /// Three entries recorded a day apart (the leads report in the middle).
    static func history() throws -> (store: HistoryStore, folder: URL, path: String) {
        let folder = try HistoryFixtures.temporaryFolder()
        let path = folder.appendingPathComponent("h.sqlite").path
        let store = try HistoryStore(path: path)
        try store.append(try HistoryFixtures.smallReport(seconds: 0), recordedAt: day(1))
        try store.append(HistoryFixtures.leadsReport, recordedAt: day(2))
        try store.append(try HistoryFixtures.smallReport(seconds: 60), recordedAt: day(3))
        return (store, folder, path)
    }

    /// Noon UTC of March `n`, 2026.
    static func day(_ n: Int) -> Date {
        Date(timeIntervalSince1970: 1_772_323_200 + Double(n - 1) * 86_400 + 43_200)
    }

    static func fileBytes(_ path: String) -> Data {
        var bytes = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
        bytes += (try? Data(contentsOf: URL(fileURLWithPath: path + "-wal"))) ?? Data()
        return bytes
    }

    @Test func theCandidatesAreTheEntriesRecordedBeforeTheDate() throws {
        let (store, folder, _) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = try HistoryTime.parse("2026-03-03", option: "--before")
        #expect(try store.redactionCandidates(before: before).map(\.id) == [1, 2])
        #expect(try store.redactedEntryIDs().isEmpty)
    }

    @Test func redactingKeepsTheChainAndVerifyListsTheRedactedEntries() throws {
        let (store, folder, _) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        let headBefore = try store.verify().head
        let before = try HistoryTime.parse("2026-03-03", option: "--before")
        let redaction = try #require(try store.redact(before: before, redactedAt: Self.day(10)))
        #expect(redaction.id == 1)
        #expect(redaction.entries.map(\.entry) == [1, 2])
        #expect(redaction.before == "2026-03-03T00:00:00.000Z")
        #expect(redaction.redactedAt == "2026-03-10T12:00:00.000Z")
        let verification = try store.verify(expectingHead: headBefore)
        #expect(verification.problems == [])
        #expect(verification.head == headBefore)
        #expect(verification.redacted == [.init(entry: 1, redaction: 1, redactedAt: "2026-03-10T12:00:00.000Z"),
                                          .init(entry: 2, redaction: 1, redactedAt: "2026-03-10T12:00:00.000Z")])
        // The metric rows stay for trends; the third entry is whole.
        #expect(try store.metricRows(of: 2) == HistoryMetricRow.rows(of: HistoryFixtures.leadsReport))
        #expect(try store.report(of: 3).profile.name == "t")
        // A second run finds nothing left to redact and records nothing.
        #expect(try store.redact(before: before) == nil)
        #expect(try store.redactions().count == 1)
    }

    @Test func aRedactedReportCannotBeReadAndSaysWhy() throws {
        let (store, folder, _) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.redact(before: try HistoryTime.parse("2026-03-03", option: "--before"), redactedAt: Self.day(10))
        do {
            _ = try store.report(of: 2)
            Issue.record("a redacted report was read")
        } catch let error as FairleadError {
            #expect(error.kind == .usage)
            #expect(error.message.hasPrefix("the report of entry 2 was redacted on 2026-03-10T12:00:00Z (`fairlead history redact`, entries recorded before 2026-03-03);"))
        }
        #expect(try store.redaction(of: 2)?.id == 1)
        #expect(try store.redaction(of: 3) == nil)
    }

    /// A pinned baseline whose report was redacted stops every re-audit: the message says
    /// how to go on, at the profile's `drift.baseline`.
    @Test func aRedactedPinnedBaselineSaysWhatToDo() throws {
        let (store, folder, _) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.redact(before: try HistoryTime.parse("2026-03-03", option: "--before"), redactedAt: Self.day(10))
        do {
            _ = try DriftBaseline.resolve(AuditProfile.DriftSpec(baseline: .entry(2)), profile: "leads-weekly", history: store)
            Issue.record("a redacted baseline was compared with")
        } catch let error as FairleadError {
            #expect(error.message.hasPrefix("the report of entry 2 was redacted on 2026-03-10T12:00:00Z"))
            #expect(error.message.hasSuffix("; pin another entry (`drift.baseline: {pinned: N}`), a report file kept apart (`{pinned: baseline.json}`), or compare with `last_passing`"))
            #expect(error.location?.field == "drift.baseline")
        }
    }

    @Test func theRemovedBytesAreGoneFromTheFile() throws {
        let (store, folder, path) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The leads report's explanation-free JSON holds its data file's SHA-256 once per report.
        let marker = Data(HistoryFixtures.leadsReport.data.sha256.utf8)
        let json = try HistoryFixtures.leadsReport.jsonData()
        let probe = json.subdata(in: json.count / 2 ..< json.count / 2 + 200)
        #expect(Self.fileBytes(path).range(of: probe) != nil)
        try store.redact(before: try HistoryTime.parse("2026-03-03", option: "--before"), redactedAt: Self.day(10))
        let bytes = Self.fileBytes(path)
        #expect(bytes.range(of: probe) == nil)
        #expect(bytes.range(of: marker) == nil)
        // The third entry's report is still there.
        let kept = try store.report(of: 3)
        #expect(kept.rows.read > 0)
    }

    @Test func aPayloadEmptiedByHandIsAnEditNotARedaction() throws {
        let (store, folder, _) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.rawExecute("UPDATE entry SET report_json = zeroblob(0) WHERE id = 2")
        let problems = try store.verify().problems
        #expect(problems.map(\.kind) == [.editedReport])
        #expect(problems.first?.entry == 2)
        #expect(try store.verify().redacted == [])
    }

    @Test func aDeletedRedactionRecordLeavesAnEditedReport() throws {
        let (store, folder, _) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.redact(before: try HistoryTime.parse("2026-03-02T11:00:00Z", option: "--before"), redactedAt: Self.day(10))
        try store.rawExecute("DELETE FROM redacted_entry")
        let problems = try store.verify().problems
        #expect(problems.map(\.kind) == [.editedReport, .editedRedaction])
        #expect(problems.first?.entry == 1)
    }

    @Test func anEditedRedactionRecordIsFound() throws {
        let (store, folder, _) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.redact(before: try HistoryTime.parse("2026-03-03", option: "--before"), redactedAt: Self.day(10))
        try store.rawExecute("UPDATE redaction SET before = '2026-03-04T00:00:00.000Z'")
        let problems = try store.verify().problems
        #expect(problems == [.init(kind: .editedRedaction, entry: nil,
                                   message: "redaction 1: its fields or its list of entries no longer give its hash (edited)")])
    }

    /// Redaction seals an entry's metric rows under a digest: an edit made before it
    /// would then pass `verify` as intact. An edited history is not redacted, and stays
    /// TAMPERED.
    @Test func anEditedHistoryIsNotRedacted() throws {
        let (store, folder, _) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.rawExecute("UPDATE metric SET value = 0.5 WHERE entry_id = 2 AND metric = 'selection_rate' AND group_name = 'black'")
        let error = #expect(throws: FairleadError.self) {
            try store.redact(before: try HistoryTime.parse("2026-03-03", option: "--before"), redactedAt: Self.day(10))
        }
        #expect(error?.message.hasPrefix("the history was edited or damaged (1 problem; first: entry 2: ") == true, "\(error?.message ?? "")")
        #expect(try store.redactedEntryIDs().isEmpty)
        #expect(try store.verify().problems.map(\.kind) == [.editedMetricRow])
        // What `redact --yes` does first: the same refusal, read-only, not a byte changed.
        let path = store.path
        let files = [path, path + "-wal"].filter { FileManager.default.fileExists(atPath: $0) }
        let before = try files.map { try HistoryReadOnlyTests.fingerprint($0).sha256 }
        let readOnly = #expect(throws: FairleadError.self) { try HistoryStore.verifyBeforeRedacting(path: path) }
        #expect(readOnly?.message == error?.message)
        #expect(try files.map { try HistoryReadOnlyTests.fingerprint($0).sha256 } == before)
    }

    @Test func aMetricRowEditedAfterRedactionIsFound() throws {
        let (store, folder, _) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.redact(before: try HistoryTime.parse("2026-03-03", option: "--before"), redactedAt: Self.day(10))
        try store.rawExecute("UPDATE metric SET value = 0.5 WHERE entry_id = 2 AND metric = 'selection_rate' AND group_name = 'black'")
        let problems = try store.verify().problems
        #expect(problems.map(\.kind) == [.editedMetricRow])
        #expect(problems.first?.entry == 2)
    }

    @Test func aReportPutBackAfterRedactionIsFound() throws {
        let (store, folder, _) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = try HistoryFixtures.leadsReport.jsonData()
        try store.redact(before: try HistoryTime.parse("2026-03-03", option: "--before"), redactedAt: Self.day(10))
        try store.rawExecute("UPDATE entry SET report_json = X'\(json.map { String(format: "%02x", $0) }.joined())' WHERE id = 2")
        let problems = try store.verify().problems
        #expect(problems.map(\.kind) == [.editedRedaction])
        #expect(problems.first?.message == "redaction 1 removed its report, yet it holds one (its own)")
    }

    @Test func aReadOnlyHistoryIsNotRedacted() throws {
        let (_, folder, path) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        let reader = try HistoryStore.openForReading(path: path)
        #expect(throws: FairleadError.self) { try reader.redact(before: Self.day(5)) }
    }

    @Test func theRedactionHashFollowsItsFormula() {
        let redaction = HistoryRedaction(id: 1, redactedAt: "2026-03-10T12:00:00.000Z", before: "2026-03-03T00:00:00.000Z",
                                         entries: [.init(entry: 2, metricsSHA256: "b"), .init(entry: 1, metricsSHA256: "a")],
                                         previousHash: HistoryEntry.genesisHash, redactionHash: "")
        let text = "fairlead-redaction-v1\n\(HistoryEntry.genesisHash)\n1\n2026-03-10T12:00:00.000Z\n2026-03-03T00:00:00.000Z\n1 a\n2 b\n"
        #expect(redaction.recomputedHash == ContentDigest.sha256(Data(text.utf8)))
    }
}
