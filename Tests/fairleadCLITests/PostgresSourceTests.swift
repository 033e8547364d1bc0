import FairleadTestSupport
import Foundation
import Testing

/// `data.postgres`: audits of the bundled leads read from a real PostgreSQL server —
/// streamed row by row, and pushed down as one aggregate query — equal the audits of the
/// leads file; the password comes from PGPASSWORD or a password file and never reaches the
/// output; what goes wrong on the server is said with the server's own words.
///
/// The server is the one the README's test command starts (PostgresPushdownTests says
/// how); FAIRLEAD_TEST_PG_READER names a role that must log in with a password.
@Suite struct PostgresSourceTests {
    static let fixtures = CLIProcess.packageRoot.appendingPathComponent("fixtures")

    static func environment(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name] else {
            throw CLIProcess.Failure("\(name) is not set: run the tests as README.md says, after eval \"$(scripts/postgres-test-server start)\"")
        }
        return value
    }

    /// A folder with `fixture` (a profile of fixtures/profiles) rewritten to read `source`
    /// (the lines of a `data:` source) instead of its data file; its path.
    static func profile(_ fixture: String, source: [String], in folder: URL) throws -> String {
        let original = try String(contentsOf: fixtures.appendingPathComponent("profiles/\(fixture)"), encoding: .utf8)
        var lines: [String] = []
        for line in original.components(separatedBy: "\n") {
            if line.hasPrefix("  path: ../leads/") {
                lines += source.map { "  " + $0 }
            } else if line.hasPrefix("extends: ") {
                lines.append("extends: " + fixtures.appendingPathComponent("profiles/" + line.dropFirst("extends: ".count)).path)
            } else if line.hasPrefix("  path: ../explanations/") {
                lines.append("  path: " + fixtures.appendingPathComponent("explanations/" + line.dropFirst("  path: ../explanations/".count)).path)
            } else {
                lines.append(line)
            }
        }
        let path = folder.appendingPathComponent(fixture).path
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-pgsource-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func report(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func audit(_ profile: String, environment: [String: String] = [:]) throws -> CLIProcess.Result {
        try CLIProcess.run(["audit", "--profile", profile, "--format", "json"],
                           environment: CLIProcess.fixtureProfilesAllowed.merging(environment) { _, new in new })
    }

    /// The report's JSON without the time and the data's name and fingerprint (a database
    /// streams CSV text of its own making).
    static func comparable(_ text: String) throws -> [String: Any] {
        var object = try report(text)
        object["generated_at"] = nil
        var data = try #require(object["data"] as? [String: Any])
        for key in ["source", "sha256", "bytes"] { data[key] = nil }
        object["data"] = data
        return object
    }

    @Test(arguments: [("leads-predeployment.yaml", "leads"), ("leads-predeployment.yaml", "leads_text"),
                      ("leads-explanations.yaml", "leads")])
    func aStreamedAuditEqualsTheAuditOfTheFile(fixture: String, table: String) throws {
        let url = try Self.environment("FAIRLEAD_TEST_PG")
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try Self.profile(fixture, source: ["postgres: \(url)", "table: \(table)"], in: folder)
        let streamed = try Self.audit(profile)
        let file = try Self.audit(Self.fixtures.appendingPathComponent("profiles/\(fixture)").path)
        #expect(streamed.exitCode == file.exitCode, "\(streamed.standardError)")
        let database = try Self.report(streamed.standardOutput)
        let data = try #require(database["data"] as? [String: Any])
        #expect(data["source"] as? String == "\(url) (table \(table))")
        #expect((database["rows"] as? [String: Any])?["read"] as? Int == 5000)
        var a = try Self.comparable(file.standardOutput)
        var b = try Self.comparable(streamed.standardOutput)
        // The profile's name and source files differ by construction, and so does the name
        // of the explanations' reference rows (the audit's own data); the rest may not.
        for key in ["profile"] { a[key] = nil; b[key] = nil }
        func withoutReferenceSource(_ report: inout [String: Any]) {
            guard var explanations = report["explanations"] as? [String: Any],
                  var reference = explanations["reference"] as? [String: Any] else { return }
            reference["source"] = nil
            explanations["reference"] = reference
            report["explanations"] = explanations
        }
        withoutReferenceSource(&a)
        withoutReferenceSource(&b)
        let differences = JSONDifferences.of(a, b)
        #expect(differences.isEmpty, "\(differences.prefix(5))")
    }

    /// A query as the source, and a bad value in its result: the error names the source,
    /// the line (the header is line 1) and the column, as for a file.
    @Test func aQuerySourceAndABadValueInIt() throws {
        let url = try Self.environment("FAIRLEAD_TEST_PG")
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let ordered = try Self.profile("leads-sharded.yaml", source: [
            "postgres: \(url)", "query: SELECT * FROM leads WHERE converted IS NOT NULL ORDER BY lead_id;",
        ], in: folder)
        let audit = try Self.audit(ordered)
        #expect(audit.exitCode == 1, "\(audit.standardError)")
        #expect((try Self.report(audit.standardOutput)["data"] as? [String: Any])?["source"] as? String == "\(url) (query)")

        let bad = try Self.profile("leads-sharded.yaml", source: [
            "postgres: \(url)",
            "query: \"SELECT lead_id, ethnicity, gender, age_band, converted, CASE WHEN lead_id = 'L0000003' THEN 'high' ELSE score::text END AS score FROM leads ORDER BY lead_id\"",
        ], in: folder)
        let refused = try Self.audit(bad)
        #expect(refused.exitCode == 2)
        #expect(refused.standardError.contains("\(url) (query):4"), "\(refused.standardError)")
        #expect(refused.standardError.contains("score") && refused.standardError.contains("high"), "\(refused.standardError)")
    }

    @Test func aPushedDownAuditEqualsTheAuditOfTheFileInItsGroupMetrics() throws {
        let url = try Self.environment("FAIRLEAD_TEST_PG")
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try Self.profile("leads-sharded.yaml", source: ["postgres: \(url)", "table: leads", "pushdown: true"], in: folder)
        let pushed = try Self.audit(profile)
        let file = try Self.audit(Self.fixtures.appendingPathComponent("profiles/leads-sharded.yaml").path)
        #expect(pushed.exitCode == file.exitCode && file.exitCode == 1, "\(pushed.standardError)")
        let a = try Self.report(file.standardOutput)
        let b = try Self.report(pushed.standardOutput)
        let shards = try #require((b["data"] as? [String: Any])?["shards"] as? [[String: Any]])
        #expect(shards.count == 1 && shards[0]["source"] as? String == "\(url) (table leads)")
        #expect(shards[0]["rows_read"] as? Int == 5000)
        let differences = JSONDifferences.ofStatistics(a, b)
        #expect(differences.isEmpty, "\(differences.prefix(5))")

        // The same statistics as a part: `fairlead stats` runs the query too.
        let partPath = folder.appendingPathComponent("part.json").path
        let stats = try CLIProcess.run(["stats", "--profile", profile, "--out", partPath], environment: CLIProcess.fixtureProfilesAllowed)
        #expect(stats.exitCode == 0, "\(stats.standardError)")
        let fromPart = try CLIProcess.run(["audit", "--profile", profile, "--from-stats", partPath, "--format", "json"],
                                          environment: CLIProcess.fixtureProfilesAllowed)
        let c = try Self.report(fromPart.standardOutput)
        #expect(JSONDifferences.ofStatistics(b, c).isEmpty)
    }

    @Test func whatNeedsTheRowsIsRefusedBeforeConnecting() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Port 1 on loopback: nothing listens; the refusal must come first.
        let profile = try Self.profile("leads-predeployment.yaml", source: ["postgres: postgresql://nobody@127.0.0.1:1/none", "table: leads", "pushdown: true"], in: folder)
        let audit = try Self.audit(profile)
        #expect(audit.exitCode == 2)
        #expect(audit.standardError.contains("decision 'top_10pct' (the top 10% of scores are selected) ranks all leads"), "\(audit.standardError)")
        #expect(!audit.standardError.contains("cannot connect"))
    }

    @Test func serverErrorsAreSaidInTheServersWords() throws {
        let url = try Self.environment("FAIRLEAD_TEST_PG")
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missingTable = try Self.audit(try Self.profile("leads-sharded.yaml", source: ["postgres: \(url)", "table: crm.nope"], in: folder))
        #expect(missingTable.exitCode == 2)
        #expect(missingTable.standardError.contains("relation \"crm.nope\" does not exist (SQLSTATE 42P01)"), "\(missingTable.standardError)")

        let refused = try Self.audit(try Self.profile("leads-sharded.yaml", source: ["postgres: postgresql://nobody@127.0.0.1:1/none", "table: leads"], in: folder))
        #expect(refused.exitCode == 2)
        #expect(refused.standardError.contains("cannot connect to nobody@127.0.0.1:1/none (connection refused)"), "\(refused.standardError)")
        // In plain words, not postgres-nio's description of its attempts.
        #expect(!refused.standardError.contains("SingleConnectionFailure"), "\(refused.standardError)")

        // A column the profile names that the rows lack: the reader's message, before any row is sent.
        let renamed = try Self.profile("leads-sharded.yaml", source: ["postgres: \(url)", "query: SELECT lead_id, score AS lead_score, converted, ethnicity, gender, age_band FROM leads"], in: folder)
        let missingColumn = try Self.audit(renamed)
        #expect(missingColumn.exitCode == 2)
        #expect(missingColumn.standardError.contains("\(url) (query):1"), "\(missingColumn.standardError)")
        #expect(missingColumn.standardError.contains("lead_score"), "\(missingColumn.standardError)")
    }

    /// The profile's query may come from elsewhere: it runs read-only, so a function it
    /// calls that would write (here: advance a sequence) fails, and nothing is written.
    @Test func theQueryCannotWrite() throws {
        let url = try Self.environment("FAIRLEAD_TEST_PG")
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = try PostgresPushdownTests.psql(["-t", "-A", "-c", "SELECT last_value, is_called FROM fairlead_probe"])
        for pushdown in ["false", "true"] {
            let profile = try Self.profile("leads-sharded.yaml", source: [
                "postgres: \(url)", "query: SELECT *, nextval('fairlead_probe') AS written FROM leads", "pushdown: \(pushdown)",
            ], in: folder)
            let audit = try Self.audit(profile)
            #expect(audit.exitCode == 2)
            #expect(audit.standardError.contains("cannot execute nextval() in a read-only transaction (SQLSTATE 25006)"),
                    "\(audit.standardError)")
        }
        let after = try PostgresPushdownTests.psql(["-t", "-A", "-c", "SELECT last_value, is_called FROM fairlead_probe"])
        #expect(before.exitCode == 0 && before.standardOutput == after.standardOutput, "\(before.standardError)")
    }

    @Test func aPasswordInTheProfileIsRefused() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try Self.profile("leads-sharded.yaml", source: ["postgres: postgresql://reader:hunter2-secret@127.0.0.1:1/crm", "table: leads"], in: folder)
        let audit = try Self.audit(profile)
        #expect(audit.exitCode == 2)
        #expect(audit.standardError.contains("PGPASSWORD"), "\(audit.standardError)")
        #expect(!audit.standardError.contains("hunter2-secret"))
    }

    /// The role FAIRLEAD_TEST_PG_READER logs in with a password: from PGPASSWORD, or from a
    /// password file that only its owner can read; the password never reaches the output.
    @Test func thePasswordComesFromTheEnvironmentOrThePasswordFile() throws {
        let url = try Self.environment("FAIRLEAD_TEST_PG_READER")
        let password = try Self.environment("FAIRLEAD_TEST_PG_READER_PASSWORD")
        let components = try #require(URLComponents(string: url))
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try Self.profile("leads-sharded.yaml", source: ["postgres: \(url)", "table: leads"], in: folder)
        let passwordFile = folder.appendingPathComponent("pgpass").path
        let isolated = ["PGPASSFILE": passwordFile, "HOME": folder.path]

        let without = try Self.audit(profile, environment: isolated)
        #expect(without.exitCode == 2)
        #expect(without.standardError.contains("asks for a password"), "\(without.standardError)")

        let fromEnvironment = try Self.audit(profile, environment: isolated.merging(["PGPASSWORD": password]) { _, new in new })
        #expect(fromEnvironment.exitCode == 1, "\(fromEnvironment.standardError)")
        #expect(!(fromEnvironment.standardOutput + fromEnvironment.standardError).contains(password))

        let wrong = try Self.audit(profile, environment: isolated.merging(["PGPASSWORD": "not-the-password"]) { _, new in new })
        #expect(wrong.exitCode == 2)
        #expect(wrong.standardError.contains("password authentication failed for user \"fairlead_reader\""), "\(wrong.standardError)")
        #expect(!wrong.standardError.contains("not-the-password"))

        // host:port:database:user:password; a comment, and a line for another database first.
        let lines = "# test\n\(components.host ?? ""):\(components.port ?? 0):otherdb:fairlead_reader:nope\n*:*:fairlead:fairlead_reader:\(password)\n"
        try lines.write(toFile: passwordFile, atomically: true, encoding: .utf8)
        #expect(chmod(passwordFile, 0o600) == 0)
        let fromFile = try Self.audit(profile, environment: isolated)
        #expect(fromFile.exitCode == 1, "\(fromFile.standardError)")
        #expect(!(fromFile.standardOutput + fromFile.standardError).contains(password))

        // Readable by others: ignored, as psql ignores it, and said.
        #expect(chmod(passwordFile, 0o644) == 0)
        let tooOpen = try Self.audit(profile, environment: isolated)
        #expect(tooOpen.exitCode == 2)
        #expect(tooOpen.standardError.contains("has group or world access; it is ignored"), "\(tooOpen.standardError)")
    }
}
