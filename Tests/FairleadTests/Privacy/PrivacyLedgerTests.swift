import Foundation
import GRDB
import Testing
@testable import Fairlead
import FairleadCore

/// The privacy budget ledger: exact sums, refusal past the budget, tamper evidence.
@Suite struct PrivacyLedgerTests {
    /// The release's groups are beside the point here: they come from the data.
    static func policy(_ epsilon: String, budget: String) -> PrivacyPolicy {
        var policy = PrivacyPolicy(epsilon: PrivacyBudgetAmount(decimal: epsilon), budget: PrivacyBudgetAmount(decimal: budget))
        policy.groupNames = .fromData
        return policy
    }

    static func release(_ policy: PrivacyPolicy) throws -> AuditReport {
        var generator = SeededGenerator(seed: 1)
        return try PublishedReport.make(from: try HistoryFixtures.smallReport(), policy: policy, using: &generator)
    }

    @Test func releasesAddUpExactlyAndThePastBudgetOneIsRefused() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try HistoryStore(path: folder.appendingPathComponent("h.sqlite").path)
        let policy = Self.policy("0.1", budget: "1")
        let release = try Self.release(policy)
        for spent in 0..<10 {
            let charged = try store.chargePrivacyBudget(release, policy: policy)
            #expect(charged.spentBefore == PrivacyBudgetAmount(nanos: UInt64(spent) * 100_000_000))
        }
        #expect(try store.privacyBudgetSpent(dataSHA256: release.data.sha256).description == "1")
        #expect(throws: FairleadError.self) { try store.chargePrivacyBudget(release, policy: policy) }
        do {
            try store.chargePrivacyBudget(release, policy: policy)
        } catch let error as FairleadError {
            #expect(error.kind == .usage)
            #expect(error.message.contains("spent ε = 1 of 1, remaining 0; this release needs ε = 0.1"))
        }
        #expect(try store.privacyLedger().count == 10)
        // Another data set has its own budget.
        var other = release
        other.data.sha256 = String(repeating: "a", count: 64)
        #expect(try store.chargePrivacyBudget(other, policy: policy).spentBefore.nanos == 0)
        #expect(try store.verify().isIntact)
    }

    @Test func aReleaseLargerThanWhatRemainsIsRefused() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try HistoryStore(path: folder.appendingPathComponent("h.sqlite").path)
        let release = try Self.release(Self.policy("0.75", budget: "1"))
        try store.chargePrivacyBudget(release, policy: Self.policy("0.75", budget: "1"))
        do {
            try store.chargePrivacyBudget(release, policy: Self.policy("0.5", budget: "1"))
            Issue.record("a release past the budget was recorded")
        } catch let error as FairleadError {
            #expect(error.message.contains("spent ε = 0.75 of 1, remaining 0.25; this release needs ε = 0.5"))
        }
        #expect(try store.privacyLedger().map(\.epsilon.description) == ["0.75"])
    }

    /// The first release of a data set fixes its budget: once it is spent, a profile that
    /// says `budget: 1000` is refused (it released ε = 100 more); a lower budget holds.
    @Test func aDataSetsBudgetIsFixedByItsFirstReleaseAndMayOnlyBeLowered() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try HistoryStore(path: folder.appendingPathComponent("h.sqlite").path)
        let release = try Self.release(Self.policy("0.5", budget: "2"))
        try store.chargePrivacyBudget(release, policy: Self.policy("0.5", budget: "2"))
        do {
            try store.chargePrivacyBudget(release, policy: Self.policy("100", budget: "1000"))
            Issue.record("a raised budget was accepted")
        } catch let error as FairleadError {
            #expect(error.kind == .usage)
            #expect(error.message.hasPrefix("privacy.budget is 1000, above the 2 the first release of data SHA-256 \(release.data.sha256.prefix(12))… committed to (ledger row 1, "),
                    "\(error.message)")
            #expect(error.message.hasSuffix("a data set's budget is fixed by its first release and may only be lowered; spent ε = 0.5"), "\(error.message)")
        }
        // Lowered: 0.5 + 0.25 fits in 1; another 0.5 does not.
        try store.chargePrivacyBudget(release, policy: Self.policy("0.25", budget: "1"))
        #expect(throws: FairleadError.self) { try store.chargePrivacyBudget(release, policy: Self.policy("0.5", budget: "1")) }
        #expect(try store.privacyLedger().map(\.epsilon.description) == ["0.5", "0.25"])
    }

    @Test func verifyFindsAnEditedOrDeletedLedgerRow() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("h.sqlite").path
        let store = try HistoryStore(path: path)
        let policy = Self.policy("0.5", budget: "5")
        let release = try Self.release(policy)
        for _ in 0..<3 { try store.chargePrivacyBudget(release, policy: policy) }
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "UPDATE privacy_ledger SET epsilon_nanos = 1 WHERE id = 2") }
        #expect(try store.verify().problems.map(\.kind) == [.editedLedger])
        try queue.write { try $0.execute(sql: "UPDATE privacy_ledger SET epsilon_nanos = 500000000 WHERE id = 2") }
        #expect(try store.verify().isIntact)
        try queue.write { try $0.execute(sql: "DELETE FROM privacy_ledger WHERE id = 2") }
        let problems = try store.verify().problems
        #expect(problems.map(\.kind) == [.editedLedger])
        #expect(problems.first?.message.contains("missing (deleted)") == true)
    }

    @Test func budgetAmountsParseAndPrint() {
        #expect(PrivacyBudgetAmount(decimal: "0.5")?.nanos == 500_000_000)
        #expect(PrivacyBudgetAmount(decimal: "2")?.description == "2")
        #expect(PrivacyBudgetAmount(decimal: "0.125")?.description == "0.125")
        #expect(PrivacyBudgetAmount(decimal: "0") == nil)
        #expect(PrivacyBudgetAmount(decimal: "-1") == nil)
        #expect(PrivacyBudgetAmount(decimal: "1e3") == nil)
    }
}

/// A history written before the ledger existed reads and verifies as intact.
@Suite struct PrivacyLedgerMigrationTests {
    @Test func aHistoryFromBeforeTheLedgerIsIntact() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("h.sqlite").path
        let store = try HistoryStore(path: path)
        try store.append(try HistoryFixtures.smallReport())
        // Before the ledger there was no redaction either: both migrations are undone.
        try store.rawExecute("DROP TABLE privacy_ledger")
        try store.rawExecute("DROP TABLE redaction")
        try store.rawExecute("DROP TABLE redacted_entry")
        try store.rawExecute("DELETE FROM grdb_migrations WHERE identifier IN ('v-privacy-ledger', 'v-redaction')")
        let old = try HistoryStore.openForReading(path: path)
        #expect(try old.verify().isIntact)
        #expect(try old.privacyLedger().isEmpty)
        // Opening it to append adds the ledger.
        #expect(try HistoryStore(path: path).privacyLedger().isEmpty)
        #expect(try HistoryStore(path: path).rawText("SELECT group_concat(identifier) FROM grdb_migrations") == "v1,v2,v-privacy-ledger,v-redaction")
    }
}
