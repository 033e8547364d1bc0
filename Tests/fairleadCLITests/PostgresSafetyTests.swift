import Foundation
import Testing

/// `data.postgres` against what a profile, a slow query or a stopped Fairlead can do: no
/// password reaches a message, however the source is written; a query runs no longer than
/// `max_query_seconds`; and a Fairlead that is stopped mid-query leaves nothing running on
/// the server (`client_connection_check_interval`).
///
/// The server is the one the README's test command starts (PostgresPushdownTests says how).
@Suite struct PostgresSafetyTests {
    /// A source written as a malformed URL or as libpq keywords is refused, and quoted with
    /// its password hidden.
    @Test(arguments: ["postgresql://u:S3cretPW@[::1/fairlead", "host=127.0.0.1 user=u password=S3cretPW dbname=fairlead",
                      "host=127.0.0.1 user=u PASSWORD = 'S3cretPW x' dbname=fairlead"])
    func aSecretInTheSourceIsNeverQuoted(source: String) throws {
        let folder = try PostgresSourceTests.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try PostgresSourceTests.profile("leads-sharded.yaml", source: ["postgres: \"\(source)\"", "table: leads"], in: folder)
        for command in [["audit", "--profile"], ["stats", "--profile"], ["validate"]] {
            let result = try CLIProcess.run(command + [profile], environment: CLIProcess.fixtureProfilesAllowed)
            #expect(result.exitCode == 2, "\(command): \(result.standardError)")
            #expect(result.standardError.contains("(data.postgres): expected a URL such as"), "\(result.standardError)")
            #expect(result.standardError.lowercased().contains("password=***") || result.standardError.contains("u:***@"),
                    "\(result.standardError)")
            #expect(!(result.standardOutput + result.standardError).contains("S3cretPW"), "\(result.standardError)")
        }
    }

    /// The query a profile names may run for ever (`pg_sleep`); the session's
    /// statement_timeout stops it at `max_query_seconds`, from the flag or the profile, with
    /// a message that says which limit to raise — streamed and pushed down.
    @Test(arguments: [false, true])
    func aQueryLongerThanTheLimitIsStopped(pushdown: Bool) throws {
        let url = try PostgresSourceTests.environment("FAIRLEAD_TEST_PG")
        let folder = try PostgresSourceTests.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try PostgresSourceTests.profile("leads-sharded.yaml", source: [
            "postgres: \(url)", "query: SELECT l.* FROM leads l, (SELECT pg_sleep(5)) s", "pushdown: \(pushdown)",
        ], in: folder)
        let expected = "the query ran longer than 1 second and PostgreSQL stopped it (the max_query_seconds limit); "
            + "raise it with --max-query-seconds N or limits.max_query_seconds in the profile"
        let byFlag = try CLIProcess.run(["audit", "--profile", profile, "--max-query-seconds", "1"],
                                        environment: CLIProcess.fixtureProfilesAllowed)
        #expect(byFlag.exitCode == 2, "\(byFlag.standardError)")
        #expect(byFlag.standardError.contains(expected), "\(byFlag.standardError)")

        let text = try String(contentsOfFile: profile, encoding: .utf8)
        try (text + "\nlimits:\n  max_query_seconds: 1\n").write(toFile: profile, atomically: true, encoding: .utf8)
        let byProfile = try CLIProcess.run(["stats", "--profile", profile], environment: CLIProcess.fixtureProfilesAllowed)
        #expect(byProfile.exitCode == 2, "\(byProfile.standardError)")
        #expect(byProfile.standardError.contains(expected), "\(byProfile.standardError)")
    }

    /// SIGTERM in the middle of a query that would run ten minutes: the server notices the
    /// closed connection and ends the query. Bounded waits, no timing asserted: the backend
    /// must be seen running first, and gone within a minute after (it goes in about two
    /// seconds, the check interval).
    @Test func aStoppedAuditLeavesNoQueryRunning() throws {
        let url = try PostgresSourceTests.environment("FAIRLEAD_TEST_PG")
        let folder = try PostgresSourceTests.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let name = "fairlead_stop_" + UUID().uuidString.prefix(8).lowercased()
        let profile = try PostgresSourceTests.profile("leads-sharded.yaml", source: [
            "postgres: \(url)?application_name=\(name)", "query: SELECT l.* FROM leads l, (SELECT pg_sleep(600)) s",
        ], in: folder)
        let backends = "SELECT count(*) FROM pg_stat_activity WHERE application_name = '\(name)'"
        defer {
            _ = try? PostgresPushdownTests.psql(["-c", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '\(name)'"])
        }
        func count() throws -> Int {
            let result = try PostgresPushdownTests.psql(["-t", "-A", "-c", backends])
            return Int(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
        func waitUntil(seconds: Int, _ condition: () throws -> Bool) throws -> Bool {
            for _ in 0..<(seconds * 4) {
                if try condition() { return true }
                Thread.sleep(forTimeInterval: 0.25)
            }
            return try condition()
        }

        let process = Process()
        process.executableURL = CLIProcess.executable
        process.arguments = ["audit", "--profile", profile]
        process.environment = ProcessInfo.processInfo.environment.merging(CLIProcess.fixtureProfilesAllowed) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let running = try waitUntil(seconds: 60) { try count() == 1 }
        process.terminate()
        process.waitUntilExit()
        #expect(running, "the query was never seen running")
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGTERM)
        #expect(try waitUntil(seconds: 60) { try count() == 0 }, "the query still runs on the server")
    }
}
