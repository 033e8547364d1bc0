import FairleadTestSupport
import Foundation
import Testing

/// `fairlead stats` and `fairlead audit --from-stats` as processes, on shards of the
/// bundled leads: the audit from parts has the verdict, exit code and numbers of the
/// audit of the rows.
@Suite struct CLIStatsTests {
    static let profile = "fixtures/profiles/leads-sharded.yaml"

    /// The leads sample cut into shards of `size` rows, each with the header, in a fresh folder.
    static func shards(size: Int) throws -> (folder: URL, files: [String]) {
        let text = try String(contentsOf: CLIProcess.packageRoot.appendingPathComponent("fixtures/leads/leads-sample.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-cli-stats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var files: [String] = []
        for (index, start) in stride(from: 1, to: lines.count, by: size).enumerated() {
            let path = folder.appendingPathComponent("shard-\(index).csv").path
            try ([lines[0]] + lines[start..<min(start + size, lines.count)]).joined(separator: "\n").appending("\n")
                .write(toFile: path, atomically: true, encoding: .utf8)
            files.append(path)
        }
        return (folder, files)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func partsOfShardsCompleteTheAuditOfTheirRows() throws {
        let (folder, files) = try Self.shards(size: 1700)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(files.count == 3)
        var parts: [String] = []
        for file in files {
            let part = file + ".stats.json"
            let result = try CLIProcess.run(["stats", "--profile", Self.profile, "--data", file, "--out", part])
            #expect(result.exitCode == 0, "\(result.standardError)")
            #expect(result.standardOutput.isEmpty)
            parts.append(part)
        }
        let full = try CLIProcess.run(["audit", "--profile", Self.profile, "--format", "json"])
        let merged = try CLIProcess.run(["audit", "--profile", Self.profile, "--format", "json", "--from-stats"] + parts.reversed())
        // The profile's rule fails on the bundled data: exit 1 both ways.
        #expect(full.exitCode == 1 && merged.exitCode == 1, "\(merged.standardError)")
        let (a, b) = (try Self.json(full.standardOutput), try Self.json(merged.standardOutput))
        #expect(a["status"] as? String == "fail" && b["status"] as? String == "fail")
        #expect((a["rows"] as? NSDictionary) == (b["rows"] as? NSDictionary))
        func value(_ report: [String: Any], _ decision: String, _ attribute: String, _ group: String, _ metric: String) -> Double? {
            let decisions = report["decisions"] as? [String: Any]
            let attributes = (decisions?[decision] as? [String: Any])?["attributes"] as? [String: Any]
            let groups = (attributes?[attribute] as? [String: Any])?["groups"] as? [String: Any]
            let metrics = (groups?[group] as? [String: Any])?["metrics"] as? [String: Any]
            return (metrics?[metric] as? [String: Any])?["value"] as? Double
        }
        for (decision, attribute, group, metric) in [("threshold_0.3", "ethnicity", "black", "selection_rate"),
                                                     ("threshold_0.5", "gender", "female", "true_positive_rate"),
                                                     ("threshold_0.3", "ethnicity*gender", "hispanic & male", "false_positive_rate")] {
            let expected = try #require(value(a, decision, attribute, group, metric))
            let actual = try #require(value(b, decision, attribute, group, metric))
            #expect(abs(expected - actual) <= 1e-12)
        }
        let findings = (a["findings"] as? [[String: Any]])?.map { "\($0["metric"] ?? "") \($0["attribute"] ?? "") \($0["verdict"] ?? "")" }
        let mergedFindings = (b["findings"] as? [[String: Any]])?.map { "\($0["metric"] ?? "") \($0["attribute"] ?? "") \($0["verdict"] ?? "")" }
        #expect(findings == mergedFindings && (findings?.count ?? 0) == 4)
        let shards = try #require((b["data"] as? [String: Any])?["shards"] as? [[String: Any]])
        #expect(shards.compactMap { $0["rows_read"] as? Int }.reduce(0, +) == 5000)
    }

    @Test func refusalsAreUsageErrorsThatSayWhy() throws {
        let (folder, files) = try Self.shards(size: 2500)
        defer { try? FileManager.default.removeItem(at: folder) }
        let part = files[0] + ".stats.json"
        #expect(try CLIProcess.run(["stats", "--profile", Self.profile, "--data", files[0], "--out", part]).exitCode == 0)

        let twice = try CLIProcess.run(["audit", "--profile", Self.profile, "--from-stats", part, part])
        #expect(twice.exitCode == 2 && twice.standardError.contains("would count twice"))

        let topK = try CLIProcess.run(["stats", "--profile", "fixtures/profiles/leads-predeployment.yaml", "--data", files[0]])
        #expect(topK.exitCode == 2 && topK.standardError.contains("decision 'top_10pct'"))
        #expect(topK.standardOutput.isEmpty)

        let both = try CLIProcess.run(["audit", "--profile", Self.profile, "--data", files[0], "--from-stats", part])
        #expect(both.exitCode == 2 && both.standardError.contains("not both"))

        // The output may not overwrite a part it reads.
        let overwrite = try CLIProcess.run(["audit", "--profile", Self.profile, "--from-stats", part, "--out", part])
        #expect(overwrite.exitCode == 2)
        #expect(try StatisticsFile.isPart(part))

        // A part made with another threshold.
        let profileText = try String(contentsOf: CLIProcess.packageRoot.appendingPathComponent(Self.profile), encoding: .utf8)
        let changed = folder.appendingPathComponent("changed.yaml").path
        try profileText.replacingOccurrences(of: "threshold: 0.5", with: "threshold: 0.55")
            .replacingOccurrences(of: "extends: organization-policy.yaml",
                                  with: "extends: \(CLIProcess.packageRoot.appendingPathComponent("fixtures/profiles/organization-policy.yaml").path)")
            .replacingOccurrences(of: "../leads/leads-sample.csv", with: files[1])
            .write(toFile: changed, atomically: true, encoding: .utf8)
        let other = files[1] + ".stats.json"
        let made = try CLIProcess.run(["stats", "--profile", changed, "--out", other, "--allow-profile-dir",
                                       CLIProcess.packageRoot.appendingPathComponent("fixtures/profiles").path])
        #expect(made.exitCode == 0, "\(made.standardError)")
        let mixed = try CLIProcess.run(["audit", "--profile", Self.profile, "--from-stats", part, other])
        #expect(mixed.exitCode == 2 && mixed.standardError.contains("different profile") && mixed.standardError.contains("threshold 0.55"))
    }

    /// The parts' memory is planned before they are decoded: a budget too small for two
    /// parts refuses the second, and the message says how to raise it.
    @Test func partsAboveTheMemoryBudgetAreRefusedNamingTheLimit() throws {
        let (folder, files) = try Self.shards(size: 2500)
        defer { try? FileManager.default.removeItem(at: folder) }
        let parts = files.map { $0 + ".stats.json" }
        for (file, part) in zip(files, parts) {
            #expect(try CLIProcess.run(["stats", "--profile", Self.profile, "--data", file, "--out", part]).exitCode == 0)
        }
        // A part of this profile holds about 2,100 JSON values, planned at about 133 KiB: one
        // fits in 200 KiB, two do not.
        // One part passes the plan; the bootstrap, planned against the same budget, does not.
        let one = try CLIProcess.run(["audit", "--profile", Self.profile, "--from-stats", parts[0], "--memory-budget-bytes", "200KiB"])
        #expect(one.exitCode == 2 && one.standardError.contains("settings.bootstrap (--bootstrap): 1000 replicates")
                && !one.standardError.contains("statistics parts hold"), "\(one.standardError)")
        let roomy = try CLIProcess.run(["audit", "--profile", Self.profile, "--from-stats", parts[0], "--memory-budget-bytes", "64MiB"])
        #expect(roomy.exitCode == 1, "\(roomy.standardError)")
        let two = try CLIProcess.run(["audit", "--profile", Self.profile, "--from-stats", parts[0], parts[1],
                                      "--memory-budget-bytes", "200KiB"])
        #expect(two.exitCode == 2)
        #expect(two.standardError.contains("\(parts[1]): with this part, the 2 statistics parts hold"), "\(two.standardError)")
        #expect(two.standardError.contains("above the memory budget of 200 KiB; raise it with --memory-budget-bytes N or limits.memory_budget_bytes in the profile"),
                "\(two.standardError)")
        #expect(two.standardOutput.isEmpty)
    }

    /// `--max-grid-bins` admits a finer grid than the default limit, as `limits.max_grid_bins`
    /// does, for every command that reads the profile (it was parsed and then ignored: the
    /// profile's grid was checked against its own limits before the flags were applied).
    @Test func maxGridBinsAdmitsAFinerGrid() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-cli-grid-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = CLIProcess.packageRoot.appendingPathComponent("fixtures/profiles")
        for name in ["organization-policy.yaml", "leads-sharded.yaml"] {
            let text = try String(contentsOf: root.appendingPathComponent(name), encoding: .utf8)
                .replacingOccurrences(of: "../leads/leads-sample.csv",
                                      with: CLIProcess.packageRoot.appendingPathComponent("fixtures/leads/leads-sample.csv").path)
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let grid = try String(contentsOf: root.appendingPathComponent("leads-grid.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "bins: 1000", with: "bins: 200000")
        let profile = folder.appendingPathComponent("grid.yaml").path
        try grid.write(toFile: profile, atomically: true, encoding: .utf8)
        let refused = try CLIProcess.run(["validate", profile])
        #expect(refused.exitCode == 2 && refused.standardError.contains("expected at most 100000 cells, found 200000"), "\(refused.standardError)")
        for command in [["validate", profile], ["sql", "--profile", profile, "--dialect", "duckdb", "--table", "t"],
                        ["stats", "--profile", profile, "--out", folder.appendingPathComponent("part.json").path]] {
            let run = try CLIProcess.run(command + ["--max-grid-bins", "300000"])
            #expect(run.exitCode == 0, "\(command[0]): \(run.standardError)")
        }
        let audit = try CLIProcess.run(["audit", "--profile", profile, "--from-stats", folder.appendingPathComponent("part.json").path,
                                        "--max-grid-bins", "300000", "--format", "json"])
        #expect(audit.exitCode <= 1, "\(audit.standardError)")
    }

    /// The same parts give the same report, to the last bit, in every process: with
    /// weights (fractional sums) and a score grid, the lead queue's sums once ran in a
    /// dictionary's per-process hash order, and two runs of one audit differed in the
    /// last digits of dozens of values.
    @Test func weightedGridPartsGiveTheSameReportInEveryRun() throws {
        let (folder, _) = try Self.shards(size: 5000)
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = CLIProcess.packageRoot.appendingPathComponent("fixtures/profiles")
        for name in ["organization-policy.yaml", "leads-sharded.yaml", "leads-grid.yaml"] {
            try FileManager.default.copyItem(at: root.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        try "extends: leads-grid.yaml\nname: leads-grid-weighted\ndata:\n  weight: w\n"
            .write(to: folder.appendingPathComponent("weighted.yaml"), atomically: true, encoding: .utf8)
        let text = try String(contentsOf: CLIProcess.packageRoot.appendingPathComponent("fixtures/leads/leads-sample.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        var generator = SplitMix64(seed: 11)
        var shards: [String] = []
        for shard in 0..<2 {
            let rows = lines.dropFirst().enumerated().filter { $0.offset % 2 == shard }.map { row in
                row.element + "," + String(format: "%.6f", 0.1 + Double(generator.next() % 2_900_000) / 1_000_000)
            }
            let path = folder.appendingPathComponent("weighted-\(shard).csv").path
            try ([lines[0] + ",w"] + rows).joined(separator: "\n").appending("\n").write(toFile: path, atomically: true, encoding: .utf8)
            shards.append(path)
        }
        let profile = folder.appendingPathComponent("weighted.yaml").path
        var parts: [String] = []
        for shard in shards {
            let made = try CLIProcess.run(["stats", "--profile", profile, "--data", shard, "--out", shard + ".stats.json"])
            #expect(made.exitCode == 0, "\(made.standardError)")
            parts.append(shard + ".stats.json")
        }
        var reports: [String] = []
        for _ in 0..<4 {
            let run = try CLIProcess.run(["audit", "--profile", profile, "--from-stats"] + parts + ["--format", "json"])
            #expect(run.exitCode == 1, "\(run.standardError)")
            var report = try Self.json(run.standardOutput)
            report["generated_at"] = nil
            #expect((report["queue"] as? [String: Any])?.isEmpty == false)
            reports.append(String(decoding: try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys]), as: UTF8.self))
        }
        #expect(Set(reports).count == 1)
    }

    /// A part's text ends up in messages: control characters from a hostile part are
    /// escaped on the terminal, as every other input's are.
    @Test func controlCharactersInAPartAreEscaped() throws {
        let (folder, files) = try Self.shards(size: 2500)
        defer { try? FileManager.default.removeItem(at: folder) }
        let part = files[0] + ".stats.json"
        #expect(try CLIProcess.run(["stats", "--profile", Self.profile, "--data", files[0], "--out", part]).exitCode == 0)
        let text = try String(contentsOfFile: part, encoding: .utf8)
        let copy = folder.appendingPathComponent("copy.json").path
        try text.replacingOccurrences(of: "\"source\" : \"", with: "\"source\" : \"\\u001b]0;owned\\u0007")
            .write(toFile: copy, atomically: true, encoding: .utf8)
        let result = try CLIProcess.run(["audit", "--profile", Self.profile, "--from-stats", part, copy])
        #expect(result.exitCode == 2 && result.standardError.contains("would count twice"))
        #expect(!result.standardError.contains("\u{1B}") && !result.standardError.contains("\u{07}"))
    }
}

/// Reads a file as a statistics part, for checks that one was left intact.
enum StatisticsFile {
    static func isPart(_ path: String) throws -> Bool {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        return object?["format"] as? String == "fairlead-statistics"
    }
}
