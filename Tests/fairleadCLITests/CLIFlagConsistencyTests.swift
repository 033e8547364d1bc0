import Foundation
import Testing

/// Flags that change a profile are held to what the profile itself is held to: a column
/// in two roles (`explain --id-column gender`, `--sensitive score`) is refused, and a rule
/// scoped to decisions that `--threshold`/`--top-k` replaced, judged nowhere, is said (the
/// report said only "not judged").
@Suite struct CLIFlagConsistencyTests {
    static let explanations = "fixtures/profiles/leads-explanations.yaml"

    @Test func explainFlagsGivingAColumnTwoRolesAreRefused() throws {
        let byProfile = try CLIProcess.run(["explain", "--profile", Self.explanations, "--ids", "female", "--id-column", "gender"],
                                           environment: CLIProcess.fixtureProfilesAllowed)
        #expect(byProfile.exitCode == 2)
        #expect(byProfile.standardError.contains("'gender' is the id column (data.id) too: one column cannot be both the id column (data.id) and a sensitive attribute"),
                "\(byProfile.standardError)")
        let adHoc = try CLIProcess.run(["explain", "--model", "fixtures/explanations/xgb-leads-score.json", "--data", "fixtures/leads/leads-sample.csv",
                                        "--ids", "L0000001", "--score", "score", "--sensitive", "score"])
        #expect(adHoc.exitCode == 2)
        #expect(adHoc.standardError == "fairlead: sensitive[0] (with --id-column, --score and --sensitive): 'score' is the score column (data.score) too: "
                + "one column cannot be both the score column (data.score) and a sensitive attribute (sensitive[0]); name another column\n",
                "\(adHoc.standardError)")
    }

    @Test func decisionFlagsLeavingAScopedRuleNowhereAreSaid() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-flags-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("b.yaml")
        try """
            name: b
            data: {path: \(CLIProcess.packageRoot.appendingPathComponent("fixtures/leads/leads-sample.csv").path), score: score, label: converted, score_range: [0, 1]}
            decisions: [{threshold: 0.5}, {top_k: 10%}]
            sensitive: [gender]
            rules:
              - {check: precision_at_k >= 0.1, decisions: [top_10pct]}
            settings: {bootstrap: 0}
            """.write(to: profile, atomically: true, encoding: .utf8)
        let replaced = try CLIProcess.run(["audit", "--profile", profile.path, "--top-k", "20%"])
        #expect(replaced.exitCode == 0)
        #expect(replaced.standardOutput.hasPrefix("INSUFFICIENT EVIDENCE  b: 0 of 1 rules judged"), "\(replaced.standardOutput.prefix(300))")
        #expect(replaced.standardOutput.contains("precision_at_k >= 0.1: not judged, no decision or attribute it applies to"))
        #expect(replaced.standardError == "fairlead: warning: --threshold/--top-k replace the profile's decisions: the rule 'precision_at_k >= 0.1' is scoped to decision 'top_10pct', "
                + "which they leave out (the decisions now: top_20pct), so it is not judged there\n",
                "\(replaced.standardError)")
        let kept = try CLIProcess.run(["audit", "--profile", profile.path, "--top-k", "10%"])
        #expect(kept.exitCode <= 1, "\(kept.standardError)")
        #expect(kept.standardOutput.contains("1 of 1 rules judged"), "\(kept.standardOutput.prefix(300))")
        let threshold = try CLIProcess.run(["audit", "--profile", profile.path, "--threshold", "0.5", "--top-k", "10%"])
        #expect(threshold.exitCode <= 1, "\(threshold.standardError)")
    }
}
