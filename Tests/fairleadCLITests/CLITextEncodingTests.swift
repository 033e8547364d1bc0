import Foundation
import Testing

/// Files in UTF-16 or UTF-32 — data, profiles, reports, models — are refused by their
/// encoding with the `iconv` command that converts them, not as "invalid UTF-8" or as a
/// header of NUL-laden names; UTF-8 with its byte order mark, and gzip of UTF-8, read.
@Suite struct CLITextEncodingTests {
    private static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-cli-encoding-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// `text` in `encoding` (with the byte order mark Foundation writes for `.utf16` and
    /// `.utf32`, none for the endian ones), at `name` in `folder`.
    private static func write(_ text: String, _ encoding: String.Encoding, to name: String, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try #require(FileManager.default.createFile(atPath: path, contents: text.data(using: encoding)))
        return path
    }

    private static let csv = "score,converted,region\n0.2,0,a\n0.7,1,b\n0.4,1,a\n0.9,0,b\n"

    @Test(arguments: [
        (String.Encoding.utf16, "UTF-16 (little-endian, with a byte order mark)", "UTF-16"),
        (.utf16LittleEndian, "UTF-16 (little-endian, without a byte order mark: its first characters alternate with NUL bytes)", "UTF-16LE"),
        (.utf16BigEndian, "UTF-16 (big-endian, without a byte order mark: its first characters alternate with NUL bytes)", "UTF-16BE"),
        (.utf32, "UTF-32 (little-endian, with a byte order mark)", "UTF-32"),
    ])
    func dataInUTF16OrUTF32IsRefusedByName(encoding: String.Encoding, described: String, iconvName: String) throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.write(Self.csv, encoding, to: "leads.csv", in: folder)
        let converted = folder.appendingPathComponent("leads.utf8.csv").path
        for command in [["inspect", path], ["init", "--data", path]] {
            let result = try CLIProcess.run(command)
            #expect(result.exitCode == 2, "\(command[0]): \(result.standardError)")
            #expect(result.standardError == "fairlead: \(path): the file is \(described), not UTF-8: convert it first, e.g. iconv -f \(iconvName) -t UTF-8 \(path) > \(converted)\n",
                    "\(command[0]): \(result.standardError)")
        }
        // The command it gives converts the file, which then reads.
        let iconv = try CLIProcess.run(["iconv", "-f", iconvName, "-t", "UTF-8", path], program: URL(fileURLWithPath: "/usr/bin/env"))
        #expect(iconv.standardOutput == Self.csv)
    }

    @Test func standardInputAndGzipAreToldTheirOwnConversion() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let utf16 = try #require(Self.csv.data(using: .utf16))
        let piped = try CLIProcess.run(["privacy", "--data", "-", "--quasi", "region"], standardInput: utf16)
        #expect(piped.exitCode == 2)
        #expect(piped.standardError == "fairlead: standard input: the input is UTF-16 (little-endian, with a byte order mark), not UTF-8: convert it first, e.g. iconv -f UTF-16 -t UTF-8\n",
                "\(piped.standardError)")

        let path = try Self.write(Self.csv, .utf16, to: "leads.csv", in: folder)
        let gzip = try CLIProcess.run(["gzip", "-k", path], program: URL(fileURLWithPath: "/usr/bin/env"))
        #expect(gzip.exitCode == 0)
        let result = try CLIProcess.run(["inspect", path + ".gz"])
        #expect(result.exitCode == 2)
        #expect(result.standardError.hasSuffix("not UTF-8: convert it first, e.g. gunzip -c \(path).gz | iconv -f UTF-16 -t UTF-8 > \(folder.path)/leads.utf8.csv\n"),
                "\(result.standardError)")
    }

    @Test func utf8WithAByteOrderMarkAndGzippedUTF8Read() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.write("\u{FEFF}" + Self.csv, .utf8, to: "leads.csv", in: folder)
        let plain = try CLIProcess.run(["inspect", path])
        #expect(plain.exitCode == 0, "\(plain.standardError)")
        #expect(plain.standardOutput.hasPrefix("\(path): 4 rows, 3 columns\n"))
        #expect(try CLIProcess.run(["gzip", "-k", path], program: URL(fileURLWithPath: "/usr/bin/env")).exitCode == 0)
        let gzipped = try CLIProcess.run(["inspect", path + ".gz"])
        #expect(gzipped.exitCode == 0, "\(gzipped.standardError)")
        #expect(gzipped.standardOutput.hasPrefix("\(path).gz: 4 rows, 3 columns\n"))
    }

    @Test func profilesReportsAndModelsInUTF16AreRefusedByName() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profileText = try String(contentsOfFile: "fixtures/profiles/leads-weekly.yaml", encoding: .utf8)
        let profile = try Self.write(profileText, .utf16, to: "p.yaml", in: folder)
        let validated = try CLIProcess.run(["validate", profile])
        #expect(validated.exitCode == 2)
        #expect(validated.standardError == "fairlead: \(profile): the file is UTF-16 (little-endian, with a byte order mark), not UTF-8: convert it first, e.g. iconv -f UTF-16 -t UTF-8 \(profile) > \(folder.path)/p.utf8.yaml\n",
                "\(validated.standardError)")

        let modelText = try String(contentsOfFile: "fixtures/models/linear-leads-logistic.json", encoding: .utf8)
        let model = try Self.write(modelText, .utf16LittleEndian, to: "m.json", in: folder)
        let explained = try CLIProcess.run(["attributions", "--model", model, "--data", "fixtures/leads/leads-sample.csv",
                                               "--out", folder.appendingPathComponent("out.csv").path])
        #expect(explained.exitCode == 2)
        #expect(explained.standardError.hasPrefix("fairlead: \(model): the file is UTF-16 (little-endian, without a byte order mark"),
                "\(explained.standardError)")

        let audited = try CLIProcess.run(["audit", "--profile", "fixtures/profiles/leads-weekly.yaml", "--format", "json"])
        #expect(audited.exitCode <= 1, "\(audited.standardError)")
        let report = try Self.write(audited.standardOutput, .utf16, to: "report.json", in: folder)
        let rendered = try CLIProcess.run(["render", report, "--format", "text"])
        #expect(rendered.exitCode == 2)
        #expect(rendered.standardError.hasPrefix("fairlead: \(report): the file is UTF-16 (little-endian, with a byte order mark), not UTF-8"),
                "\(rendered.standardError)")
    }
}
