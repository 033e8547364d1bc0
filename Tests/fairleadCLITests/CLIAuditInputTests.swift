import Foundation
import Testing

/// `fairlead audit` reads its data once: from a file, standard input or a named pipe,
/// with the same numbers and the SHA-256 of the bytes it read.
@Suite struct CLIAuditInputTests {
    static let leads = "fixtures/leads/leads-sample.csv"
    /// `sha256sum fixtures/leads/leads-sample.csv` and `wc -c`.
    static let leadsSHA256 = "130f8fcb1df552dd40a3491c835b2fec0b670c64c1c874c193d044cabbc11564"
    static let leadsBytes = 480_780

    /// The report without what names the input or the time — `data.source`,
    /// `generated_at`, `explanations.reference.source` (the data itself when no reference
    /// is named) — and without the digest, returned apart.
    static func numbers(_ json: String) throws -> (report: String, sha256: String?, bytes: Int?, contentSHA256: String?) {
        var report = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        var data = try #require(report["data"] as? [String: Any])
        let sha256 = data["sha256"] as? String, bytes = data["bytes"] as? Int, content = data["content_sha256"] as? String
        data["source"] = nil
        data["sha256"] = nil
        data["bytes"] = nil
        data["content_sha256"] = nil
        report["data"] = data
        report["generated_at"] = nil
        if var explanations = report["explanations"] as? [String: Any], var reference = explanations["reference"] as? [String: Any] {
            reference["source"] = nil
            explanations["reference"] = reference
            report["explanations"] = explanations
        }
        let canonical = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
        return (String(decoding: canonical, as: UTF8.self), sha256, bytes, content)
    }

    /// A named pipe in a fresh folder, fed `file` by a background writer once opened.
    static func fifo(feeding file: String, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("leads.fifo").path
        #expect(mkfifo(path, 0o600) == 0)
        let source = CLIProcess.packageRoot.appendingPathComponent(file)
        Thread.detachNewThread {
            // Opening for writing waits for the audit to open the pipe for reading.
            guard let bytes = try? Data(contentsOf: source), let writer = FileHandle(forWritingAtPath: path) else { return }
            try? writer.write(contentsOf: bytes)
            try? writer.close()
        }
        return path
    }

    @Test func standardInputAndANamedPipeGiveTheFilesReportAndDigest() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try CLIHistory.quick(CLIHistory.reaudit, in: folder)
        let arguments = ["audit", "--profile", profile, "--format", "json", "--threads", "2"]
        let file = try CLIHistory.run(arguments + ["--data", Self.leads])
        #expect(file.exitCode == 1)
        let expected = try Self.numbers(file.standardOutput)
        #expect(expected.sha256 == Self.leadsSHA256 && expected.bytes == Self.leadsBytes)

        let bytes = try Data(contentsOf: CLIProcess.packageRoot.appendingPathComponent(Self.leads))
        let piped = try CLIHistory.run(arguments + ["--data", "-"], standardInput: bytes)
        #expect(piped.exitCode == 1)
        #expect(piped.standardError == "")
        #expect(piped.standardOutput.contains("\"source\" : \"-\""))
        let fromStandardInput = try Self.numbers(piped.standardOutput)
        #expect(fromStandardInput.sha256 == Self.leadsSHA256 && fromStandardInput.bytes == Self.leadsBytes)
        #expect(fromStandardInput.report == expected.report)

        let fifo = try Self.fifo(feeding: Self.leads, in: folder)
        let named = try CLIHistory.run(arguments + ["--data", fifo])
        #expect(named.exitCode == 1)
        #expect(named.standardError == "")
        let fromPipe = try Self.numbers(named.standardOutput)
        #expect(fromPipe.sha256 == Self.leadsSHA256 && fromPipe.bytes == Self.leadsBytes)
        #expect(fromPipe.report == expected.report)
    }

    @Test func aGzipFileIsFingerprintedAsStored() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try CLIHistory.quick(CLIHistory.reaudit, in: folder)
        let compressed = folder.appendingPathComponent("leads.csv.gz").path
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip -c '\(CLIProcess.packageRoot.appendingPathComponent(Self.leads).path)' > '\(compressed)'"]
        try gzip.run()
        gzip.waitUntilExit()
        let stored = try Data(contentsOf: URL(fileURLWithPath: compressed))
        let arguments = ["audit", "--profile", profile, "--format", "json", "--threads", "1"]
        let plain = try Self.numbers(try CLIHistory.run(arguments + ["--data", Self.leads]).standardOutput)
        let file = try Self.numbers(try CLIHistory.run(arguments + ["--data", compressed]).standardOutput)
        let piped = try Self.numbers(try CLIHistory.run(arguments + ["--data", "-"], standardInput: stored).standardOutput)
        // The digest of the compressed bytes, as `sha256sum leads.csv.gz` prints it; the
        // numbers of the rows they inflate to.
        #expect(file.bytes == stored.count && piped.bytes == stored.count)
        #expect(file.sha256 == Self.sha256sum(compressed))
        #expect(piped.sha256 == file.sha256)
        #expect(file.sha256 != Self.leadsSHA256)
        // The CSV it inflates to is the plain file: its digest is the file's (the privacy
        // ledger's key); a file read as stored has none.
        #expect(file.contentSHA256 == Self.leadsSHA256 && piped.contentSHA256 == Self.leadsSHA256)
        #expect(plain.contentSHA256 == nil)
        #expect(file.report == plain.report)
        #expect(piped.report == plain.report)
    }

    @Test func explanationsComeFromTheSameRead() throws {
        let profile = "fixtures/profiles/leads-explanations.yaml"
        let arguments = ["audit", "--profile", profile, "--format", "json", "--threads", "2"]
        let file = try CLIHistory.run(arguments)
        let bytes = try Data(contentsOf: CLIProcess.packageRoot.appendingPathComponent(Self.leads))
        let piped = try CLIHistory.run(arguments + ["--data", "-"], standardInput: bytes)
        #expect(piped.standardError == "")
        #expect(piped.exitCode == file.exitCode)
        let expected = try Self.numbers(file.standardOutput), actual = try Self.numbers(piped.standardOutput)
        #expect(actual.sha256 == Self.leadsSHA256)
        #expect(actual.report == expected.report)
        #expect(expected.report.contains("\"multivariate\""))
    }

    /// What `sha256sum` prints for `path`.
    static func sha256sum(_ path: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", path]
        let output = Pipe()
        process.standardOutput = output
        guard (try? process.run()) != nil else { return nil }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.split(separator: " ").first.map(String.init)
    }
}
