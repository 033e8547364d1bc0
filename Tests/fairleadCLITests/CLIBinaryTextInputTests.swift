import FairleadTestSupport
import Foundation
import Testing

/// A file read whole as text — a statistics part or query result, a report to render, a
/// drift baseline — that starts as binary data is refused by its first bytes, not read
/// up to the 1 GiB limit first: `--from-stats /dev/urandom` took 3.9 s and 1.09 GB to say
/// "more than the limit of 1 GiB". A gzip query result is still read.
@Suite struct CLIBinaryTextInputTests {
    static let profile = "fixtures/profiles/leads-sharded.yaml"

    @Test func binaryDataGivenAsTextIsRefusedByItsFirstBytes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-binary-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // 4 MiB of seeded random bytes with no NUL among them, and the same size of NULs.
        var generator = SplitMix64(seed: 51)
        let random = folder.appendingPathComponent("random.bin")
        try Data((0..<(4 << 20)).map { _ in UInt8.random(in: 1...255, using: &generator) }).write(to: random)
        let zeros = folder.appendingPathComponent("zeros.bin")
        try Data(count: 4 << 20).write(to: zeros)
        // Over a limit of 2 MiB, so that a file read whole would be refused by its size instead.
        let limit = ["--max-file-bytes", String(2 << 20)]
        for (file, why) in [(random, "its first bytes are not UTF-8 text"), (zeros, "it holds NUL bytes, which no text file does")] {
            let stats = try CLIProcess.run(["audit", "--profile", Self.profile, "--from-stats", file.path] + limit)
            #expect(stats.exitCode == 2)
            #expect(stats.standardError == "fairlead: \(file.path): the file looks like binary data (\(why)), not a statistics part (JSON) or a query result (CSV text)\n",
                    "\(stats.standardError)")
            let render = try CLIProcess.run(["render", file.path, "--format", "markdown"] + limit)
            #expect(render.exitCode == 2)
            #expect(render.standardError == "fairlead: \(file.path): the file looks like binary data (\(why)), not a JSON report\n",
                    "\(render.standardError)")
        }
        let compressed = folder.appendingPathComponent("result.csv.gz")
        let gzip = try CLIProcess.run(["-c", "gzip -c fixtures/scale/leads-postgres-result.csv > \"$1\"", "sh", compressed.path],
                                      program: URL(fileURLWithPath: "/bin/sh"))
        #expect(gzip.exitCode == 0)
        let audit = try CLIProcess.run(["audit", "--profile", Self.profile, "--from-stats", compressed.path])
        #expect(audit.exitCode == 1, "\(audit.standardError)")
    }
}
