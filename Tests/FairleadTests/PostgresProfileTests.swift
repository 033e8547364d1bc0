import Foundation
import Testing
@testable import Fairlead

/// `data.postgres` with `table` or `query` and `pushdown`: what a profile may say, and the
/// message for each thing it may not.
@Suite struct PostgresProfileTests {
    static func profile(_ data: String) -> String {
        "name: t\ndata:\n" + data + "  score: s\ndecisions: [{threshold: 0.5}]\nsensitive: [g]\n"
    }

    @Test func aDatabaseSourceIsReadWithItsParts() throws {
        let profile = try AuditProfile.parse(Self.profile("""
              postgres: postgresql://auditor@db.internal:6432/crm?sslmode=require&connect_timeout=5
              table: scoring.weekly
              pushdown: yes

            """), file: "p.yaml")
        let spec = try #require(profile.data.postgres)
        #expect(spec.source == .table("scoring.weekly"))
        #expect(spec.pushdown)
        #expect(profile.data.path == nil)
        #expect(spec.displayName == "postgresql://auditor@db.internal:6432/crm?sslmode=require&connect_timeout=5 (table scoring.weekly)")
        let parts = try spec.parts()
        #expect(parts == AuditProfile.PostgresSpec.Parts(user: "auditor", host: "db.internal", port: 6432, database: "crm",
                                                         parameters: ["sslmode": "require", "connect_timeout": "5"]))

        let query = try AuditProfile.parse(Self.profile("  postgres: postgres:///crm\n  query: select * from leads\n"), file: "p.yaml")
        #expect(query.data.postgres?.source == .query("select * from leads"))
        #expect(query.data.postgres?.pushdown == false)
        #expect(query.data.postgres?.displayName == "postgres:///crm (query)")
        #expect(try query.data.postgres?.parts() == .init(user: nil, host: nil, port: nil, database: "crm", parameters: [:]))
    }

    static let cases: [(data: String, expected: String)] = [
        ("  path: a.csv\n  postgres: postgresql://h/db\n  table: t\n",
         "p.yaml:4:13 (data.postgres): give the rows' data.path or data.postgres, not both"),
        ("  table: leads\n",
         "p.yaml:3:10 (data.table): data.table is about a database source; give data.postgres too"),
        ("  postgres: postgresql://h/db\n",
         "p.yaml:3:13 (data.postgres): data.postgres needs the rows' table (data.table) or a query whose result they are (data.query)"),
        ("  postgres: postgresql://h/db\n  table: t\n  query: select 1\n",
         "p.yaml:5:10 (data.query): give data.table or data.query, not both"),
        ("  postgres: postgresql://reader:s3cret@h/db\n  table: t\n",
         "p.yaml:3:13 (data.postgres): the URL holds a password; a profile is shared and kept, so give the password through PGPASSWORD or the password file (~/.pgpass, PGPASSFILE) instead"),
        ("  postgres: mysql://h/db\n  table: t\n",
         "p.yaml:3:13 (data.postgres): expected a URL such as postgresql://user@host:5432/database, found 'mysql://h/db'"),
        ("  postgres: postgresql://h/db?sslmode=allow\n  table: t\n",
         "p.yaml:3:13 (data.postgres): sslmode 'allow' is not one of disable, prefer, require, verify-full"),
        ("  postgres: postgresql://h/db?timeout=3\n  table: t\n",
         "p.yaml:3:13 (data.postgres): unknown URL parameter 'timeout'; known: sslmode, connect_timeout, application_name"),
        ("  postgres: postgresql://h/db?connect_timeout=0\n  table: t\n",
         "p.yaml:3:13 (data.postgres): connect_timeout is a whole number of seconds > 0, found '0'"),
        ("  postgres: postgresql://h/db\n  table: crm..leads\n",
         "p.yaml:4:10 (data.table): expected a table name such as crm.leads, found 'crm..leads'"),
        ("  postgres: postgresql://h/db\n  query: \"  \"\n",
         "p.yaml:4:10 (data.query): expected a SELECT query whose result is the rows, found an empty one"),
        ("  postgres: postgresql://h/db\n  table: t\n  pushdown: maybe\n",
         "p.yaml:5:13 (data.pushdown): expected true or false, found 'maybe'"),
    ]

    @Test(arguments: cases)
    func aBadDatabaseSourceGivesItsMessage(_ data: String, _ expected: String) {
        #expect {
            _ = try AuditProfile.parse(Self.profile(data), file: "p.yaml")
        } throws: { error in
            guard let error = error as? FairleadError, error.kind == .invalidProfile else { return false }
            #expect(error.description == expected)
            return error.description == expected
        }
    }

    /// The message never repeats the password it refuses.
    @Test func thePasswordIsNotQuotedBack() {
        #expect {
            _ = try AuditProfile.parse(Self.profile("  postgres: postgresql://reader:s3cret@h/db\n  table: t\n"), file: "p.yaml")
        } throws: { error in
            !"\(error)".contains("s3cret")
        }
    }

    /// A source that is not a URL is quoted redacted: a malformed URL and a libpq keyword
    /// string may hold a password too (SecretRedaction).
    @Test(arguments: [
        ("postgresql://u:S3cretPW@[::1/fairlead", "found 'postgresql://u:***@[::1/fairlead'; it holds a password too"),
        ("postgresql://u:S3c@retPW@db/fairlead", "(data.postgres): "),
        ("host=127.0.0.1 user=u password=S3cretPW dbname=fairlead", "found 'host=127.0.0.1 user=u password=*** dbname=fairlead'; it holds a password too"),
        ("host=127.0.0.1 user=u Password = 'S3cret PW' dbname=fairlead", "found 'host=127.0.0.1 user=u Password=*** dbname=fairlead'"),
        ("postgresql://u@db/fairlead?password=S3cretPW", "the URL holds a password"),
    ])
    func aSecretInAMalformedSourceIsNotQuotedBack(url: String, shown: String) {
        #expect {
            _ = try AuditProfile.parse(Self.profile("  postgres: \"\(url)\"\n  table: leads\n"), file: "p.yaml")
        } throws: { error in
            let message = "\(error)"
            #expect(message.contains(shown), "\(message)")
            #expect(!message.contains("S3c"), "\(message)")
            return (error as? FairleadError)?.kind == .invalidProfile && !message.contains("S3c")
        }
    }

    /// Reports and messages name the source by its display name, redacted even for a spec
    /// made in code, which no profile check has seen.
    @Test func theDisplayNameHoldsNoPassword() {
        let spec = AuditProfile.PostgresSpec(url: "postgresql://u:S3cretPW@db/crm", source: .table("leads"))
        #expect(spec.displayName == "postgresql://u:***@db/crm (table leads)")
    }
}
