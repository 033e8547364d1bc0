import FairleadCore
import Foundation

extension AuditProfile {
    /// The data file a command reads: `given` (its `--data`), else the profile's
    /// `data.path`.
    ///
    /// - Throws: `FairleadError(.usage)` when there is neither, saying so — and, for a
    ///   profile whose rows are in PostgreSQL, which commands read them there.
    public func dataFile(given: String?) throws -> String {
        if let path = given ?? data.path { return path }
        if let postgres = data.postgres {
            throw FairleadError(.usage, "the rows of the profile '\(name)' are in PostgreSQL (\(postgres.displayName)), which `fairlead audit` and `fairlead stats` read; give this command a CSV file with --data")
        }
        throw FairleadError(.usage, "the profile '\(name)' names no data file (data.path); give one with --data")
    }

    /// `data.postgres` with `table` or `query`, and `pushdown`: the rows are in a PostgreSQL
    /// database (docs/scale.md).
    ///
    ///     data:
    ///       postgres: postgresql://auditor@db.internal:5432/crm?sslmode=require
    ///       table: scoring.weekly_leads        # or query: select … from …
    ///       pushdown: true                     # run the aggregate query; only statistics come back
    ///       score: score
    ///
    /// The URL names the server, the user and the database, never a password: the password
    /// comes from `PGPASSWORD` or the password file (`~/.pgpass`, `PGPASSFILE`), as for
    /// `psql`, and reports name the source by ``displayName``. Without `pushdown`, the
    /// columns the audit reads are streamed, as text, with bounded memory, through the
    /// same reader as a CSV file; with it, the query of `fairlead sql --dialect postgres`
    /// runs in the database and the audit is completed from its result.
    public struct PostgresSpec: Sendable, Equatable {
        /// The connection URL as written (`postgresql://user@host:port/database?sslmode=…`);
        /// it holds no password.
        public var url: String
        /// The table, or the query whose result is the rows.
        public var source: PushdownQuery.Source
        /// Whether the aggregate query runs in the database (`pushdown: true`).
        public var pushdown: Bool
        /// Where the profile says so, for messages.
        public var location: SourceLocation?

        public init(url: String, source: PushdownQuery.Source, pushdown: Bool = false, location: SourceLocation? = nil) {
            self.url = url
            self.source = source
            self.pushdown = pushdown
            self.location = location
        }

        /// The URL's query parameters that are understood; any other is an error. They are
        /// libpq's connection parameters of the same names; what bounds the cost of the
        /// query is a limit (`limits.max_query_seconds`), not a parameter.
        public static let parameters = ["sslmode", "connect_timeout", "application_name"]
        /// The values `sslmode` takes, as in libpq.
        public static let sslModes = ["disable", "prefer", "require", "verify-full"]

        /// How reports and messages name the source: the URL and the table, or `query` —
        /// the query's text is in the profile, and may be long. A decoded profile's URL holds
        /// no password (``parts()`` refuses one); it is redacted all the same
        /// (``SecretRedaction``), so that no spec made in code can carry one into a report.
        public var displayName: String {
            let shown = SecretRedaction.redacted(url)
            switch source {
            case .table(let name): return "\(shown) (table \(name))"
            case .query: return "\(shown) (query)"
            }
        }

        /// The parts of the URL, checked: scheme, no password, known parameters.
        public struct Parts: Sendable, Equatable {
            public var user: String?
            public var host: String?
            public var port: Int?
            public var database: String?
            public var parameters: [String: String]
        }

