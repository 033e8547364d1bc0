import Foundation
import Testing
@testable import Fairlead

/// A history file SQLite finds damaged (truncated, a page overwritten): `verify` reports
/// it as `damaged_file` (docs/history.md, exit 1); every other reader and writer refuses
/// it as bad input and says to run `verify`.
@Suite struct HistoryDamagedFileTests {
    /// The first `bytes` of a two-entry history, at `folder/truncated.sqlite`.
    static func truncatedHistory(in folder: URL, bytes: Int) throws -> String {
        let whole = try Data(contentsOf: URL(fileURLWithPath: try HistoryReadOnlyTests.history(in: folder)))
        #expect(whole.count > bytes)
        let path = folder.appendingPathComponent("truncated.sqlite").path
        try whole.prefix(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(arguments: [100, 4096, 20000])
    func aTruncatedHistoryIsADamagedFileToVerify(bytes: Int) throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.truncatedHistory(in: folder, bytes: bytes)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let verification = try HistoryStore.verify(path: path)
        #expect(verification.problems == [.init(kind: .damagedFile, entry: nil,
                                                message: "the file is damaged (SQLite: database disk image is malformed)")])
        #expect(verification.entryCount == 0 && verification.head.isEmpty && !verification.isIntact)
        // A malformed --head is still the argument's fault, found before the file is read.
        #expect(throws: FairleadError.self) { _ = try HistoryStore.verify(path: path, expectingHead: "xyz") }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func aTruncatedHistoryIsBadInputToReadersAndWriters() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.truncatedHistory(in: folder, bytes: 20000)
        let refused = FairleadError(.invalidData,
                                    "the audit history is damaged (SQLite: database disk image is malformed); run `fairlead history verify`",
                                    at: SourceLocation(file: path))
        #expect(throws: refused) { _ = try HistoryStore.openForReading(path: path) }
        #expect(throws: refused) { try HistoryStore(path: path, create: false).append(try HistoryFixtures.smallReport(seconds: 120)) }
        #expect(throws: refused) { try HistoryStore(path: path).append(try HistoryFixtures.smallReport(seconds: 120)) }
    }

    /// A file that is not SQLite at all stays "not a history" (exit 2), not damage.
    @Test func aFileThatIsNotSQLiteIsNotReportedAsDamage() throws {
        let folder = try HistoryFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("notes.sqlite").path
        try Data(String(repeating: "not a database\n", count: 100).utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: FairleadError(.invalidData, "not a readable audit history: file is not a database",
                                      at: SourceLocation(file: path))) {
            _ = try HistoryStore.verify(path: path)
        }
    }
}
