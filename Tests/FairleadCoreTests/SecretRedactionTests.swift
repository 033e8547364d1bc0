import Testing
@testable import FairleadCore

/// ``SecretRedaction``: every form a connection's password may be written in is hidden,
/// and text without one is left as it is.
@Suite struct SecretRedactionTests {
    @Test(arguments: [
        // URLs: the userinfo after ':' up to the last '@'.
        ("postgresql://u:S3cretPW@db:5432/crm", "postgresql://u:***@db:5432/crm"),
        ("postgresql://u:S3cretPW@[::1/fairlead", "postgresql://u:***@[::1/fairlead"),
        ("postgresql://u:S3cretPW@[::1]:5432/fairlead", "postgresql://u:***@[::1]:5432/fairlead"),
        ("postgresql://u:S3cret%40PW%3A@db/crm", "postgresql://u:***@db/crm"),
        ("postgresql://u:p@ss@w0rd@db/crm", "postgresql://u:***@db/crm"),
        ("postgresql://u:pa/ss?#[x@db/crm", "postgresql://u:***@db/crm"),
        ("postgres://u:my secret@db/crm", "postgres://u:***@db/crm"),
        ("postgresql://:S3cretPW@db", "postgresql://:***@db"),
        ("found 'postgresql://u:S3cretPW@[::1/fairlead' in p.yaml", "found 'postgresql://u:***@[::1/fairlead' in p.yaml"),
        ("postgresql://a:one@h1/d and postgresql://b:two@h2/d", "postgresql://a:***@h1/d and postgresql://b:***@h2/d"),
        // libpq keywords: password= in any case, spaces around '=', quoted or not.
        ("host=127.0.0.1 user=u password=S3cretPW dbname=fairlead", "host=127.0.0.1 user=u password=*** dbname=fairlead"),
        ("host=h PASSWORD = S3cretPW dbname=d", "host=h PASSWORD=*** dbname=d"),
        ("host=h password='S3cret PW' dbname=d", "host=h password=*** dbname=d"),
        ("host=h password='it\\'s secret' dbname=d", "host=h password=*** dbname=d"),
        ("host=h password=\"S3cret PW\" dbname=d", "host=h password=*** dbname=d"),
        ("host=h password='unterminated secret", "host=h password=***"),
        ("PGPASSWORD=S3cretPW", "PGPASSWORD=***"),
        ("postgresql://u@db/crm?password=S3cretPW&sslmode=require", "postgresql://u@db/crm?password=***"),
    ])
    func passwordsAreHidden(text: String, expected: String) {
        #expect(SecretRedaction.redacted(text) == expected)
        #expect(SecretRedaction.holdsSecret(text))
    }

    /// Past the last '@', whatever follows a URL on its line counts as its host: a later '@'
    /// costs text, never the password.
    @Test func aLaterAtSignHidesMoreNotLess() {
        let shown = SecretRedaction.redacted("postgresql://u:S3cretPW@h/d (table t):4: found 'a@b.example'")
        #expect(shown == "postgresql://u:***@b.example'")
        #expect(!shown.contains("S3cretPW"))
    }

    @Test(arguments: [
        "postgresql://auditor@db.internal:6432/crm?sslmode=require&connect_timeout=5 (table scoring.weekly)",
        "postgres:///crm (query)",
        "postgresql://[::1]:5432/crm",
        "postgresql://u@h/d (table leads)",
        "host=h user=u dbname=d",
        "the password comes from PGPASSWORD or the password file",
        "",
    ])
    func textWithoutAPasswordIsKept(text: String) {
        #expect(SecretRedaction.redacted(text) == text)
        #expect(!SecretRedaction.holdsSecret(text))
    }
}
