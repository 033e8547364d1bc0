import Fairlead
import FairleadCore
import Foundation

/// Where and as whom to connect, resolved as `psql` resolves it: the profile's URL first,
/// then the environment (`PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE`, `PGSSLMODE`,
/// `PGCONNECT_TIMEOUT`), then libpq's defaults (the socket folder `/var/run/postgresql`,
/// port 5432, the login user's name for the user and the database). The password comes
/// from `PGPASSWORD`, else the password file (``PasswordFile``), else none.
struct PostgresSettings: Equatable {
    enum Endpoint: Equatable {
        case tcp(host: String, port: Int)
        /// A Unix-domain socket: the folder, and the socket file in it.
        case socket(folder: String, path: String)
    }

    var endpoint: Endpoint
    var port: Int
    var user: String
    var database: String
    var password: String?
    var sslMode: String
    var connectTimeout: Int
    var applicationName: String

    /// The folder libpq looks for the server's socket in on Debian.
    static let defaultSocketFolder = "/var/run/postgresql"
    /// Seconds to wait for the server to answer, unless `connect_timeout` says otherwise.
    static let defaultConnectTimeout = 30

    /// How the password file names the host: the host name, or `localhost` for a socket.
    var passwordFileHost: String {
        switch endpoint {
        case .tcp(let host, _): host
        case .socket: "localhost"
        }
    }

    init(spec: AuditProfile.PostgresSpec, environment: [String: String] = ProcessInfo.processInfo.environment,
         warning: (String) -> Void = { _ in }) throws {
        let parts = try spec.parts()
        func env(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        func fail(_ message: String) -> FairleadError {
            FairleadError(.usage, message, at: spec.location ?? SourceLocation(field: "data.postgres"))
        }
        var port = parts.port ?? 5432
        if parts.port == nil, let text = env("PGPORT") {
            guard let value = Int(text), (1...65_535).contains(value) else { throw fail("PGPORT is not a port number: '\(MessageQuote.clipped(text, limit: 20))'") }
            port = value
        }
        let host = parts.host ?? env("PGHOST")
        if let host, !host.hasPrefix("/") {
            endpoint = .tcp(host: host, port: port)
        } else {
            let folder = host ?? Self.defaultSocketFolder
            endpoint = .socket(folder: folder, path: "\(folder)/.s.PGSQL.\(port)")
        }
        self.port = port
        guard let user = parts.user ?? env("PGUSER") ?? Self.loginName() else {
            throw fail("no user: name one in the URL (postgresql://USER@host/database) or in PGUSER")
        }
        self.user = user
        database = parts.database ?? env("PGDATABASE") ?? user
        sslMode = parts.parameters["sslmode"] ?? env("PGSSLMODE") ?? "prefer"
        guard AuditProfile.PostgresSpec.sslModes.contains(sslMode) else {
            throw fail("PGSSLMODE '\(MessageQuote.clipped(sslMode, limit: 40))' is not one of \(AuditProfile.PostgresSpec.sslModes.joined(separator: ", "))")
        }
        if let text = parts.parameters["connect_timeout"] ?? env("PGCONNECT_TIMEOUT") {
            guard let seconds = Int(text), seconds > 0 else { throw fail("PGCONNECT_TIMEOUT is a whole number of seconds > 0, found '\(MessageQuote.clipped(text, limit: 20))'") }
            connectTimeout = seconds
        } else {
            connectTimeout = Self.defaultConnectTimeout
        }
        applicationName = parts.parameters["application_name"] ?? "fairlead"
        if let given = environment["PGPASSWORD"] {
            password = given
        } else if let path = PasswordFile.defaultPath(environment: environment),
                  let file = try PasswordFile.load(path: path, warning: warning) {
            let host = passwordFileHost
            password = file.password(host: host, port: port, database: database, user: user)
            if password == nil, case .socket(let folder, _) = endpoint {
                password = file.password(host: folder, port: port, database: database, user: user)
            }
        } else {
            password = nil
        }
    }

    /// The login user's name, libpq's default user.
    private static func loginName() -> String? {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return nil }
        return String(cString: name)
    }

    /// The server as messages name it (never the password).
    var serverName: String {
        switch endpoint {
        case .tcp(let host, let port): "\(user)@\(host):\(port)/\(database)"
        case .socket(_, let path): "\(user)@\(path)/\(database)"
        }
    }
}
