import Foundation
import Testing
@testable import Fairlead

/// Appending to the history: entries, metric rows, the chain, concurrent writers and
/// failed appends.
@Suite struct HistoryStoreTests {
    @Test func appendedReportsComeBackWholeWithTheirRowsAndChain() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try HistoryStore(path: folder.appendingPathComponent("h.sqlite").path)
        let report = HistoryFixtures.leadsReport
        let small = try HistoryFixtures.smallReport()
        let first = try store.append(report, asOf: try HistoryTime.parse("2026-03-02", option: "--as-of"),
                                     recordedAt: Date(timeIntervalSince1970: 1_800_000_000))
        let second = try store.append(small, recordedAt: Date(timeIntervalSince1970: 1_800_000_001.25))

        #expect(first.id == 1 && second.id == 2)
        #expect(first.asOf == "2026-03-02T00:00:00Z")
        #expect(second.asOf == small.generatedAt)
        #expect(second.recordedAt == "2027-01-15T08:00:01.250Z")
        #expect(first.previousHash == HistoryEntry.genesisHash)
        #expect(second.previousHash == first.entryHash)
        #expect(first.reportSHA256 == ContentDigest.sha256(try report.jsonData()))
        // The chain hash is SHA-256 of the documented text.
        let text = "fairlead-history-v1\n\(first.entryHash)\n\(second.reportSHA256)\n2\n2027-01-15T08:00:01.250Z\n\(small.generatedAt)\n\n"
        #expect(second.entryHash == ContentDigest.sha256(Data(text.utf8)))

