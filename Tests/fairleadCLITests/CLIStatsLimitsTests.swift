import Foundation
import Testing

/// Statistics that a part or a query result cannot hold, or holds too many of: refused
/// with exit 2 (bad data), at once, naming the file and, in a query result, the line,
/// column and field of the value.
@Suite struct CLIStatsLimitsTests {
    /// A fresh folder, removed by the caller.
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-cli-stats-limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func write(_ text: String, _ name: String, in folder: URL) throws {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// A one-attribute profile `q.yaml` over 300 scored rows in `d.csv`, and the digest of
    /// its statistics spec, as `fairlead sql` puts it in the query.
    static func queryProfile(in folder: URL) throws -> String {
        var rows = ["score,y,g"]
        for index in 0..<300 { rows.append("\(Double(index % 100) / 100),\(index % 3 == 0 ? 1 : 0),\(index % 2 == 0 ? "A" : "B")") }
        try write(rows.joined(separator: "\n") + "\n", "d.csv", in: folder)
        try write("name: q\ndata: {path: d.csv, score: score, label: y, score_range: [0,1]}\ndecisions: [{threshold: 0.5}]\nsensitive: [g]\nrules: [disparate_impact >= 0.8]\n",
                  "q.yaml", in: folder)
        let sql = try CLIProcess.run(["sql", "--profile", "q.yaml", "--dialect", "postgres", "--table", "t"], directory: folder)
        #expect(sql.exitCode == 0, "\(sql.standardError)")
        let end = try #require(sql.standardOutput.range(of: "' AS statistics_spec"))
        return String(sql.standardOutput[..<end.lowerBound].suffix(64))
    }

    static let resultHeader = "decision,grouping,a0,cell,rows,weight,squared_weight,scored_weight,score_sum,min_score,max_score,statistics_spec"

    /// A part that lists more levels of one attribute than max_groups allows is refused
    /// for the limit, naming the part and the grouping, before its groups are looked at
    /// (which took time quadratic in them: 200,000 empty groups ran for minutes, and ended
    /// in a level-consistency error).
    @Test func aPartWithMoreGroupsThanMaxGroupsIsRefusedForTheLimit() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = CLIProcess.packageRoot.appendingPathComponent("fixtures/profiles/leads-sharded.yaml").path
        let made = try CLIProcess.run(["stats", "--profile", profile, "--out", "part.json"], directory: folder)
        #expect(made.exitCode == 0, "\(made.standardError)")
        let data = try Data(contentsOf: folder.appendingPathComponent("part.json"))
        var part = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var decisions = try #require(part["decisions"] as? [[String: Any]])
        for index in decisions.indices {
            var groupings = try #require(decisions[index]["groupings"] as? [[String: Any]])
            var levels = try #require(groupings[0]["levels"] as? [[String]])
            var groups = try #require(groupings[0]["groups"] as? [Any])
            for level in 0..<200 {
                levels[0].append("z\(level)")
                groups.append(["group": ["z\(level)"], "tp": [0, 0, 0, 0, 0], "fp": [0, 0, 0, 0, 0], "tn": [0, 0, 0, 0, 0], "fn": [0, 0, 0, 0, 0]])
            }
            groupings[0]["levels"] = levels
            groupings[0]["groups"] = groups
            decisions[index]["groupings"] = groupings
        }
        part["decisions"] = decisions
        try JSONSerialization.data(withJSONObject: part).write(to: folder.appendingPathComponent("many.json"))
        let audit = try CLIProcess.run(["audit", "--profile", profile, "--from-stats", "many.json", "--max-groups", "100"], directory: folder)
        #expect(audit.exitCode == 2)
        #expect(audit.standardError == "fairlead: many.json: decision threshold_0.3, ethnicity: ethnicity has 205 groups, more than the max_groups limit of 100: an attribute with this many values is more likely an identifier than a group; raise it with --max-groups N or limits.max_groups in the profile\n")
    }

