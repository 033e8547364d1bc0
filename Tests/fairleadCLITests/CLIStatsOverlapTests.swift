import Foundation
import Testing

/// A merge counts each shard's rows once: two shards of rows with the same content are
/// refused, and a merge with a query result — whose digest is of its sums, not of the
/// rows — says that it could not check, on the terminal and in the report.
@Suite struct CLIStatsOverlapTests {
    static let profile = "fixtures/profiles/leads-sharded.yaml"
    static let result = "fixtures/scale/leads-postgres-result.csv"
    static let leads = "fixtures/leads/leads-sample.csv"
    static let warning = "fairlead: warning: 1 of the 2 shards is a query result (\"fixtures/scale/leads-postgres-result.csv\"): "
        + "a query result holds the database's sums, and its digest is of those sums, not of the rows, so whether its rows "
        + "are also counted by another shard cannot be checked; the counts are right only if the shards hold disjoint rows\n"

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func aMergeWithAQueryResultSaysItCannotCheckForOverlap() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("overlap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // The bundled leads as a part of rows, and the same leads summed by PostgreSQL.
        let part = folder.appendingPathComponent("leads.stats.json").path
        let stats = try CLIProcess.run(["stats", "--profile", Self.profile, "--data", Self.leads, "--out", part])
        #expect(stats.exitCode == 0, "\(stats.standardError)")
        let both = try CLIProcess.run(["audit", "--profile", Self.profile, "--from-stats", part, Self.result, "--format", "json"])
        #expect(both.exitCode == 0 || both.exitCode == 1)
        #expect(both.standardError == Self.warning)
        let report = try Self.json(both.standardOutput)
        let notes = try #require(report["notes"] as? [String])
        #expect(notes.contains(String(Self.warning.dropFirst("fairlead: warning: ".count).dropLast())), "\(notes)")
        // The same rows twice: 10000 counted. Said, not hidden.
        #expect((report["rows"] as? [String: Any])?["read"] as? Int == 10000)

        // A query result alone, or parts of rows alone, have nothing unchecked to say.
        let alone = try CLIProcess.run(["audit", "--profile", Self.profile, "--from-stats", Self.result, "--format", "json"])
        #expect(alone.standardError.isEmpty, "\(alone.standardError)")
        #expect((try Self.json(alone.standardOutput)["notes"] as? [String])?.contains { $0.contains("query result") } == false)
        // Its copy is the same bytes: refused, naming both files.
        let copy = folder.appendingPathComponent("copy.csv").path
        try FileManager.default.copyItem(atPath: Self.result, toPath: copy)
        let twice = try CLIProcess.run(["audit", "--profile", Self.profile, "--from-stats", Self.result, copy])
        #expect(twice.exitCode == 2)
        #expect(twice.standardError.contains("\(copy) and \(Self.result) both hold the shard with SHA-256 ")
                && twice.standardError.contains("rows would count twice"), "\(twice.standardError)")
    }
}
