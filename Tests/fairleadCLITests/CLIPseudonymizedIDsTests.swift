import Foundation
import Testing

/// With `privacy.pseudonymize_ids: true` no command prints, writes or stores a raw lead id:
/// not `explain`, not `mitigate --reweigh-out` (its CSV wrote raw ids), not `history
/// label` (its messages about a duplicate id quoted the raw id). And an id on two data
/// rows is refused where weights name leads by id (two rows of weights named one lead).
@Suite struct CLIPseudonymizedIDsTests {
    static let raw = "LEAD-RAW-"

    /// The first 1,000 leads of the sample (fewer leave a group without converters, which mitigation refuses), their ids `LEAD-RAW-0001`…, and a profile that
    /// explains them and pseudonymizes ids. `duplicate` puts lead 2's id on row 7 too.
    static func setUp(duplicate: Bool = false, pseudonymize: Bool = true) throws -> (folder: URL, profile: String) {
        let folder = try CLIHistory.temporaryFolder()
        let sample = try String(contentsOf: CLIProcess.packageRoot.appendingPathComponent("fixtures/leads/leads-sample.csv"), encoding: .utf8)
        let lines = sample.split(separator: "\n").prefix(1001)
        var rows = [String(lines[0])]
        for (index, line) in lines.dropFirst().enumerated() {
            let number = duplicate && index == 6 ? 2 : index + 1
            rows.append(String(format: "\(raw)%04d", number) + line.drop { $0 != "," })
        }
        try (rows.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("base.csv"), atomically: true, encoding: .utf8)
        try "a-key-of-thirty-two-bytes-length\n".write(to: folder.appendingPathComponent("k.key"), atomically: true, encoding: .utf8)
        let base = CLIProcess.packageRoot.appendingPathComponent("fixtures/profiles/leads-explanations.yaml").path
        let profile = folder.appendingPathComponent("p.yaml").path
        try """
            extends: \(base)
            data:
              path: base.csv
            privacy:
              pseudonymize_ids: \(pseudonymize)
              pseudonym_key: {file: k.key}
            settings:
              bootstrap: 0

            """.write(toFile: profile, atomically: true, encoding: .utf8)
        return (folder, profile)
    }

    /// A label-free profile of the same leads, ids and key (the re-audit profile): the
    /// production audit `history label` completes (an audit that had labels is refused).
    static func labelFree(in folder: URL, pseudonymize: Bool = true) throws -> String {
        let base = CLIProcess.packageRoot.appendingPathComponent("fixtures/profiles/leads-reaudit.yaml").path
        let profile = folder.appendingPathComponent("r.yaml").path
        try """
            extends: \(base)
            data:
              path: base.csv
            privacy:
              pseudonymize_ids: \(pseudonymize)
              pseudonym_key: {file: k.key}
            settings:
              bootstrap: 0

            """.write(toFile: profile, atomically: true, encoding: .utf8)
        return profile
    }

    /// Every text a run left: its output, its messages and the files named.
    static func leftRawID(_ result: CLIProcess.Result, files: [URL] = []) -> Bool {
        let written = files.compactMap { try? Data(contentsOf: $0) }.map { String(decoding: $0, as: UTF8.self) }
        return ([result.standardOutput, result.standardError] + written).contains { $0.contains(raw) }
    }

    static func isPseudonym(_ text: some StringProtocol) -> Bool {
        text.count == 64 && text.allSatisfy { "0123456789abcdef".contains($0) }
    }

