import Foundation
import Testing

/// `settings.bootstrap` is planned against `limits.memory_budget_bytes` before a replicate
/// is drawn: a profile asking for ten million replicates is refused, naming the setting
/// and the limit, instead of growing until the process dies.
@Suite struct CLIBootstrapLimitTests {
    @Test func replicatesBeyondTheBudgetAreRefusedBeforeTheyAreDrawn() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-cli-bootstrap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var csv = "score,label,grp\n"
        for row in 0..<400 { csv += "\(Double((row * 37) % 100) / 100),\(row % 3 == 0 ? 1 : 0),\(row % 2 == 0 ? "a" : "b")\n" }
        try csv.write(to: folder.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
        func profile(_ replicates: Int) throws -> String {
            let path = folder.appendingPathComponent("p\(replicates).yaml").path
            try """
                name: p
                data: {path: d.csv, score: score, label: label, score_range: [0, 1]}
                sensitive: [{column: grp, reference: a}]
                decisions: [{threshold: 0.5}]
                rules: [disparate_impact >= 0.8]
                settings: {bootstrap: \(replicates)}
                """.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let refused = try CLIProcess.run(["audit", "--profile", try profile(10_000_000)])
        #expect(refused.exitCode == 2)
        #expect(refused.standardError.contains("settings.bootstrap (--bootstrap): 10000000 replicates of"), "\(refused.standardError)")
        #expect(refused.standardError.contains("over the 2 groups of grp needs about"), "\(refused.standardError)")
        #expect(refused.standardError.contains("raise it with --memory-budget-bytes N or limits.memory_budget_bytes"), "\(refused.standardError)")
        // A budget of 1 MiB refuses what the default admits.
        let small = try profile(2_000)
        #expect(try CLIProcess.run(["audit", "--profile", small]).exitCode <= 1)
        let tight = try CLIProcess.run(["audit", "--profile", small, "--memory-budget-bytes", "1MiB"])
        #expect(tight.exitCode == 2 && tight.standardError.contains("settings.bootstrap (--bootstrap): 2000 replicates"), "\(tight.standardError)")
    }
}
