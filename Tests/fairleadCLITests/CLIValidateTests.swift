import Foundation
import Testing

@Suite struct CLIValidateTests {
    @Test func bundledProfileIsValidAndDescribed() throws {
        let result = try CLIProcess.run(["validate", "fixtures/profiles/leads-predeployment.yaml"])
        #expect(result.exitCode == 0)
        #expect(result.standardOutput.contains("reads only the columns: lead_id, score, converted, ethnicity, gender, age_band"))
        #expect(result.standardOutput.contains("threshold_0.3: selected when score ≥ 0.3"))
        #expect(result.standardOutput.contains("top_10pct: the top 10% of scores are selected"))
        #expect(result.standardOutput.hasSuffix("The profile is valid.\n"))
    }

    @Test func badProfileExitsTwoNamingTheKey() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).yaml").path
        try "name: x\ndata: {score: s}\ndecisions: [{threshold: 1}]\nsensitive: [g]\nrules: [disparate_impact => 0.8]\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try CLIProcess.run(["validate", path])
        #expect(result.exitCode == 2)
        #expect(result.standardError == "fairlead: \(path):5:9 (rules[0]): expected 'METRIC OP NUMBER' with OP one of >=, <=, >, < (such as 'disparate_impact >= 0.8'), found 'disparate_impact => 0.8'\n")
    }

    @Test func missingProfileFileExitsTwo() throws {
        let result = try CLIProcess.run(["validate", "no/such/profile.yaml"])
        #expect(result.exitCode == 2)
        #expect(result.standardError.hasPrefix("fairlead: no/such/profile.yaml: cannot read the profile:"))
    }
}