    @Test func noCommandPrintsWritesOrStoresARawID() throws {
        let (folder, profile) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        func file(_ name: String) -> URL { folder.appendingPathComponent(name) }

        for format in ["text", "json", "csv"] {
            let explain = try CLIHistory.run(["explain", "--profile", profile, "--format", format, "--threads", "1"])
            #expect(explain.exitCode == 0, "\(explain.standardError)")
            #expect(!Self.leftRawID(explain), "explain --format \(format)")
        }
        let unknown = try CLIHistory.run(["explain", "--profile", profile, "--ids", "\(Self.raw)9999", "--threads", "1"])
        #expect(unknown.exitCode != 0)
        #expect(!Self.leftRawID(unknown), "\(unknown.standardError)")

        let mitigate = try CLIHistory.run(["mitigate", "--profile", profile, "--reweigh-out", file("w.csv").path, "--format", "json"])
        #expect(!Self.leftRawID(mitigate, files: [file("w.csv")]), "\(mitigate.standardError)")
        let weights = try String(contentsOf: file("w.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(weights.count == 1000)
        #expect(weights.allSatisfy { Self.isPseudonym($0.prefix { $0 != "," }) }, "\(weights.first ?? "")")

        let history = file("h.sqlite")
        let audit = try CLIHistory.run(["audit", "--profile", try Self.labelFree(in: folder), "--history", history.path, "--threads", "1"])
        #expect(audit.standardError.contains("appended entry 1"), "\(audit.standardError)")
        #expect(!Self.leftRawID(audit, files: [history]))

        // A label file naming one lead twice: the message quotes the id's pseudonym.
        let ids = (1...1000).map { String(format: "\(Self.raw)%04d", $0) }
        try ("id,label\n" + ids.map { "\($0),1\n" }.joined() + "\(ids[4]),0\n").write(to: file("lab.csv"), atomically: true, encoding: .utf8)
        let twice = try CLIHistory.run(["history", "label", "--history", history.path, "--entry", "1", "--labels", file("lab.csv").path,
                                        "--id", "id", "--label", "label", "--threads", "1"])
        #expect(twice.exitCode == 2)
        #expect(twice.standardError.contains("(column \"id\"): the id '"), "\(twice.standardError)")
        #expect(twice.standardError.contains("' has two labels (data rows 5 and 1001)"))
        #expect(!Self.leftRawID(twice), "\(twice.standardError)")

        try ("id,label\n" + ids.map { "\($0),\($0.hasSuffix("1") ? 1 : 0)\n" }.joined()).write(to: file("lab.csv"), atomically: true, encoding: .utf8)
        let label = try CLIHistory.run(["history", "label", "--history", history.path, "--entry", "1", "--labels", file("lab.csv").path,
                                        "--id", "id", "--label", "label", "--format", "json", "--threads", "1"])
        #expect(label.standardError.contains("appended entry 2"), "\(label.standardError)")
        #expect(!Self.leftRawID(label, files: [history]))
    }

    /// An id on two data rows: `history label` and `mitigate --reweigh-out` refuse it,
    /// naming the second row's line, and quote the id's pseudonym.
    @Test func aDuplicateIDIsRefusedAndQuotedByItsPseudonym() throws {
        let (folder, profile) = try Self.setUp(duplicate: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("base.csv").path
        let weights = folder.appendingPathComponent("w.csv")
        let mitigate = try CLIHistory.run(["mitigate", "--profile", profile, "--reweigh-out", weights.path])
        #expect(mitigate.exitCode == 2)
        #expect(mitigate.standardError.hasPrefix("fairlead: \(data):8:"), "\(mitigate.standardError)")
        #expect(mitigate.standardError.contains("' is on two data rows (2 and 7); the weights are written one row per lead, named by its id"))
        #expect(!FileManager.default.fileExists(atPath: weights.path))
        #expect(!Self.leftRawID(mitigate))

        let history = folder.appendingPathComponent("h.sqlite").path
        _ = try CLIHistory.run(["audit", "--profile", try Self.labelFree(in: folder), "--history", history, "--threads", "1"])
        try "id,label\nLEAD-RAW-0001,1\n".write(to: folder.appendingPathComponent("lab.csv"), atomically: true, encoding: .utf8)
        let label = try CLIHistory.run(["history", "label", "--history", history, "--entry", "1", "--labels",
                                        folder.appendingPathComponent("lab.csv").path, "--id", "id", "--label", "label", "--threads", "1"])
        #expect(label.exitCode == 2)
        #expect(label.standardError.hasPrefix("fairlead: \(data):8:"), "\(label.standardError)")
        #expect(label.standardError.contains("' is on two data rows (2 and 7); late labels join one lead per id"))
        #expect(!Self.leftRawID(label), "\(label.standardError)")
    }

    /// Without pseudonyms the duplicate is refused too, quoting the id as read.
    @Test func aDuplicateIDIsRefusedForTheWeights() throws {
        let (folder, profile) = try Self.setUp(duplicate: true, pseudonymize: false)
        defer { try? FileManager.default.removeItem(at: folder) }
        let weights = folder.appendingPathComponent("w.csv")
        let mitigate = try CLIHistory.run(["mitigate", "--profile", profile, "--reweigh-out", weights.path])
        #expect(mitigate.exitCode == 2)
        #expect(mitigate.standardError.contains("the id 'LEAD-RAW-0002' is on two data rows (2 and 7); the weights are written one row per lead, named by its id"),
                "\(mitigate.standardError)")
        #expect(!FileManager.default.fileExists(atPath: weights.path))
    }
}