        /// The URL taken apart.
        ///
        /// - Throws: `FairleadError(.invalidProfile)` at ``location`` for another scheme, a
        ///   password, a port that is not one, or an unknown parameter or `sslmode`.
        public func parts() throws -> Parts {
            func fail(_ message: String) -> FairleadError {
                FairleadError(.invalidProfile, message, at: location ?? SourceLocation(field: "data.postgres"))
            }
            let passwordAdvice = "a profile is shared and kept, so give the password through PGPASSWORD or the password file (~/.pgpass, PGPASSFILE) instead"
            guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
                  scheme == "postgresql" || scheme == "postgres" else {
                // What is quoted is redacted: a malformed URL or a libpq keyword string
                // ("host=… password=…") may still hold a password.
                let holdsSecret = SecretRedaction.holdsSecret(url)
                throw fail("expected a URL such as postgresql://user@host:5432/database, found '\(MessageQuote.clipped(SecretRedaction.redacted(url), limit: 80))'"
                           + (holdsSecret ? "; it holds a password too: \(passwordAdvice)" : ""))
            }
            if components.password != nil || components.queryItems?.contains(where: { $0.name.lowercased() == "password" }) == true {
                throw fail("the URL holds a password; \(passwordAdvice)")
            }
            var parameters: [String: String] = [:]
            for item in components.queryItems ?? [] {
                guard Self.parameters.contains(item.name) else {
                    throw fail("unknown URL parameter '\(MessageQuote.clipped(SecretRedaction.redacted(item.name), limit: 40))'; known: \(Self.parameters.joined(separator: ", "))")
                }
                parameters[item.name] = item.value ?? ""
            }
            if let mode = parameters["sslmode"], !Self.sslModes.contains(mode) {
                throw fail("sslmode '\(MessageQuote.clipped(SecretRedaction.redacted(mode), limit: 40))' is not one of \(Self.sslModes.joined(separator: ", "))")
            }
            if let timeout = parameters["connect_timeout"], Int(timeout).map({ $0 > 0 }) != true {
                throw fail("connect_timeout is a whole number of seconds > 0, found '\(MessageQuote.clipped(SecretRedaction.redacted(timeout), limit: 40))'")
            }
            let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
            let host = components.host.flatMap { $0.isEmpty ? nil : $0 }
            return Parts(user: components.user.flatMap { $0.isEmpty ? nil : $0 }, host: host, port: components.port,
                         database: database.isEmpty ? nil : database, parameters: parameters)
        }

        static func decode(_ urlNode: ProfileNode, mapping: inout ProfileMapping) throws -> PostgresSpec {
            let url = try ProfileMapping.scalar(urlNode, path: "data.postgres", expected: "a URL such as postgresql://user@host/database")
            let tableNode = mapping.node("table")
            let queryNode = mapping.node("query")
            let source: PushdownQuery.Source
            switch (tableNode, queryNode) {
            case (let table?, nil):
                let name = try ProfileMapping.scalar(table, path: "data.table", expected: "a table name such as crm.leads")
                guard !name.isEmpty, !name.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty),
                      !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                    throw ProfileMapping.error("expected a table name such as crm.leads, found '\(MessageQuote.clipped(name, limit: 80))'",
                                               path: "data.table", at: table.location)
                }
                source = .table(name)
            case (nil, let query?):
                let text = try ProfileMapping.scalar(query, path: "data.query", expected: "a SELECT query whose result is the rows")
                guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                    throw ProfileMapping.error("expected a SELECT query whose result is the rows, found an empty one", path: "data.query", at: query.location)
                }
                source = .query(text)
            case (nil, nil):
                throw ProfileMapping.error("data.postgres needs the rows' table (data.table) or a query whose result they are (data.query)",
                                           path: "data.postgres", at: urlNode.location)
            case (_?, let query?):
                throw ProfileMapping.error("give data.table or data.query, not both", path: "data.query", at: query.location)
            }
            let pushdown = try mapping.node("pushdown").map { try ProfileMapping.boolean($0, path: "data.pushdown") } ?? false
            var location = urlNode.location
            location.field = "data.postgres"
            let spec = PostgresSpec(url: url, source: source, pushdown: pushdown, location: location)
            _ = try spec.parts()
            return spec
        }
    }
}
