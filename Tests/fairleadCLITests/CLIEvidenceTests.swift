import Foundation
import Testing

/// The history as evidence and profiles from elsewhere, end to end: `verify` and `show`
/// change no byte, and `extends:` reaches only the folders the user allows.
@Suite struct CLIEvidenceTests {
    static let data = "fixtures/bad-inputs/csv/unknown-score-column/data.csv"

    /// A history of one ad hoc audit in a fresh folder.
    static func history() throws -> (folder: URL, path: String) {
        let folder = try CLIHistory.temporaryFolder()
        let path = folder.appendingPathComponent("h.sqlite").path
        let audit = try CLIProcess.run(["audit", "--data", data, "--score", "score", "--sensitive", "g", "--threshold", "0.5",
                                        "--history", path, "--as-of", "2026-03-02"])
        #expect(audit.standardError.contains("appended entry 1"), "\(audit.standardError)")
        return (folder, path)
    }

    static func fingerprint(_ path: String) throws -> (Data, Date?) {
        (try Data(contentsOf: URL(fileURLWithPath: path)),
         try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)
    }

    @Test func verifyAndShowLeaveEveryByteAndTheModificationTime() throws {
        let (folder, path) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        let before = try Self.fingerprint(path)
        Thread.sleep(forTimeInterval: 1.1)
        for _ in 0..<2 {
            let verify = try CLIProcess.run(["history", "verify", "--history", path])
            #expect(verify.exitCode == 0, "\(verify.standardError)")
            #expect(verify.standardOutput == "INTACT  1 entry: every report, metric row and link checks out\n")
            let show = try CLIProcess.run(["history", "show", "--history", path, "--attribute", "g"])
            #expect(show.exitCode == 0, "\(show.standardError)")
        }
        let after = try Self.fingerprint(path)
        #expect(after.0 == before.0)
        #expect(after.1 == before.1)
    }

    @Test func anEmptyFileIsNoHistoryAndStaysEmpty() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("h.sqlite").path
        FileManager.default.createFile(atPath: path, contents: Data())
        let verify = try CLIProcess.run(["history", "verify", "--history", path])
        #expect(verify.exitCode == 2)
        #expect(verify.standardError == "fairlead: \(path): not a Fairlead audit history: the file is empty\n")
        #expect(verify.standardOutput.isEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).isEmpty)
    }

    @Test func aDroppedTableIsDamageExitOneNamed() throws {
        let (folder, path) = try Self.history()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = ["sqlite3", path, "DROP TABLE metric"]
        try sqlite.run()
        sqlite.waitUntilExit()
        try #require(sqlite.terminationStatus == 0, "sqlite3 is needed to damage the history")
        let verify = try CLIProcess.run(["history", "verify", "--history", path, "--format", "json"])
        #expect(verify.exitCode == 1, "\(verify.standardError)")
        let output = try JSONSerialization.jsonObject(with: Data(verify.standardOutput.utf8)) as? [String: Any]
        let problems = output?["problems"] as? [[String: Any]]
        #expect(problems?.first?["kind"] as? String == "damaged_schema")
        #expect(problems?.first?["message"] as? String == "the table metric is missing (dropped)")
        let show = try CLIProcess.run(["history", "show", "--history", path])
        #expect(show.exitCode == 2)
        #expect(show.standardError == "fairlead: \(path): the audit history is damaged (the table metric is missing (dropped)); run `fairlead history verify`\n")
    }

    /// A profile in `team/` extending a policy in `shared/`.
    static func profiles() throws -> (root: URL, profile: String, shared: String) {
        let root = try CLIHistory.temporaryFolder()
        let team = root.appendingPathComponent("team"), shared = root.appendingPathComponent("shared")
        try FileManager.default.createDirectory(at: team, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
        try "rules:\n  - disparate_impact >= 0.8\n".write(to: shared.appendingPathComponent("policy.yaml"), atomically: true, encoding: .utf8)
        let profile = team.appendingPathComponent("p.yaml").path
        try "extends: ../shared/policy.yaml\nname: t\ndata: {score: score}\ndecisions: [{threshold: 0.5}]\nsensitive: [g]\n"
            .write(toFile: profile, atomically: true, encoding: .utf8)
        return (root, profile, shared.path)
    }

    @Test func aFolderIsAllowedByFlagOrEnvironmentAndOtherwiseRefused() throws {
        let (root, profile, shared) = try Self.profiles()
        defer { try? FileManager.default.removeItem(at: root) }
        let refused = try CLIProcess.run(["validate", profile])
        #expect(refused.exitCode == 2)
        #expect(refused.standardError.contains("(extends): the base profile '../shared/policy.yaml' lies outside the profile's folder"))
        #expect(refused.standardError.hasSuffix("so it was not read; allow its folder with --allow-profile-dir DIR (or FAIRLEAD_PROFILE_DIRS=DIR)\n"))
        let byFlag = try CLIProcess.run(["validate", profile, "--allow-profile-dir", shared])
        #expect(byFlag.exitCode == 0, "\(byFlag.standardError)")
        let byEnvironment = try CLIProcess.run(["validate", profile], environment: ["FAIRLEAD_PROFILE_DIRS": "/nonexistent:" + shared])
        #expect(byEnvironment.exitCode == 0, "\(byEnvironment.standardError)")
        let otherFolder = try CLIProcess.run(["validate", profile, "--allow-profile-dir", root.appendingPathComponent("team").path])
        #expect(otherFolder.exitCode == 2)
    }
}
