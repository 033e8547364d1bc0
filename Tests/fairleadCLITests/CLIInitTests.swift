import Foundation
import Testing

@Suite struct CLIInitTests {
    @Test func initDraftsAProfileThatValidatesAndAudits() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-init-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("leads.yaml").path
        let written = try CLIProcess.run(["init", "--data", "fixtures/leads/leads-sample.csv", "--out", profile])
        #expect(written.exitCode == 0)
        #expect(written.standardError == "fairlead: wrote \(profile): score score, label converted, sensitive gender, age_band, ethnicity\n")
        let text = try String(contentsOfFile: profile, encoding: .utf8)
        #expect(text.contains("\n  id: lead_id\n  score: score\n  label: converted"))
        #expect(text.contains("# Possible proxies of a sensitive attribute (check before using them as features): postal_area"))

        let validated = try CLIProcess.run(["validate", profile])
        #expect(validated.exitCode == 0)
        #expect(validated.standardOutput.contains("reads only the columns: lead_id, score, converted, gender, age_band, ethnicity"))

        let audited = try CLIProcess.run(["audit", "--profile", profile, "--format", "json"])
        #expect(audited.exitCode == 1)
        #expect(audited.standardOutput.contains("\"status\" : \"fail\""))

        let again = try CLIProcess.run(["init", "--data", "fixtures/leads/leads-sample.csv", "--out", profile])
        #expect(again.exitCode == 2)
        #expect(again.standardError == "fairlead: \(profile) exists; pass --force to overwrite it\n")
    }

    @Test func initWithoutOutPrintsTheProfile() throws {
        let result = try CLIProcess.run(["init", "--data", "fixtures/leads/leads-sample.csv", "--name", "demo"])
        #expect(result.exitCode == 0)
        #expect(result.standardOutput.contains("\nname: demo\n"))
        #expect(result.standardOutput.contains("\n  path: fixtures/leads/leads-sample.csv\n"))
    }
}
