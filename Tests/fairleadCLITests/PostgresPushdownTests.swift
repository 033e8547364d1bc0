import FairleadCore
import FairleadTestSupport
import Foundation
import Testing

/// `fairlead sql` run for real: the query computes the statistics inside a PostgreSQL
/// server, its CSV result completes the audit, and the audit equals the audit of the
/// bundled leads file — from a typed table (NULLs) and from a table of text exactly as in
/// the file (the query maps the missing markers).
///
/// The server is the one FAIRLEAD_TEST_PG names: the README's test command starts a
/// throwaway one on loopback first (`eval "$(scripts/postgres-test-server start)"`, Debian's
/// postgresql from scripts/bootstrap.sh), as `.ci/run` does. The server is started by the
/// shell, not from inside the test process: a server started through the test's own
/// child process kept that process from being reaped, and the tests waited on it.
///
/// Without FAIRLEAD_TEST_PG the suite fails, saying how to start the server: a test run
/// without it has not checked the pushdown.
@Suite struct PostgresPushdownTests {
    static let profile = "fixtures/profiles/leads-sharded.yaml"

    /// The database URL, from FAIRLEAD_TEST_PG; an error saying how to start the server
    /// when it is not set.
    static func database() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["FAIRLEAD_TEST_PG"] else {
            throw CLIProcess.Failure("FAIRLEAD_TEST_PG is not set: run the tests as README.md says, after eval \"$(scripts/postgres-test-server start)\"")
        }
        return url
    }

    @Test func theServerIsUp() throws {
        let url = try Self.database()
        let count = try Self.psql(["-t", "-A", "-c", "SELECT count(*) FROM leads"])
        #expect(count.exitCode == 0 && count.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "5000",
                 "\(url) \(count.standardError)")
    }

    /// Runs `psql` with `arguments` against the test database.
    static func psql(_ arguments: [String]) throws -> CLIProcess.Result {
        try CLIProcess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", try database()] + arguments,
                           program: URL(fileURLWithPath: "/usr/bin/env"))
    }

    /// The result of the query `fairlead sql` printed, run by the test server, as the CSV
    /// `COPY … TO STDOUT` writes.
    static func resultInTheServer(of sql: CLIProcess.Result) throws -> String {
        let result = try psql(["-c", "COPY (\(sql.standardOutput)) TO STDOUT (FORMAT csv, HEADER)"])
        #expect(result.exitCode == 0, "\(result.standardError)")
        return result.standardOutput
    }

    static func report(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(arguments: ["leads", "leads_text"])
    func thePushedDownAuditEqualsTheAuditOfTheFile(table: String) throws {
        let sql = try CLIProcess.run(["sql", "--profile", Self.profile, "--dialect", "postgres", "--table", table])
        #expect(sql.exitCode == 0, "\(sql.standardError)")
        #expect(sql.standardOutput.contains("GROUPING SETS"))
        let result = try Self.resultInTheServer(of: sql)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let resultFile = folder.appendingPathComponent("result.csv").path
        try result.write(toFile: resultFile, atomically: true, encoding: .utf8)
        // A few hundred rows of statistics for 5,000 leads.
        let lines = result.split(separator: "\n").count
        #expect(lines > 50 && lines < 1000)

        let pushed = try CLIProcess.run(["audit", "--profile", Self.profile, "--from-stats", resultFile, "--format", "json"])
        let file = try CLIProcess.run(["audit", "--profile", Self.profile, "--format", "json"])
        #expect(pushed.exitCode == file.exitCode && file.exitCode == 1, "\(pushed.standardError)")
        var a = try Self.report(file.standardOutput)
        var b = try Self.report(pushed.standardOutput)
        #expect((b["data"] as? [String: Any])?["shards"] != nil)
        for key in ["generated_at", "data", "notes", "queue", "score_distribution"] {
            a[key] = nil
            b[key] = nil
        }
        let differences = JSONDifferences.of(a, b)
        #expect(differences.isEmpty, "\(differences.prefix(5))")
    }

    /// The score grid's histograms computed in PostgreSQL equal those `fairlead stats`
    /// computes in-process: the audits completed from each, lead queue included, agree.
    @Test(arguments: ["leads", "leads_text"])
    func theGridQueryEqualsTheInProcessStatistics(table: String) throws {
        let profile = "fixtures/profiles/leads-grid.yaml"
        let sql = try CLIProcess.run(["sql", "--profile", profile, "--dialect", "postgres", "--table", table])
        #expect(sql.exitCode == 0, "\(sql.standardError)")
        #expect(sql.standardOutput.contains("grid_cell"))
        let result = try Self.resultInTheServer(of: sql)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pushed = try Self.expectGridAuditsAgree(profile: profile, result: result, data: "fixtures/leads/leads-sample.csv", in: folder)
        #expect(((pushed["queue"] as? [String: Any])?.count ?? 0) == 4)
    }

    /// The audit completed from `result` (the query's, saved in `folder`) under `profile`,
    /// after checking it equals the audit completed from `fairlead stats` over `data`, but
    /// for when and from what each was made.
    @discardableResult
    static func expectGridAuditsAgree(profile: String, result: String, data: String, in folder: URL) throws -> [String: Any] {
        let resultFile = folder.appendingPathComponent("result.csv").path
        try result.write(toFile: resultFile, atomically: true, encoding: .utf8)
        let partFile = folder.appendingPathComponent("part.stats.json").path
        let stats = try CLIProcess.run(["stats", "--profile", profile, "--data", data, "--out", partFile])
        #expect(stats.exitCode == 0, "\(stats.standardError)")
        let pushed = try CLIProcess.run(["audit", "--profile", profile, "--from-stats", resultFile, "--format", "json"])
        let inProcess = try CLIProcess.run(["audit", "--profile", profile, "--from-stats", partFile, "--format", "json"])
        #expect(pushed.exitCode == inProcess.exitCode && pushed.exitCode <= 1, "\(pushed.standardError)")
        var a = try report(inProcess.standardOutput)
        var b = try report(pushed.standardOutput)
        let full = b
        for key in ["generated_at", "data", "notes"] {
            a[key] = nil
            b[key] = nil
        }
        let differences = JSONDifferences.of(a, b)
        #expect(differences.isEmpty, "\(differences.prefix(5))")
        return full
    }

    /// The same values in SQL, from the lead's id; `missing` is what stands for "NA".
    static func consentSQL(table: String, missing: String) -> String {
        let n = "(CAST(SUBSTRING(lead_id FROM 2) AS INTEGER) - 1)"
        return "SELECT *, CASE WHEN \(n) % 5 = 4 THEN 'marketing' WHEN \(n) % 7 = 0 THEN 'Marketing | Fairness_Audit' "
            + "WHEN \(n) % 11 = 3 THEN \(missing) WHEN \(n) % 13 = 6 THEN ' No' WHEN \(n) % 17 = 2 THEN '' "
            + "WHEN \(n) % 3 = 0 THEN 'TRUE' ELSE 'sales;fairness_audit' END AS consent FROM \(table)"
    }

    /// The bundled leads with a consent column, written to `folder`, and leads-sharded
    /// with `data.consent` reading them; the profile's path.
    static func consentProfile(in folder: URL, source: [String]? = nil) throws -> String {
        let sample = try String(contentsOf: CLIProcess.packageRoot.appendingPathComponent("fixtures/leads/leads-sample.csv"), encoding: .utf8)
        let lines = sample.split(separator: "\n").map(String.init)
        var rows = [lines[0] + ",consent"]
        for line in lines.dropFirst() {
            let id = try #require(Int(line.prefix { $0 != "," }.dropFirst()))
            rows.append(line + "," + ConsentFixture.value(id - 1))
        }
        let data = folder.appendingPathComponent("leads-consent.csv").path
        try (rows.joined(separator: "\n") + "\n").write(toFile: data, atomically: true, encoding: .utf8)
        return try PostgresSourceTests.profile("leads-sharded.yaml",
                                               source: (source ?? ["path: \(data)"]) + ["consent: {column: consent, purpose: fairness_audit}"],
                                               in: folder)
    }

    /// `data.consent` pushed down: the query judges each consent value as the audit of
    /// the rows does and counts the rows without consent; the audits completed from its
    /// result (saved by psql, and run by `pushdown: true`) equal the audit of the file,
    /// row accounting and `data.consent` included.
    @Test(arguments: [("leads", "NULL"), ("leads_text", "'NA'")])
    func theConsentFilterPushedDownEqualsTheAuditOfTheRows(table: String, missing: String) throws {
        let url = try Self.database()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-pg-\(UUID().uuidString)")
        let pushFolder = folder.appendingPathComponent("pushdown")
        try FileManager.default.createDirectory(at: pushFolder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try Self.consentProfile(in: folder)
        let query = Self.consentSQL(table: table, missing: missing)
        let environment = CLIProcess.fixtureProfilesAllowed
        let file = try CLIProcess.run(["audit", "--profile", profile, "--format", "json"], environment: environment)
        #expect(file.exitCode == 1, "\(file.standardError)")

        let sql = try CLIProcess.run(["sql", "--profile", profile, "--dialect", "postgres", "--query", query], environment: environment)
        #expect(sql.exitCode == 0, "\(sql.standardError)")
        #expect(sql.standardOutput.contains("'no_consent'"))
        let resultFile = folder.appendingPathComponent("result.csv").path
        try Self.resultInTheServer(of: sql).write(toFile: resultFile, atomically: true, encoding: .utf8)
        let fromResult = try CLIProcess.run(["audit", "--profile", profile, "--from-stats", resultFile, "--format", "json"],
                                            environment: environment)

        let pushProfile = try Self.consentProfile(in: pushFolder, source: ["postgres: \(url)", "query: \"\(query)\"", "pushdown: true"])
        let pushed = try CLIProcess.run(["audit", "--profile", pushProfile, "--format", "json"], environment: environment)

        let a = try Self.report(file.standardOutput)
        let rows = try #require(a["rows"] as? [String: Any])
        let excluded = try #require((rows["excluded"] as? [String: Int])?["no_consent"])
        #expect(rows["read"] as? Int == 5000 && excluded > 1000 && excluded < 4000)
        for result in [fromResult, pushed] {
            #expect(result.exitCode == file.exitCode, "\(result.standardError)")
            let b = try Self.report(result.standardOutput)
            let consent = (b["data"] as? [String: Any])?["consent"] as? [String: Any]
            #expect(consent?["excluded"] as? Int == excluded && consent?["purpose"] as? String == "fairness_audit")
            let shards = (b["data"] as? [String: Any])?["shards"] as? [[String: Any]]
            #expect(shards?.first?["rows_read"] as? Int == 5000)
            let differences = JSONDifferences.ofStatistics(a, b)
            #expect(differences.isEmpty, "\(differences.prefix(5))")
        }
    }

    /// An invalid consent value fails the pushed-down audit as it fails the audit of the
    /// rows; the result says how many rows hold one.
    @Test func anInvalidConsentValueFailsThePushedDownAudit() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try Self.consentProfile(in: folder)
        let query = "SELECT *, CASE WHEN lead_id IN ('L0000007', 'L0000070') THEN 'perhaps?' ELSE 'yes' END AS consent FROM leads"
        let sql = try CLIProcess.run(["sql", "--profile", profile, "--dialect", "postgres", "--query", query],
                                     environment: CLIProcess.fixtureProfilesAllowed)
        #expect(sql.exitCode == 0, "\(sql.standardError)")
        let resultFile = folder.appendingPathComponent("result.csv").path
        try Self.resultInTheServer(of: sql).write(toFile: resultFile, atomically: true, encoding: .utf8)
        let audit = try CLIProcess.run(["audit", "--profile", profile, "--from-stats", resultFile], environment: CLIProcess.fixtureProfilesAllowed)
        #expect(audit.exitCode == 2)
        #expect(audit.standardError.contains("the consent column \"consent\" holds 2 invalid values"), "\(audit.standardError)")
    }

    /// The typed table with its numeric columns declared (`--column-type`): no value is
    /// cast to text for the missing markers, and the audit is the file's.
    @Test func declaredTypesGiveTheAuditOfTheFile() throws {
        let sql = try CLIProcess.run(["sql", "--profile", Self.profile, "--dialect", "postgres", "--table", "leads",
                                      "--column-type", "score=double", "--column-type", "converted=integer"])
        #expect(sql.exitCode == 0, "\(sql.standardError)")
        #expect(!sql.standardOutput.contains("CAST(\"score\" AS TEXT)") && !sql.standardOutput.contains("CAST(\"converted\" AS TEXT)"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-pg-\(UUID().uuidString).csv").path
        try Self.resultInTheServer(of: sql).write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let pushed = try CLIProcess.run(["audit", "--profile", Self.profile, "--from-stats", path, "--format", "json"])
        let file = try CLIProcess.run(["audit", "--profile", Self.profile, "--format", "json"])
        #expect(pushed.exitCode == file.exitCode && file.exitCode == 1, "\(pushed.standardError)")
        var a = try Self.report(file.standardOutput)
        var b = try Self.report(pushed.standardOutput)
        for key in ["generated_at", "data", "notes", "queue", "score_distribution"] {
            a[key] = nil
            b[key] = nil
        }
        #expect(JSONDifferences.of(a, b).isEmpty)
        let wrong = try CLIProcess.run(["sql", "--profile", Self.profile, "--dialect", "postgres", "--table", "leads", "--column-type", "score=float"])
        #expect(wrong.exitCode == 2 && wrong.standardError.contains("--column-type expects NAME=TYPE"))
        // A name the profile does not read (a typo) is said, not ignored.
        let typo = try CLIProcess.run(["sql", "--profile", Self.profile, "--dialect", "postgres", "--table", "leads", "--column-type", "scroe=double"])
        #expect(typo.exitCode == 2 && typo.standardError.hasPrefix("fairlead: --column-type names the column \"scroe\", which the profile does not read; its columns: \"score\""),
                "\(typo.standardError)")
        #expect(typo.standardOutput.isEmpty)
    }

    /// The bundled leads' six columns the pushdown tests query, each row's values passed
    /// to `edit` with its lead number (L0000042: 42) as a query would change them, written
    /// as CSV to `leads.csv` in `folder`; the rows, header first, and the file's path.
    static func editedSample(in folder: URL, edit: (inout [String], Int) -> Void) throws -> (rows: [String], path: String) {
        let sample = try String(contentsOf: CLIProcess.packageRoot.appendingPathComponent("fixtures/leads/leads-sample.csv"), encoding: .utf8)
        let lines = sample.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        let columns = ["lead_id", "ethnicity", "gender", "age_band", "score", "converted"].map { header.firstIndex(of: $0)! }
        var rows = ["lead_id,ethnicity,gender,age_band,score,converted"]
        for line in lines.dropFirst() {
            var values = columns.map { line[$0] }
            edit(&values, Int(values[0].dropFirst())!)
            rows.append(values.joined(separator: ","))
        }
        let path = folder.appendingPathComponent("leads.csv").path
        try (rows.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return (rows, path)
    }

    /// A fresh folder with a `pushdown` folder inside, for a profile of each source.
    static func folders() throws -> (folder: URL, push: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-pg-\(UUID().uuidString)")
        let pushFolder = folder.appendingPathComponent("pushdown")
        try FileManager.default.createDirectory(at: pushFolder, withIntermediateDirectories: true)
        return (folder, pushFolder)
    }

    /// `pushdown: true` asks the server for the types: a typed query whose scores include
    /// NaN, NULL and a number, and a label as boolean, gives the audit of the same rows
    /// as text ("NaN" and "NA" missing).
    @Test func pushdownLearnsTheTypesAndNaNIsMissing() throws {
        let url = try Self.database()
        let (folder, pushFolder) = try Self.folders()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Every 9th lead's score NaN, every 10th's NULL (NA in the file); the label a boolean.
        let n = "CAST(SUBSTRING(lead_id FROM 2) AS INTEGER)"
        let query = "SELECT lead_id, ethnicity, gender, age_band, CASE WHEN \(n) % 9 = 0 THEN CAST('NaN' AS DOUBLE PRECISION) "
            + "WHEN \(n) % 10 = 0 THEN NULL ELSE score END AS score, converted = 1 AS converted FROM leads"
        let data = try Self.editedSample(in: folder) { values, id in
            if id % 9 == 0 { values[4] = "NaN" } else if id % 10 == 0 { values[4] = "NA" }
            values[5] = ["1": "true", "0": "false"][values[5]] ?? values[5]
        }.path
        let environment = CLIProcess.fixtureProfilesAllowed
        let fileProfile = try PostgresSourceTests.profile("leads-sharded.yaml", source: ["path: \(data)"], in: folder)
        let pushProfile = try PostgresSourceTests.profile("leads-sharded.yaml",
                                                          source: ["postgres: \(url)", "query: \"\(query)\"", "pushdown: true"], in: pushFolder)
        let file = try CLIProcess.run(["audit", "--profile", fileProfile, "--format", "json"], environment: environment)
        let pushed = try CLIProcess.run(["audit", "--profile", pushProfile, "--format", "json"], environment: environment)
        #expect(pushed.exitCode == file.exitCode && file.exitCode <= 1, "\(pushed.standardError) \(file.standardError)")
        let a = try Self.report(file.standardOutput)
        let b = try Self.report(pushed.standardOutput)
        let excluded = ((a["rows"] as? [String: Any])?["excluded"] as? [String: Int])?["missing_score"]
        #expect(excluded == 5000 / 9 + 5000 / 10 - 5000 / 90)
        let differences = JSONDifferences.ofStatistics(a, b)
        #expect(differences.isEmpty, "\(differences.prefix(5))")
    }

    /// Missing values of two attributes under two policies, ethnicity `exclude` and gender
    /// `unknown`, in their intersection: the database's result gives the audit of the
    /// same rows — a row without a gender is in its ethnicity's `& unknown` group, one
    /// without an ethnicity is left out (both counted the same by the query's reader and
    /// by the audit of the rows; they had left out both).
    @Test func eachAttributesMissingPolicyHoldsInTheIntersection() throws {
        let url = try Self.database()
        let (folder, pushFolder) = try Self.folders()
        defer { try? FileManager.default.removeItem(at: folder) }
        let n = "CAST(SUBSTRING(lead_id FROM 2) AS INTEGER)"
        let query = "SELECT lead_id, CASE WHEN \(n) % 7 = 0 THEN NULL ELSE ethnicity END AS ethnicity, "
            + "CASE WHEN \(n) % 11 = 0 THEN NULL ELSE gender END AS gender, age_band, score, converted FROM leads"
        let (rows, data) = try Self.editedSample(in: folder) { values, id in
            if id % 7 == 0 { values[1] = "" }
            if id % 11 == 0 { values[2] = "" }
        }
        let policies = "\nsensitive:\n  - {column: ethnicity, reference: white, missing: exclude}\n  - {column: gender, reference: largest}\n  - {column: age_band, reference: largest}\n"
        let environment = CLIProcess.fixtureProfilesAllowed
        let fileProfile = try PostgresSourceTests.profile("leads-sharded.yaml", source: ["path: \(data)"], in: folder)
        let pushProfile = try PostgresSourceTests.profile("leads-sharded.yaml",
                                                          source: ["postgres: \(url)", "query: \"\(query)\"", "pushdown: true"], in: pushFolder)
        for profile in [fileProfile, pushProfile] {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: profile))
            handle.seekToEndOfFile()
            handle.write(Data(policies.utf8))
            try handle.close()
        }
        let file = try CLIProcess.run(["audit", "--profile", fileProfile, "--format", "json"], environment: environment)
        let pushed = try CLIProcess.run(["audit", "--profile", pushProfile, "--format", "json"], environment: environment)
        #expect(pushed.exitCode == file.exitCode && file.exitCode <= 1, "\(pushed.standardError) \(file.standardError)")
        let a = try Self.report(file.standardOutput)
        let b = try Self.report(pushed.standardOutput)
        let differences = JSONDifferences.ofStatistics(a, b)
        #expect(differences.isEmpty, "\(differences.prefix(5))")
        // The intersection: every ethnicity's `& unknown` group, rows without an ethnicity
        // left out (5000/7 of them), those without a gender in the groups.
        let decision = try #require((a["decisions"] as? [String: Any])?["threshold_0.3"] as? [String: Any])
        let intersection = try #require((decision["attributes"] as? [String: Any])?["ethnicity*gender"] as? [String: Any])
        let groups = try #require(intersection["groups"] as? [String: [String: Any]])
        let unknown = groups.filter { $0.key.hasSuffix(" & unknown") }
        // The sample's own empty genders, and every 11th lead's, less those without an ethnicity.
        let withoutGender = rows.dropFirst().filter { $0.split(separator: ",", omittingEmptySubsequences: false)[1] != ""
            && $0.split(separator: ",", omittingEmptySubsequences: false)[2] == "" }.count
        #expect(unknown.count >= 4 && unknown.values.compactMap { $0["count"] as? Int }.reduce(0, +) == withoutGender,
                "\(groups.keys.sorted())")
        #expect(!groups.keys.contains { $0.hasPrefix("unknown & ") })
        #expect((intersection["excluded_missing"] as? Int) == 5000 / 7, "\(intersection.keys.sorted())")
    }

    /// A `real` (single-precision) score: streamed, its text 0.45 reads as 0.45; pushed
    /// down, the query reads the same text rather than widening the value to 0.449999988…,
    /// which a threshold of 0.45 would not select. Both audits select the same rows — the
    /// 0.45s among them — and agree on every statistic.
    @Test func aSinglePrecisionScoreIsReadAsItsText() throws {
        let url = try Self.database()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-pg-\(UUID().uuidString)")
        let streamFolder = folder.appendingPathComponent("stream"), pushFolder = folder.appendingPathComponent("pushdown")
        for directory in [streamFolder, pushFolder] { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        defer { try? FileManager.default.removeItem(at: folder) }
        let query = "SELECT lead_id, ethnicity, gender, age_band, converted, CAST(CASE WHEN lead_id < 'L0000400' THEN 0.45 "
            + "ELSE score END AS REAL) AS score FROM leads"
        let environment = CLIProcess.fixtureProfilesAllowed
        var reports: [[String: Any]] = []
        for (directory, pushdown) in [(streamFolder, "false"), (pushFolder, "true")] {
            let profile = try PostgresSourceTests.profile("leads-sharded.yaml",
                                                          source: ["postgres: \(url)", "query: \"\(query)\"", "pushdown: \(pushdown)"],
                                                          in: directory)
            let text = try String(contentsOfFile: profile, encoding: .utf8)
            try text.replacingOccurrences(of: "threshold: 0.5", with: "threshold: 0.45").write(toFile: profile, atomically: true, encoding: .utf8)
            let audit = try CLIProcess.run(["audit", "--profile", profile, "--format", "json"], environment: environment)
            #expect(audit.exitCode <= 1, "\(audit.standardError)")
            reports.append(try Self.report(audit.standardOutput))
        }
        let decisions = reports.map { ($0["decisions"] as? [String: Any])?["threshold_0.45"] as? [String: Any] }
        let selected = decisions.map { $0?["selected"] as? Int }
        #expect(selected[0] == selected[1] && (selected[0] ?? 0) > 399, "\(selected)")
        let differences = JSONDifferences.ofStatistics(reports[0], reports[1])
        #expect(differences.isEmpty, "\(differences.prefix(5))")
    }

    /// The audits of `query`'s rows under leads-sharded.yaml (with the source keys
    /// `extra`), streamed and then pushed down, each profile in a folder of its own in `folder`.
    static func streamedAndPushedDown(_ query: String, extra: [String] = [], url: String, in folder: URL) throws -> [CLIProcess.Result] {
        try ["false", "true"].map { pushdown in
            let directory = folder.appendingPathComponent("\(pushdown)-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let profile = try PostgresSourceTests.profile("leads-sharded.yaml",
                                                          source: ["postgres: \(url)", "query: \"\(query)\"", "pushdown: \(pushdown)"] + extra,
                                                          in: directory)
            return try CLIProcess.run(["audit", "--profile", profile, "--format", "json"], environment: CLIProcess.fixtureProfilesAllowed)
        }
    }

    /// A weighted profile: streamed and pushed down, the same weighted audit; a negative
    /// weight stops both, the pushed-down one through the query's `invalid_weight` cell.
    @Test func weightsPushedDownEqualWeightsStreamed() throws {
        let url = try Self.database()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-pg-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        func audits(weight: String) throws -> [CLIProcess.Result] {
            let query = "SELECT lead_id, ethnicity, gender, age_band, converted, score, \(weight) AS w FROM leads"
            return try Self.streamedAndPushedDown(query, extra: ["weight: w"], url: url, in: folder)
        }
        let weighted = try audits(weight: "CAST(SUBSTRING(lead_id FROM 2) AS INTEGER) % 4 * 0.5")
        #expect(weighted.allSatisfy { $0.exitCode <= 1 }, "\(weighted.map(\.standardError))")
        let (streamed, pushed) = (try Self.report(weighted[0].standardOutput), try Self.report(weighted[1].standardOutput))
        let differences = JSONDifferences.ofStatistics(streamed, pushed)
        #expect(differences.isEmpty, "\(differences.prefix(5))")
        let negative = try audits(weight: "CASE WHEN lead_id = 'L0000007' THEN -1 ELSE 1 END")
        #expect(negative.allSatisfy { $0.exitCode == 2 })
        #expect(negative[0].standardError.contains("weight is -1.0, expected a number from 0 to 1e+50"), "\(negative[0].standardError)")
        #expect(negative[1].standardError.contains("holds a weight that is missing, negative, not a number or above 1e+50 in 1 row;"),
                "\(negative[1].standardError)")
    }

    /// PostgreSQL stops a query on a product of non-zero doubles that rounds to 0 ("value
    /// out of range: underflow"), where the file reader gets 0: a score of 2e-174 (a
    /// logistic score at a margin of -400) squared for the grid, a weight of 1e-150 times a
    /// score of 1e-175. The query writes such products 0: pushed down and
    /// streamed, one weighted audit; the grid's result, the in-process statistics.
    @Test func productsTooSmallForADoubleAreZeroAsInTheFileReader() throws {
        let url = try Self.database()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Weights within 2^511 of the largest, which the file reader audits (docs/scale.md).
        let score = "CASE lead_id WHEN 'L0000007' THEN 2e-174 WHEN 'L0000011' THEN 1e-175 ELSE score END"
        let weight = "CASE lead_id WHEN 'L0000011' THEN 1e-150 WHEN 'L0000012' THEN 1e-150 ELSE 1 END"
        let weighted = try Self.streamedAndPushedDown(
            "SELECT lead_id, ethnicity, gender, age_band, converted, \(score) AS score, \(weight) AS w FROM leads",
            extra: ["weight: w"], url: url, in: folder)
        #expect(weighted.allSatisfy { $0.exitCode <= 1 }, "\(weighted.map(\.standardError))")
        let differences = JSONDifferences.ofStatistics(try Self.report(weighted[0].standardOutput), try Self.report(weighted[1].standardOutput))
        #expect(differences.isEmpty, "\(differences.prefix(5))")

        // The grid squares the scores: the query's result, and `fairlead stats` on the same rows.
        let profile = "fixtures/profiles/leads-grid.yaml"
        let query = "SELECT lead_id, ethnicity, gender, age_band, converted, \(score) AS score FROM leads"
        let sql = try CLIProcess.run(["sql", "--profile", profile, "--dialect", "postgres", "--query", query])
        #expect(sql.exitCode == 0, "\(sql.standardError)")
        let result = try Self.resultInTheServer(of: sql)
        let rows = try String(contentsOfFile: "fixtures/leads/leads-sample.csv", encoding: .utf8).split(separator: "\n").map { line in
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if fields[0] == "L0000007" { fields[14] = "2e-174" }
            if fields[0] == "L0000011" { fields[14] = "1e-175" }
            return fields.joined(separator: ",")
        }
        #expect(rows[0].hasPrefix("lead_id,") && rows[0].split(separator: ",")[14] == "score")
        let dataFile = folder.appendingPathComponent("tiny.csv").path
        try (rows.joined(separator: "\n") + "\n").write(toFile: dataFile, atomically: true, encoding: .utf8)
        try Self.expectGridAuditsAgree(profile: profile, result: result, data: dataFile, in: folder)
    }

    /// A database that sets `standard_conforming_strings = off` reads a plain literal's
    /// backslashes as escapes: the pushed-down query wrote the label value `won\big` as
    /// `'won\big'`, which matched `wonbig` there, and its rows counted as negatives. A value
    /// with a backslash is an escape string (`E'won\\big'`), read alike under either
    /// setting: the pushed-down audit equals the streamed one.
    @Test func aBackslashInAProfileValueReadsAlikeWhateverTheDatabasesStringSetting() throws {
        let url = try Self.database()
        let name = "fairlead_scs_off_\(UUID().uuidString.prefix(8).lowercased())"
        #expect(try Self.psql(["-c", "CREATE DATABASE \(name)"]).exitCode == 0)
        defer { _ = try? Self.psql(["-c", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"]) }
        #expect(try Self.psql(["-c", "ALTER DATABASE \(name) SET standard_conforming_strings = off"]).exitCode == 0)
        let other = String(url[..<url.lastIndex(of: "/")!]) + "/" + name
        let sample = CLIProcess.packageRoot.appendingPathComponent("fixtures/leads/leads-sample.csv").path
        let header = try String(contentsOfFile: sample, encoding: .utf8).prefix { $0 != "\n" }
        let columns = header.split(separator: ",").map { "\($0) TEXT" }.joined(separator: ", ")
        let load = try CLIProcess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", other,
                                       "-c", "CREATE TABLE leads (\(columns))",
                                       "-c", "\\copy leads FROM '\(sample)' CSV HEADER",
                                       // Half the conversions are `won`, half `won\big` (an escape string: the database reads plain ones with escapes).
                                       "-c", "UPDATE leads SET converted = CASE WHEN converted = '0' THEN 'lost' WHEN lead_id < 'L0002500' THEN 'won' ELSE E'won\\\\big' END"],
                                      program: URL(fileURLWithPath: "/usr/bin/env"))
        #expect(load.exitCode == 0, "\(load.standardError)")
        let stored = try CLIProcess.run(["psql", "-X", "-t", "-A", other, "-c", "SELECT count(*) FROM leads WHERE converted = E'won\\\\big'"],
                                        program: URL(fileURLWithPath: "/usr/bin/env"))
        let backslashed = Int(stored.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(backslashed > 100, "\(stored.standardOutput) \(stored.standardError)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-pg-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let audits = try ["false", "true"].map { pushdown in
            let directory = folder.appendingPathComponent(pushdown)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let profile = try PostgresSourceTests.profile("leads-sharded.yaml",
                                                          source: ["postgres: \(other)", "table: leads", "pushdown: \(pushdown)"], in: directory)
            let text = try String(contentsOfFile: profile, encoding: .utf8)
                .replacingOccurrences(of: "  label: converted", with: "  label: {column: converted, positive: [won, 'won\\big']}")
            try text.write(toFile: profile, atomically: true, encoding: .utf8)
            return try CLIProcess.run(["audit", "--profile", profile, "--format", "json"], environment: CLIProcess.fixtureProfilesAllowed)
        }
        #expect(audits.allSatisfy { $0.exitCode <= 1 }, "\(audits.map(\.standardError))")
        let (streamed, pushed) = (try Self.report(audits[0].standardOutput), try Self.report(audits[1].standardOutput))
        let differences = JSONDifferences.ofStatistics(streamed, pushed)
        #expect(differences.isEmpty, "\(differences.prefix(5))")
        // Both count the `won\big` rows as conversions: as many positives as the file's `converted` has 1s.
        let lines = try String(contentsOfFile: sample, encoding: .utf8).split(separator: "\n").dropFirst()
        let ones = lines.filter { $0.hasSuffix(",1") }.count
        let groups = ((((pushed["decisions"] as? [String: Any])?["threshold_0.3"] as? [String: Any])?["attributes"] as? [String: Any])?["ethnicity"]
                      as? [String: Any])?["groups"] as? [String: [String: Any]] ?? [:]
        let positives = groups.values.reduce(0.0) { total, group in
            let count = Double(group["count"] as? Int ?? 0)
            return total + count * (((group["metrics"] as? [String: Any])?["base_rate"] as? [String: Any])?["value"] as? Double ?? 0)
        }
        #expect(ones > backslashed && abs(positives - Double(ones)) < 1e-6, "\(positives) \(ones)")
    }

    /// A positive label written in NFC in the profile and in NFC and NFD in the table: the
    /// streamed rows compare text, the database bytes. The query lists both spellings, so
    /// the pushed-down audit counts every conversion, as the streamed one does (it counted
    /// the NFD half as negatives).
    @Test func aLabelInTwoUnicodeSpellingsCountsAlikeStreamedAndPushedDown() throws {
        let url = try Self.database()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-pg-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (nfc, nfd) = ("w\u{00F6}n", "wo\u{0308}n")
        let label = "CASE WHEN converted = 0 THEN 'lost' WHEN CAST(SUBSTRING(lead_id FROM 2) AS INTEGER) % 2 = 0 THEN '\(nfc)' ELSE '\(nfd)' END"
        let audits = try ["false", "true"].map { pushdown in
            let directory = folder.appendingPathComponent(pushdown)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let query = "SELECT lead_id, ethnicity, gender, age_band, score, \(label) AS converted FROM leads"
            let profile = try PostgresSourceTests.profile("leads-sharded.yaml", source: ["postgres: \(url)", "query: \"\(query)\"", "pushdown: \(pushdown)"],
                                                          in: directory)
            let text = try String(contentsOfFile: profile, encoding: .utf8)
                .replacingOccurrences(of: "  label: converted", with: "  label: {column: converted, positive: ['\(nfc)']}")
            try text.write(toFile: profile, atomically: true, encoding: .utf8)
            return try CLIProcess.run(["audit", "--profile", profile, "--format", "json"], environment: CLIProcess.fixtureProfilesAllowed)
        }
        #expect(audits.allSatisfy { $0.exitCode <= 1 }, "\(audits.map(\.standardError))")
        let (streamed, pushed) = (try Self.report(audits[0].standardOutput), try Self.report(audits[1].standardOutput))
        #expect(JSONDifferences.ofStatistics(streamed, pushed).isEmpty, "\(JSONDifferences.ofStatistics(streamed, pushed).prefix(5))")
        let sample = CLIProcess.packageRoot.appendingPathComponent("fixtures/leads/leads-sample.csv").path
        let ones = try String(contentsOfFile: sample, encoding: .utf8).split(separator: "\n").dropFirst().filter { $0.hasSuffix(",1") }.count
        let groups = ((((pushed["decisions"] as? [String: Any])?["threshold_0.3"] as? [String: Any])?["attributes"] as? [String: Any])?["ethnicity"]
                      as? [String: Any])?["groups"] as? [String: [String: Any]] ?? [:]
        let positives = groups.values.reduce(0.0) { total, group in
            total + Double(group["count"] as? Int ?? 0) * (((group["metrics"] as? [String: Any])?["base_rate"] as? [String: Any])?["value"] as? Double ?? 0)
        }
        #expect(ones > 100 && abs(positives - Double(ones)) < 1e-6, "\(positives) \(ones)")
    }

    /// Labels written as the file reader reads them — numbers equal to 1 or 0 in any
    /// spelling, true/false words, or both — give the same audit streamed and pushed down;
    /// `t`/`f`, which the file reader does not take, are refused by both.
    @Test func labelSpellingsAreReadAsTheFileReaderReadsThem() throws {
        let url = try Self.database()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-pg-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        func audits(ones: [String], zeros: [String]) throws -> [CLIProcess.Result] {
            func array(_ values: [String]) -> String { "(ARRAY[" + values.map { "'\($0)'" }.joined(separator: ", ") + "])" }
            let n = "CAST(SUBSTRING(lead_id FROM 2) AS INTEGER)"
            let label = "CASE WHEN converted = 1 THEN \(array(ones))[\(n) % \(ones.count) + 1] ELSE \(array(zeros))[\(n) % \(zeros.count) + 1] END"
            let query = "SELECT lead_id, ethnicity, gender, age_band, score, \(label) AS converted FROM leads"
            return try Self.streamedAndPushedDown(query, url: url, in: folder)
        }
        let numbers = try audits(ones: ["1", "1.00", " 1", "01", "+1", "1e0", "1.", "10e-1", ".1E1"], zeros: ["0", "0.0", "-0", ".0", "0e5", "00", "0. ", "0e-999"])
        let words = try audits(ones: ["1", "TRUE", "true\t"], zeros: ["0", "False", " false"])
        // Words beside numbers other than a bare 0/1: a text column, each value read on its own.
        let mixed = try audits(ones: ["1.0", "TRUE", " 1e0"], zeros: ["0.0", "false", "-0"])
        for pair in [numbers, words, mixed] {
            #expect(pair.allSatisfy { $0.exitCode <= 1 }, "\(pair.map(\.standardError))")
            let differences = JSONDifferences.ofStatistics(try Self.report(pair[0].standardOutput), try Self.report(pair[1].standardOutput))
            #expect(differences.isEmpty, "\(differences.prefix(5))")
        }
        let letters = try audits(ones: ["t"], zeros: ["f"])
        #expect(letters.allSatisfy { $0.exitCode == 2 }, "\(letters.map(\.standardError))")
        #expect(letters[1].standardError.contains("values other than 0/1 or true/false in 5000 rows"), "\(letters[1].standardError)")
    }

    /// Scores and weights written as the file reader reads numbers — a sign, no leading
    /// digit, an exponent, spaces and tabs around — give the same audit streamed and pushed
    /// down. Texts PostgreSQL's cast reads but the file reader does not (hex, `nan`), or a
    /// no-break space around a number, are refused by both: streamed by the reader,
    /// pushed down through the query's `invalid_number` cell.
    @Test func numberSpellingsAreReadAsTheFileReaderReadsThem() throws {
        let url = try Self.database()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-pg-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let n = "CAST(SUBSTRING(lead_id FROM 2) AS INTEGER)"
        func audits(score: String, weight: String) throws -> [CLIProcess.Result] {
            let query = "SELECT lead_id, ethnicity, gender, age_band, converted, \(score) AS score, \(weight) AS w FROM leads"
            return try Self.streamedAndPushedDown(query, extra: ["weight: w"], url: url, in: folder)
        }
        let text = "CAST(score AS TEXT)"
        let spelled = "CASE \(n) % 6 WHEN 0 THEN ' ' || \(text) WHEN 1 THEN '+' || \(text) || chr(9) WHEN 2 THEN \(text) || 'e0'"
            + " WHEN 3 THEN \(text) || '0E-0' WHEN 4 THEN REPLACE(\(text), '0.', '.') ELSE \(text) END"
        let weight = "CASE \(n) % 3 WHEN 0 THEN '2.' WHEN 1 THEN ' .5e1' ELSE '1' END"
        let numbers = try audits(score: spelled, weight: weight)
        #expect(numbers.allSatisfy { $0.exitCode <= 1 }, "\(numbers.map(\.standardError))")
        let streamed = try Self.report(numbers[0].standardOutput)
        let differences = JSONDifferences.ofStatistics(streamed, try Self.report(numbers[1].standardOutput))
        #expect(differences.isEmpty, "\(differences.prefix(5))")
        let counted = ((streamed["rows"] as? [String: Any])?["used"] as? Int) ?? 0
        #expect(counted > 4000, "\(streamed["rows"] ?? "")")
        for (score, weight) in [("CASE WHEN lead_id = 'L0000007' THEN '0x1p-1' ELSE \(text) END", "'1'"),
                                ("CASE WHEN lead_id = 'L0000007' THEN 'nan' ELSE \(text) END", "'1'"),
                                ("CASE WHEN lead_id = 'L0000007' THEN chr(160) || \(text) ELSE \(text) END", "'1'"),
                                (text, "CASE WHEN lead_id = 'L0000007' THEN '0x1p0' ELSE '1' END")] {
            let refused = try audits(score: score, weight: weight)
            #expect(refused.allSatisfy { $0.exitCode == 2 }, "\(score) \(weight): \(refused.map(\.standardError))")
            #expect(refused[0].standardError.contains("expected a number, found"), "\(refused[0].standardError)")
            #expect(refused[1].standardError.contains("1 row the query read holds a value in a number column (\"score\", \"w\") that is not a number"),
                    "\(refused[1].standardError)")
        }
        // Beyond a double's range: the reader refuses the text, PostgreSQL's cast stops the query.
        for (score, weight) in [("CASE WHEN lead_id = 'L0000007' THEN '1e-999' ELSE \(text) END", "'1'"),
                                (text, "CASE WHEN lead_id = 'L0000007' THEN '1e999' ELSE '1' END")] {
            let refused = try audits(score: score, weight: weight)
            #expect(refused.allSatisfy { $0.exitCode == 2 }, "\(score) \(weight): \(refused.map(\.standardError))")
            #expect(refused[0].standardError.contains("expected a number, found"), "\(refused[0].standardError)")
            #expect(refused[1].standardError.contains("out of range for type double precision"), "\(refused[1].standardError)")
        }
    }

    /// Text by text, the query PostgreSQL runs reads a score as the file reader does
    /// (`CSVReader.number`): the same number, a missing value for a marker, the cell
    /// `invalid_number` otherwise — through the query's quick test of plain decimals
    /// (`0.5`, `5.`, `.5`) and its regular expression for every other spelling. One group
    /// per text (the attribute is the text's number), so each row of the result is one text.
    @Test func everyScoreTextIsReadAsTheFileReaderReadsIt() throws {
        _ = try Self.database()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var texts = ["0", "0.5", "5.", ".5", ".", "", " ", "1.2.3", "1..2", "..5", "-.5", "+5.", "0.50", "007", "NaN", "nan", "NA",
                     " 0.5", "0.5\t", "1e0", "0x1", "5d", "1_0", "inf", "-Infinity", "\u{A0}0.5", "١",
                     String(repeating: "9", count: 300), String(repeating: "9", count: 301), "0." + String(repeating: "0", count: 297) + "1",
                     "." + String(repeating: "0", count: 298) + "1", String(repeating: "0", count: 400) + ".5"]
        var random = SplitMix64(seed: 0x5c07e)
        let alphabet = Array(String(repeating: "0123456789", count: 3) + "..+-eE \tinfINFx")
        for _ in 0..<2_000 {
            let length = Int(random.next() % 8) + 1
            texts.append(String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }))
        }
        // PostgreSQL's cast stops the query on a number beyond a double's range (the test
        // above); those texts are left out here.
        texts.removeAll { text in
            guard let value = Double(text.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))) else { return false }
            let digits = text.split(whereSeparator: { $0 == "e" || $0 == "E" }).first ?? ""
            return (value.isInfinite && !text.lowercased().contains("inf")) || (value == 0 && digits.contains { "123456789".contains($0) })
        }
        let profile = folder.appendingPathComponent("grammar.yaml").path
        try "name: grammar\ndata: {path: x.csv, score: v, label: y}\nsensitive: [id]\ndecisions: [{threshold: 0.5}]\n"
            .write(toFile: profile, atomically: true, encoding: .utf8)
        // Each text a literal, its tabs and no-break spaces spelled with chr().
        func literal(_ text: String) -> String {
            "'" + text.unicodeScalars.map { scalar -> String in
                switch scalar {
                case "'": return "''"
                case "\t", "\u{A0}", "١": return "' || chr(\(scalar.value)) || '"
                default: return String(scalar)
                }
            }.joined() + "'"
        }
        let rows = texts.enumerated().map { "(\($0.offset), \(literal($0.element)))" }.joined(separator: ", ")
        let sql = try CLIProcess.run(["sql", "--profile", profile, "--dialect", "postgres", "--query",
                                      "SELECT CAST(id AS TEXT) AS id, v, 1 AS y FROM (VALUES \(rows)) AS t(id, v)"])
        #expect(sql.exitCode == 0, "\(sql.standardError)")
        let result = try Self.resultInTheServer(of: sql)
        var lines = result.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines.removeFirst()
        let column = { (name: String) in header.firstIndex(of: name) ?? -1 }
        var read: [Int: (cell: String, score: String)] = [:]
        for line in lines where line[column("grouping")] == "0" {
            read[Int(line[column("a0")]) ?? -1] = (line[column("cell")], line[column("min_score")])
        }
        let markers = ["", "NA", "NaN", "null"]
        var disagreements: [String] = []
        for (index, text) in texts.enumerated() {
            let expected: String
            var value: Double?
            if markers.contains(text) {
                expected = "missing_score"
            } else if let number = CSVReader.number(text), number.isFinite {
                value = number
                expected = number >= 0.5 ? "tp" : "fn"
            } else {
                expected = "invalid_number"
            }
            let got = read[index]
            let escaped = text.unicodeScalars.map { $0.escaped(asASCII: true) }.joined().prefix(40)
            if got?.cell != expected || (value != nil && Double(got?.score ?? "") != value) {
                disagreements.append("\(escaped): reader \(expected) \(value.map { "\($0)" } ?? ""), query \(got.map { "\($0.cell) \($0.score)" } ?? "no row")")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) of \(texts.count): \(disagreements.prefix(8))")
        // Both kinds in numbers, through both of the query's tests.
        let cells = Dictionary(grouping: read.values, by: \.cell).mapValues(\.count)
        #expect((cells["invalid_number"] ?? 0) > 300 && (cells["fn"] ?? 0) + (cells["tp"] ?? 0) > 300, "\(cells)")
    }

    @Test func aLabelThatIsNotZeroOrOneIsRefused() throws {
        let sql = try CLIProcess.run(["sql", "--profile", Self.profile, "--dialect", "postgres", "--query",
                                      "SELECT score, CASE WHEN converted = 1 THEN 'yes' ELSE 'no' END AS converted, ethnicity, gender, age_band FROM leads"])
        #expect(sql.exitCode == 0, "\(sql.standardError)")
        let result = try Self.resultInTheServer(of: sql)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-pg-\(UUID().uuidString).csv").path
        try result.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let audit = try CLIProcess.run(["audit", "--profile", Self.profile, "--from-stats", path])
        #expect(audit.exitCode == 2)
        #expect(audit.standardError.contains("values other than 0/1 or true/false in 5000 rows"))
    }
}