        #expect(try store.report(of: 1) == report)
        #expect(try store.report(of: 2) == small)
        #expect(try store.entries() == [first, second])
        #expect(try store.entries(profile: "t") == [second])
        let rows = try store.metricRows(of: 1)
        #expect(rows == HistoryMetricRow.rows(of: report))
        let black = try #require(rows.first { $0.attribute == "ethnicity" && $0.group == "black" && $0.metric == "selection_rate" })
        let estimate = try #require(report.decisions["threshold_0.3"]?.attributes["ethnicity"]?.groups["black"]?.metrics["selection_rate"])
        #expect(black.value == estimate.value && black.lower == estimate.interval?[0] && black.upper == estimate.interval?[1])
        #expect(rows.contains { $0.group == "" && $0.metric == "demographic_parity_difference" })
        #expect(rows.contains { $0.group == "(overall)" && $0.metric == "selection_rate" })
        #expect(rows.contains { $0.group == "black" && $0.metric == "selection_rate.ratio_to_reference" })
        #expect(rows.count > 500)
        #expect(try store.verify().isIntact)
    }

    @Test func reopeningKeepsEntriesAndUsesWAL() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("h.sqlite").path
        try HistoryStore(path: path).append(try HistoryFixtures.smallReport())
        let reopened = try HistoryStore(path: path, create: false)
        #expect(try reopened.entries().map(\.id) == [1])
        #expect(try reopened.rawText("PRAGMA journal_mode") == "wal")
        #expect(try reopened.rawText("SELECT group_concat(identifier) FROM grdb_migrations") == "v1,v2,v-privacy-ledger,v-redaction")
    }

    @Test func aMissingHistoryIsAnErrorWhenNotCreating() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("none.sqlite").path
        #expect(throws: FairleadError(.usage, "no audit history here; `fairlead audit --history` creates one",
                                      at: SourceLocation(file: path))) {
            try HistoryStore(path: path, create: false)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aFileThatIsNotAHistoryIsRejected() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("leads.csv").path
        try "id,score\n1,0.5\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try HistoryStore(path: path, create: false)
        } throws: { error in
            (error as? FairleadError)?.kind == .invalidData
        }
    }

    @Test func concurrentWritersGetConsecutiveEntriesAndAnIntactChain() async throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("h.sqlite").path
        let report = try HistoryFixtures.smallReport()
        let writers = 6, appendsEach = 4
        try await withThrowingTaskGroup(of: [Int64].self) { group in
            for _ in 0..<writers {
                group.addTask {
                    // Each writer has its own connection pool, as separate processes would.
                    let store = try HistoryStore(path: path)
                    return try (0..<appendsEach).map { _ in try store.append(report).id }
                }
            }
            var ids: [Int64] = []
            for try await appended in group { ids += appended }
            #expect(ids.sorted() == Array(1...Int64(writers * appendsEach)))
        }
        let store = try HistoryStore(path: path, create: false)
        let verification = try store.verify()
        #expect(verification.problems == [])
        #expect(verification.entryCount == writers * appendsEach)
        let rowCounts = try store.rawIntegers("SELECT COUNT(*) FROM metric GROUP BY entry_id")
        #expect(rowCounts == Array(repeating: Int64(HistoryMetricRow.rows(of: report).count), count: writers * appendsEach))
    }

    @Test func aFailureInsideTheAppendLeavesNoPartialEntry() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("h.sqlite").path
        let report = HistoryFixtures.leadsReport
        let first = try HistoryStore(path: path).append(report)
        let failing = try HistoryStore(path: path, create: true, fault: .throwAfterRows(100))
        #expect(throws: FairleadError(.internalFailure, "injected failure after 100 metric rows")) {
            try failing.append(report)
        }
        let store = try HistoryStore(path: path)
        #expect(try store.entries().map(\.id) == [1])
        #expect(try store.rawIntegers("SELECT COUNT(*) FROM metric WHERE entry_id = 2") == [0])
        #expect(try store.verify().problems == [])
        let next = try store.append(report)
        #expect(next.id == 2 && next.previousHash == first.entryHash)
        #expect(try store.verify().problems == [])
    }

    @Test func lastPassingSkipsFailuresDriftAndOtherProfiles() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try HistoryStore(path: folder.appendingPathComponent("h.sqlite").path)
        var passing = try HistoryFixtures.smallReport(name: "p")
        #expect(passing.status == .noRules)   // an audit with nothing to judge is a baseline too
        try store.append(passing)                                     // 1
        var failing = passing
        // A failed finding, as a failed audit has: every reader holds a report's status to its findings.
        let decision = try #require(passing.decisions.keys.sorted().first)
        failing.findings = [AuditReport.Finding(rule: "disparate_impact >= 0.8", metric: "disparate_impact", decision: decision,
                                                attribute: "g", group: "b", value: 0.5, interval: nil, verdict: .fail,
                                                reason: "0.5 is not >= 0.8")]
        failing.status = .fail
        try store.append(failing)                                     // 2
        passing.drift = AuditReport.DriftReport(status: .fail, baseline: nil,
                                                settings: .init(tolerance: 0.05, psi: 0.25, shareShift: 0.05, bins: 10, confidence: 0.99, tests: 0,
                                                                fairness: [], groupMetrics: []),
                                                findings: [], notes: [])
        try store.append(passing)                                     // 3: drifted
        try store.append(try HistoryFixtures.smallReport(name: "other"))  // 4
        #expect(try store.lastPassing(profile: "p")?.id == 1)
        passing.drift?.status = .insufficientEvidence
        try store.append(passing)                                     // 5
        #expect(try store.lastPassing(profile: "p")?.id == 5)
        #expect(try store.lastPassing(profile: "none") == nil)
        // The columns choose the baseline, the report (under the hash chain) must agree:
        // a failed entry edited to 'pass' is refused as the drift baseline.
        try store.append(failing)                                     // 6
        try store.rawExecute("UPDATE entry SET status = 'pass' WHERE id = 6")
        #expect(try store.lastPassing(profile: "p")?.id == 6)
        let spec = try #require(try AuditProfile.parse("name: p\ndata: {path: x.csv, score: s}\nsensitive: [a]\ndecisions: [{threshold: 0.5}]\ndrift: {}\n").drift)
        let error = #expect(throws: FairleadError.self) { try DriftBaseline.resolve(spec, profile: "p", history: store) }
        #expect(error?.message.hasPrefix("entry 6 is listed as a passing audit of 'p', but its report says fail") == true, "\(error?.message ?? "")")
    }

    /// A re-run is the same profile content on the same data as of the same time, not
    /// merely the same profile name: every ad hoc audit is called `ad-hoc`, and two profiles
    /// may share a `name:`. The check matched by name, so an audit with other rules found
    /// "its" earlier run and was never appended (the day read PASS after a FAIL).
    @Test func aReRunIsTheSameProfileContentNotTheSameName() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try HistoryStore(path: folder.appendingPathComponent("h.sqlite").path)
        let data = try AuditFixtures.temporaryCSV(AuditBehaviourTests.csv)
        defer { try? FileManager.default.removeItem(atPath: (data as NSString).deletingLastPathComponent) }
        func report(_ profile: AuditProfile) throws -> AuditReport {
            try Audit(profile: profile, dataPath: data, threads: 1, clock: AuditFixtures.fixedClock).run()
        }
        let asOf = try HistoryTime.parse("2026-03-02", option: "--as-of")
        let lenient = AuditBehaviourTests.profile(rules: [try AuditProfile.rule("disparate_impact >= 0.1", source: "test")])
        let strict = AuditBehaviourTests.profile(rules: [try AuditProfile.rule("disparate_impact >= 0.99", source: "test")])
        let passed = try report(lenient)
        let entry = try store.append(passed, asOf: asOf)
        #expect(try store.earlierRun(of: report(lenient), asOf: asOf) == entry)

        // Profiles built without a file (ad hoc ones) are told apart by their summary's SHA-256.
        let failed = try report(strict)
        #expect(passed.status == .pass && failed.status == .fail)
        #expect(failed.profile.name == passed.profile.name && failed.profile.sha256 != passed.profile.sha256)
        #expect(try store.earlierRun(of: failed, asOf: asOf) == nil)
        let second = try store.append(failed, asOf: asOf)
        #expect(try store.earlierRun(of: report(strict), asOf: asOf) == second)
        #expect(try store.earlierRun(of: report(lenient), asOf: asOf) == entry)

        // Two profile files sharing a name, and a rule given over a profile file (`--rule`),
        // which leaves the file's SHA-256 as it was.
        func file(_ name: String, rule: String) throws -> AuditProfile {
            let path = folder.appendingPathComponent(name).path
            try """
                name: shared
                data: {score: score, label: y, score_range: [0, 1]}
                sensitive: [g]
                decisions: [{threshold: 0.5}]
                rules: ["\(rule)"]
                settings: {min_group_size: 1, bootstrap: 0}

                """.write(toFile: path, atomically: true, encoding: .utf8)
            return try AuditProfile.load(path: path)
        }
        let one = try report(file("one.yaml", rule: "disparate_impact >= 0.1"))
        let fromFile = try store.append(one, asOf: asOf)
        #expect(try store.earlierRun(of: report(file("one.yaml", rule: "disparate_impact >= 0.1")), asOf: asOf) == fromFile)
        let two = try report(file("two.yaml", rule: "disparate_impact >= 0.99"))
        #expect(two.profile.name == one.profile.name && two.status == .fail)
        #expect(try store.earlierRun(of: two, asOf: asOf) == nil)
        var overFile = try file("one.yaml", rule: "disparate_impact >= 0.1")
        overFile.rules.append(try AuditProfile.rule("demographic_parity_difference <= 0.01", source: "--rule"))
        let withRule = try report(overFile)
        #expect(withRule.profile.sha256 == one.profile.sha256)
        #expect(try store.earlierRun(of: withRule, asOf: asOf) == nil)
        var otherThreshold = try file("one.yaml", rule: "disparate_impact >= 0.1")
        otherThreshold.decisions = [.init(name: "t05", kind: .threshold(0.25))]
        #expect(try store.earlierRun(of: report(otherThreshold), asOf: asOf) == nil)
    }
}
