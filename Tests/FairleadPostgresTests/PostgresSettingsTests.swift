import Fairlead
import Foundation
import Testing
@testable import FairleadPostgres

/// Where and as whom `data.postgres` connects, resolved as `psql` resolves it, and the
/// password file read as libpq reads it.
@Suite struct PostgresSettingsTests {
    static func spec(_ url: String) -> AuditProfile.PostgresSpec {
        AuditProfile.PostgresSpec(url: url, source: .table("leads"))
    }

    @Test func theURLComesFirstThenTheEnvironmentThenTheDefaults() throws {
        let environment = ["PGHOST": "envhost", "PGPORT": "6000", "PGUSER": "envuser", "PGDATABASE": "envdb", "HOME": "/nonexistent"]
        let fromURL = try PostgresSettings(spec: Self.spec("postgresql://auditor@db:5433/crm?sslmode=disable"), environment: environment)
        #expect(fromURL.endpoint == .tcp(host: "db", port: 5433))
        #expect(fromURL.user == "auditor" && fromURL.database == "crm" && fromURL.sslMode == "disable")
        #expect(fromURL.password == nil && fromURL.connectTimeout == PostgresSettings.defaultConnectTimeout)

        let fromEnvironment = try PostgresSettings(spec: Self.spec("postgresql://"), environment: environment)
        #expect(fromEnvironment.endpoint == .tcp(host: "envhost", port: 6000))
        #expect(fromEnvironment.user == "envuser" && fromEnvironment.database == "envdb" && fromEnvironment.sslMode == "prefer")
        #expect(fromEnvironment.serverName == "envuser@envhost:6000/envdb")

        // No host anywhere: the server's socket in Debian's folder; the database is the user's name.
        let defaults = try PostgresSettings(spec: Self.spec("postgresql://reader@"), environment: ["HOME": "/nonexistent"])
        #expect(defaults.endpoint == .socket(folder: "/var/run/postgresql", path: "/var/run/postgresql/.s.PGSQL.5432"))
        #expect(defaults.database == "reader")
        let socket = try PostgresSettings(spec: Self.spec("postgresql:///crm"), environment: ["PGHOST": "/tmp/pg", "PGUSER": "u"])
        #expect(socket.endpoint == .socket(folder: "/tmp/pg", path: "/tmp/pg/.s.PGSQL.5432"))
        #expect(socket.passwordFileHost == "localhost")
    }

    @Test func badEnvironmentValuesAreNamed() {
        #expect(throws: FairleadError.self) { try PostgresSettings(spec: Self.spec("postgresql://u@h/d"), environment: ["PGSSLMODE": "sometimes"]) }
        #expect(throws: FairleadError.self) { try PostgresSettings(spec: Self.spec("postgresql://u@/d"), environment: ["PGPORT": "http"]) }
        do {
            _ = try PostgresSettings(spec: Self.spec("postgresql://u@h/d"), environment: ["PGCONNECT_TIMEOUT": "-1"])
            Issue.record("a negative timeout was taken")
        } catch {
            #expect("\(error)".contains("PGCONNECT_TIMEOUT is a whole number of seconds > 0, found '-1'"))
        }
    }

    @Test func thePasswordFileIsReadAsLibpqReadsIt() {
        let entries = PasswordFile.parse("""
            # a comment
            db.internal:5432:crm:auditor:first
            db.internal:5432:crm:auditor:second
            *:*:*:reader:pa\\:ss\\\\word:with:colons
            too:few:fields
            host\\:odd:1:d:u:p
            """)
        #expect(entries.count == 4)
        let file = PasswordFile(path: "p", entries: entries)
        #expect(file.password(host: "db.internal", port: 5432, database: "crm", user: "auditor") == "first")
        #expect(file.password(host: "db.internal", port: 5433, database: "crm", user: "auditor") == nil)
        #expect(file.password(host: "anywhere", port: 1, database: "any", user: "reader") == "pa:ss\\word:with:colons")
        #expect(file.password(host: "host:odd", port: 1, database: "d", user: "u") == "p")
    }

    @Test func aPasswordFileOthersCanReadIsIgnoredAndSaid() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-pgpass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("pgpass").path
        try "*:*:*:*:from-file\n".write(toFile: path, atomically: true, encoding: .utf8)
        let spec = Self.spec("postgresql://u@h/d")

        #expect(chmod(path, 0o600) == 0)
        #expect(try PostgresSettings(spec: spec, environment: ["PGPASSFILE": path]).password == "from-file")
        // PGPASSWORD wins over the file.
        #expect(try PostgresSettings(spec: spec, environment: ["PGPASSFILE": path, "PGPASSWORD": "from-env"]).password == "from-env")
        // ~/.pgpass when PGPASSFILE is not set.
        try FileManager.default.copyItem(atPath: path, toPath: folder.appendingPathComponent(".pgpass").path)
        #expect(try PostgresSettings(spec: spec, environment: ["HOME": folder.path]).password == "from-file")

        #expect(chmod(path, 0o640) == 0)
        var warnings: [String] = []
        let ignored = try PostgresSettings(spec: spec, environment: ["PGPASSFILE": path]) { warnings.append($0) }
        #expect(ignored.password == nil)
        #expect(warnings == ["password file \(path) has group or world access; it is ignored (chmod 0600 \(path))"])
        warnings = []
        _ = try PostgresSettings(spec: spec, environment: ["PGPASSFILE": folder.path]) { warnings.append($0) }
        #expect(warnings == ["password file \(folder.path) is not a plain file; it is ignored"])
    }

    /// `max_query_seconds` as the session's statement_timeout: milliseconds, never 0 (no
    /// limit at all), and within the server's `int` range.
    @Test func theQueryLimitIsTheSessionsStatementTimeout() {
        #expect(PostgresSource.statementTimeoutMilliseconds(seconds: 1) == 1_000)
        #expect(PostgresSource.statementTimeoutMilliseconds(seconds: Limits().maxQuerySeconds) == 3_600_000)
        #expect(PostgresSource.statementTimeoutMilliseconds(seconds: 10_000_000) == Int(Int32.max))
        #expect(PostgresSource.statementTimeoutMilliseconds(seconds: Int.max) == Int(Int32.max))
    }
}