    /// A query result is refused at the line whose value makes one group more than
    /// max_groups allows, before the rows after it are summed.
    @Test func aQueryResultStopsAtTheFirstGroupPastMaxGroups() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = try Self.queryProfile(in: folder)
        var rows = [Self.resultHeader,
                    "threshold_0.5,0,A,tp,50,50,50,50,40,0.5,0.99,\(spec)",
                    "threshold_0.5,0,A,tn,100,100,100,100,20,0.01,0.49,\(spec)"]
        for level in 0..<500 { rows.append("threshold_0.5,0,z\(level),tn,1,1,1,1,0.1,0.1,0.1,\(spec)") }
        try Self.write(rows.joined(separator: "\n") + "\n", "r.csv", in: folder)
        let audit = try CLIProcess.run(["audit", "--profile", "q.yaml", "--from-stats", "r.csv", "--max-groups", "100"], directory: folder)
        #expect(audit.exitCode == 2)
        // A and z0…z99 are 101 levels: z99 is on line 103.
        #expect(audit.standardError == "fairlead: r.csv:103:3 (a0): decision threshold_0.5, g: g has 101 groups, more than the max_groups limit of 100: an attribute with this many values is more likely an identifier than a group; raise it with --max-groups N or limits.max_groups in the profile\n")
    }

    /// A value a query result's row cannot hold is refused at its line and column, as a
    /// value that is no number is.
    @Test func aQueryResultsValueErrorsNameTheirLineAndColumn() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = try Self.queryProfile(in: folder)
        func refusal(_ row: String) throws -> CLIProcess.Result {
            try Self.write([Self.resultHeader, row, "threshold_0.5,0,A,tn,100,100,100,100,20,0.01,0.49,\(spec)"].joined(separator: "\n") + "\n",
                           "r.csv", in: folder)
            return try CLIProcess.run(["audit", "--profile", "q.yaml", "--from-stats", "r.csv"], directory: folder)
        }
        let negative = try refusal("threshold_0.5,0,A,tp,50,-50,50,50,40,0.5,0.99,\(spec)")
        #expect(negative.exitCode == 2)
        #expect(negative.standardError == "fairlead: r.csv:2:6 (weight): decision threshold_0.5, g, group [\"A\"]: tp weights must be ≥ 0\n")
        let scoredAboveAll = try refusal("threshold_0.5,0,A,tp,50,50,50,60,40,0.5,0.99,\(spec)")
        #expect(scoredAboveAll.exitCode == 2)
        #expect(scoredAboveAll.standardError.hasPrefix("fairlead: r.csv:2:8 (scored_weight): decision threshold_0.5, g, group [\"A\"]: tp has "))
        let scoreSum = try refusal("threshold_0.5,0,A,tp,50,50,50,50,400,0.5,0.99,\(spec)")
        #expect(scoreSum.exitCode == 2)
        #expect(scoreSum.standardError == "fairlead: r.csv:2:9 (score_sum): decision threshold_0.5, g, group [\"A\"]: tp has Σw·score = 400.0, outside what scores from 0.5 to 0.99 over a weight of 50.0 can sum to\n")
        let grouping = try refusal("threshold_0.5,7,A,tp,50,50,50,50,40,0.5,0.99,\(spec)")
        #expect(grouping.exitCode == 2)
        #expect(grouping.standardError == "fairlead: r.csv:2:2 (grouping): grouping 7 is not one of the profile's attributes or intersections; expected one of 0 (g)\n")
    }

    /// Finite scores whose sum leaves a double's range: `fairlead stats` refuses them as
    /// bad data (exit 2), naming the file, decision, group and sum, instead of failing to
    /// write the part (exit 3, an internal error); the audit of the rows reports the mean
    /// score undefined, and no disparity between one group with a mean and itself.
    @Test func scoresWhoseSumOverflowsAreRefusedByStats() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.write("score,y,g\n1e308,1,A\n1e308,1,A\n1,1,B\n2,0,B\n", "u.csv", in: folder)
        try Self.write("name: u\ndata: {path: u.csv, score: score, label: y}\ndecisions: [{threshold: 1.5}]\nsensitive: [g]\nrules: [disparate_impact >= 0.8]\n",
                       "u.yaml", in: folder)
        let stats = try CLIProcess.run(["stats", "--profile", "u.yaml", "--out", "part.json"], directory: folder)
        #expect(stats.exitCode == 2)
        #expect(stats.standardError == "fairlead: u.csv: decision threshold_1.5, g, group [\"A\"]: Σw·score (score sum) of its tp rows is inf; the data's scores and weights are finite, but summing them leaves a double's range (±1.8e308) (scores reach 1e+308): a part cannot hold the sum; rescale the score (and its thresholds) or the weights to smaller numbers, or audit the rows (fairlead audit --data)\n")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("part.json").path))

        try Self.write("score,y,g,w\n1e300,1,A,1e50\n5,1,A,1\n1,1,B,1\n2,0,B,1\n", "w.csv", in: folder)
        try Self.write("name: w\ndata: {path: w.csv, score: score, label: y, weight: w}\ndecisions: [{threshold: 1.5}]\nsensitive: [g]\nrules: [disparate_impact >= 0.8]\n",
                       "w.yaml", in: folder)
        let weighted = try CLIProcess.run(["stats", "--profile", "w.yaml", "--out", "part2.json"], directory: folder)
        #expect(weighted.exitCode == 2)
        #expect(weighted.standardError.hasPrefix("fairlead: w.csv: decision threshold_1.5, g, group [\"A\"]: Σw·score (score sum) of its tp rows is inf;"))

        try Self.write("score,y,g\n1e308,1,A\n1e308,0,A\n1,1,B\n2,0,B\n", "v.csv", in: folder)
        let audit = try CLIProcess.run(["audit", "--profile", "u.yaml", "--data", "v.csv", "--format", "json"], directory: folder)
        #expect(audit.exitCode == 0 || audit.exitCode == 1, "\(audit.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(audit.standardOutput.utf8)) as? [String: Any])
        let attribute = try #require(((report["decisions"] as? [String: Any])?["threshold_1.5"] as? [String: Any])?["attributes"] as? [String: Any])
        let g = try #require(attribute["g"] as? [String: Any])
        let meanScore = try #require((g["disparities"] as? [String: Any])?["mean_score"] as? [String: Any])
        for key in ["difference_between_groups", "ratio_between_groups"] {
            let estimate = try #require(meanScore[key] as? [String: Any])
            #expect((estimate["value"] == nil || estimate["value"] is NSNull) && (estimate["interval"] == nil || estimate["interval"] is NSNull))
            #expect(estimate["undefined_reason"] as? String == "one_defined_group", "\(key): \(estimate)")
        }
    }
}
