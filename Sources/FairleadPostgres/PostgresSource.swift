import Dispatch
import Fairlead
import FairleadCore
import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// A PostgreSQL database as an audit's source (`data.postgres`, docs/scale.md): one
/// connection, through postgres-nio, that first learns the rows' column names, then either
/// streams the columns the audit reads or runs the profile's aggregate query.
///
/// Rows are streamed as CSV text through a pipe into the same reader that reads files
/// (``RowStream``), so the audit counts rows, infers types, applies missing markers and
/// reports bad values exactly as for a CSV file, with the source's name in place of a
/// path and line N standing for the (N − 1)-th row. Every value is cast to text by the
/// server (`CAST(column AS TEXT)`: a `double precision` as the shortest text that reads
/// back to the same number, a boolean as `true`/`false`) and `NULL` is a missing value.
/// Only the columns the audit needs leave the database; memory stays bounded by the
/// pipe and the server's backpressure, whatever the number of rows.
///
///     let source = try PostgresSource(spec: profile.data.postgres!)
///     let header = try source.header()
///     let stream = try source.stream(columns: try audit.columnsToRead(header: header))
public final class PostgresSource: @unchecked Sendable {
    public let spec: AuditProfile.PostgresSpec
    let settings: PostgresSettings
    /// Seconds one statement may run (``Limits/maxQuerySeconds``): the session's
    /// `statement_timeout`.
    let maxQuerySeconds: Int
    private var connection: PostgresConnection?
    private let logger: Logger

    /// How often the server checks, while a query runs, that this connection is still
    /// there (`client_connection_check_interval`, PostgreSQL 14 and later on Linux): a
    /// Fairlead that is stopped — SIGINT, SIGTERM, SIGKILL — closes its socket, and the
    /// server then abandons the query within this time instead of running it to its end.
    static let connectionCheckInterval = "2s"

    /// Resolves where and as whom to connect (nothing is contacted yet).
    ///
    /// - Parameters:
    ///   - limits: ``Limits/maxQuerySeconds`` bounds every statement the session runs.
    ///   - warning: told about a password file that is ignored.
    public init(spec: AuditProfile.PostgresSpec, limits: Limits = Limits(),
                environment: [String: String] = ProcessInfo.processInfo.environment,
                warning: (String) -> Void = { _ in }) throws {
        self.spec = spec
        maxQuerySeconds = limits.maxQuerySeconds
        settings = try PostgresSettings(spec: spec, environment: environment, warning: warning)
        var logger = Logger(label: "fairlead.postgres")
        logger.logLevel = .critical
        self.logger = logger
    }

    deinit {
        close()
    }

    /// The names of the rows' columns, in order: from the first row of the table or query
    /// (a query without rows still names its columns).
    public func header() throws -> [String] {
        let sql = rowsQueries.columnNamesQuery
        let connection = try connected()
        let logger = logger
        let displayName = spec.displayName
        let clock = queryClock()
        let names = try Self.blocking { () async throws -> [String] in
            let started = ContinuousClock.now
            do {
                var names: [String] = []
                try await Self.readOnly(connection, logger: logger) {
                    for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {
                        names = row.map(\.columnName)
                    }
                }
                return names
            } catch {
                throw Self.error(error, source: displayName, query: clock.since(started))
            }
        }
        guard !names.isEmpty else {
            throw FairleadError(.invalidData, "the rows have no columns", at: SourceLocation(file: spec.displayName))
        }
        return names
    }

    /// The types of the rows' columns that the aggregate query can test without text:
    /// `double precision` and `numeric` (`double`), integers, booleans. Others are absent
    /// (text) — `real` too: its value widened to a double is not the double its text reads as.
    /// The rows' query is not run: one row of NULLs carries the types.
    public func columnTypes() throws -> [String: PushdownQuery.ColumnType] {
        let sql = rowsQueries.columnTypesQuery
        let connection = try connected()
        let logger = logger
        let displayName = spec.displayName
        let clock = queryClock()
        return try Self.blocking { () async throws -> [String: PushdownQuery.ColumnType] in
            let started = ContinuousClock.now
            do {
                var types: [String: PushdownQuery.ColumnType] = [:]
                try await Self.readOnly(connection, logger: logger) {
                    for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {
                        for cell in row {
                            switch cell.dataType {
                            case .float8, .numeric: types[cell.columnName] = .double
                            case .int2, .int4, .int8: types[cell.columnName] = .integer
                            case .bool: types[cell.columnName] = .boolean
                            default: types[cell.columnName] = nil
                            }
                        }
                    }
                }
                return types
            } catch {
                throw Self.error(error, source: displayName, query: clock.since(started))
            }
        }
    }

    /// Streams `columns` of every row, as CSV with a header, into a pipe the returned
    /// stream's ``RowStream/input`` reads.
    public func stream(columns: [String]) throws -> RowStream {
        try stream(sql: rowsQueries.rowsQuery(columns: columns), columns: columns)
    }

    /// Runs `profile`'s aggregate query (``PushdownQuery``, dialect `postgres`) in the
    /// database and reads its result: only the statistics leave the database.
    ///
    /// The columns' types are asked for first (``columnTypes()``): a numeric or boolean
    /// column is tested for missing values with `IS NULL`, not as text.
    public func statistics(profile: AuditProfile) throws -> StatisticsPart {
        let query = PushdownQuery(profile: profile, dialect: .postgres, source: spec.source, columnTypes: try columnTypes())
        let stream = try stream(sql: try query.textSQL(), columns: PushdownQuery.resultColumns(attributeCount: profile.sensitive.count,
                                                                                          grid: profile.scoreGrid != nil))
        return try stream.reading({ try StatisticsPart.fromQueryResult(stream.input, profile: profile) },
                                  rowsRead: { (_: StatisticsPart) -> Int? in nil })
    }

    /// Closes the connection.
    public func close() {
        if let connection { try? connection.close().wait() }
        connection = nil
    }

    /// The queries of the rows themselves (the profile does not matter to them).
    private var rowsQueries: PushdownQuery {
        PushdownQuery(profile: AuditProfile(name: "", data: .init(score: ""), decisions: [], sensitive: []),
                      dialect: .postgres, source: spec.source)
    }

    private func stream(sql: String, columns: [String]) throws -> RowStream {
        let connection = try connected()
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else {
            throw FairleadError(.internalFailure, "cannot make a pipe: \(String(cString: strerror(errno)))")
        }
        // A reader that stops early closes its end; the writer then gets EPIPE, not a signal.
        signal(SIGPIPE, SIG_IGN)
        let stream = RowStream(input: .descriptor(descriptors[0], name: spec.displayName), source: spec.displayName)
        let writer = descriptors[1]
        let logger = logger
        let displayName = spec.displayName
        let clock = queryClock()
        Task.detached {
            let started = ContinuousClock.now
            var output = _PipeWriter(descriptor: writer)
            var rows = 0
            do {
                output.append(header: columns)
                try await Self.readOnly(connection, logger: logger) {
                    for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {
                        output.append(row: row)
                        rows += 1
                        try output.flushIfFull()
                    }
                }
                try output.flush()
                closeDescriptor(writer)
                stream.producerFinished(.success(rows))
            } catch {
                closeDescriptor(writer)
                stream.producerFinished(.failure(error is _PipeClosed ? error : Self.error(error, source: displayName,
                                                                                              query: clock.since(started))))
            }
        }
        return stream
    }

    private func connected() throws -> PostgresConnection {
        if let connection { return connection }
        let settings = settings
        let logger = logger
        let displayName = spec.displayName
        var configuration: PostgresConnection.Configuration
        switch settings.endpoint {
        case .tcp(let host, let port):
            let tls: PostgresConnection.Configuration.TLS
            do {
                switch settings.sslMode {
                case "disable":
                    tls = .disable
                case "verify-full":
                    tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
                default:
                    // As libpq: `prefer` and `require` encrypt without checking the certificate.
                    var client = TLSConfiguration.makeClientConfiguration()
                    client.certificateVerification = .none
                    let context = try NIOSSLContext(configuration: client)
                    tls = settings.sslMode == "require" ? .require(context) : .prefer(context)
                }
            } catch {
                throw FairleadError(.usage, "cannot set up TLS: \(SecretRedaction.redacted("\(error)"))", at: SourceLocation(file: displayName))
            }
            configuration = .init(host: host, port: port, username: settings.user, password: settings.password,
                                  database: settings.database, tls: tls)
        case .socket(_, let path):
            configuration = .init(unixSocketPath: path, username: settings.user, password: settings.password,
                                  database: settings.database)
        }
        configuration.options.connectTimeout = .seconds(Int64(settings.connectTimeout))
        configuration.options.additionalStartupParameters = [("application_name", settings.applicationName),
                                                             // Doubles as the shortest text that reads back the same.
                                                             ("extra_float_digits", "3"),
                                                             ("default_transaction_read_only", "on")]
        let finished = configuration
        let timeoutMilliseconds = Self.statementTimeoutMilliseconds(seconds: maxQuerySeconds)
        let made = try Self.blocking { () async throws -> PostgresConnection in
            let connection: PostgresConnection
            do {
                connection = try await PostgresConnection.connect(configuration: finished, id: 1, logger: logger)
            } catch {
                throw Self.error(error, source: displayName, settings: settings)
            }
            do {
                // Set after the start, not as startup parameters: a pooler in between may
                // refuse those it does not know.
                try await connection.query(PostgresQuery(unsafeSQL: "SET statement_timeout = \(timeoutMilliseconds)"), logger: logger)
                // PostgreSQL 13 and older do not know the setting: their queries run to their end.
                _ = try? await connection.query(PostgresQuery(unsafeSQL: "SET client_connection_check_interval = '\(Self.connectionCheckInterval)'"),
                                                logger: logger)
            } catch {
                try? await connection.close()
                throw Self.error(error, source: displayName, settings: settings)
            }
            return connection
        }
        connection = made
        return made
    }

    /// Runs `body` in a read-only transaction. The profile's query comes from a file that may
    /// come from elsewhere; it runs with the auditor's credentials but can change nothing:
    /// a function it calls that writes fails (SQLSTATE 25006), and the transaction cannot
    /// be made read-write once it has run a query. The session's default is read-only too
    /// (``connected()``).
    static func readOnly(_ connection: PostgresConnection, logger: Logger, _ body: () async throws -> Void) async throws {
        try await connection.query("START TRANSACTION READ ONLY", logger: logger)
        do {
            try await body()
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
        try await connection.query("COMMIT", logger: logger)
    }

    /// A postgres-nio error as a message that names the server and says what to do, with
    /// the server's own message when it sent one. Never a password: the server is named by
    /// ``PostgresSettings/serverName``, and any other text is redacted
    /// (``SecretRedaction``); postgres-nio's own descriptions of what failed on the way
    /// (`Connection errors: SingleConnectionFailure(target: …)`) are said in plain words.
    ///
    /// - Parameter query: how long the failed query ran: a cancel (SQLSTATE 57014) after
    ///   the statement time limit is that limit, said as one (``Limits/maxQuerySeconds``).
    static func error(_ error: any Error, source: String, settings: PostgresSettings? = nil,
                      query: _QueryTime? = nil) -> any Error {
        if error is FairleadError { return error }
        let location = SourceLocation(file: source)
        guard let failure = error as? PSQLError else {
            return FairleadError(.invalidData, "PostgreSQL: \(SecretRedaction.redacted("\(error)"))", at: location)
        }
        if let info = failure.serverInfo, let message = info[.message] {
            if info[.sqlState] == "57014", let query, query.reachedLimit {
                let seconds = query.limitSeconds == 1 ? "1 second" : "\(query.limitSeconds) seconds"
                return FairleadError(.invalidData, "the query ran longer than \(seconds) and PostgreSQL stopped it (the max_query_seconds limit)",
                                     at: location, limit: .maxQuerySeconds)
            }
            var text = "PostgreSQL says: \(message)"
            if let state = info[.sqlState] { text += " (SQLSTATE \(state))" }
            if let detail = info[.detail] { text += "; \(detail)" }
            if let hint = info[.hint] { text += "; hint: \(hint)" }
            if info[.sqlState] == "28P01" || info[.sqlState] == "28000" {
                text += "; the password comes from PGPASSWORD or the password file (~/.pgpass, PGPASSFILE)"
            }
            return FairleadError(.invalidData, SecretRedaction.redacted(text), at: location)
        }
        let server = settings?.serverName ?? source
        switch failure.code {
        case .authMechanismRequiresPassword:
            return FairleadError(.usage, "the server \(server) asks for a password; give it in PGPASSWORD or the password file (~/.pgpass, PGPASSFILE)", at: location)
        case .sslUnsupported:
            return FairleadError(.usage, "the server \(server) does not offer TLS, which sslmode=\(settings?.sslMode ?? "require") requires", at: location)
        case .connectionError:
            let reason = connectionFailure(failure.underlying, connectTimeout: settings?.connectTimeout)
            return FairleadError(.invalidData, "cannot connect to \(server) (\(reason))", at: location)
        case .serverClosedConnection, .uncleanShutdown:
            return FairleadError(.invalidData, "the server \(server) closed the connection", at: location)
        default:
            return FairleadError(.invalidData, "PostgreSQL (\(failure.code)) with \(server)", at: location)
        }
    }

    /// Why a connection could not be made, in words: `connection refused`, `no answer
    /// within 30 seconds`, `the host name does not resolve`.
    static func connectionFailure(_ error: (any Error)?, connectTimeout: Int?) -> String {
        guard let error else { return "no answer" }
        switch error {
        case let failure as NIOConnectionError:
            // One failure per address tried (IPv6 and IPv4): the first says it.
            if let first = failure.connectionErrors.first { return connectionFailure(first.error, connectTimeout: connectTimeout) }
            if failure.dnsAError != nil || failure.dnsAAAAError != nil { return "the host name does not resolve" }
            return "no address to connect to"
        case let failure as IOError:
            switch failure.errnoCode {
            case ECONNREFUSED: return "connection refused"
            case ENOENT: return "no server socket there"
            case ETIMEDOUT: return "timed out"
            case EHOSTUNREACH: return "host unreachable"
            case ENETUNREACH: return "network unreachable"
            case EACCES: return "permission denied"
            default: return String(cString: strerror(failure.errnoCode))
            }
        case let failure as ChannelError:
            if case .connectTimeout = failure {
                let seconds = connectTimeout.map { " within \($0) seconds" } ?? ""
                return "no answer\(seconds); connect_timeout in the URL or PGCONNECT_TIMEOUT waits longer"
            }
            return SecretRedaction.redacted("\(failure)")
        default:
            return SecretRedaction.redacted("\(error)")
        }
    }

    /// The session's `statement_timeout` for a limit of `seconds`: milliseconds, within the
    /// server's range (an `int`: about 24.8 days at most; 0 would mean no limit).
    static func statementTimeoutMilliseconds(seconds: Int) -> Int {
        let (milliseconds, overflow) = max(1, seconds).multipliedReportingOverflow(by: 1_000)
        return overflow ? Int(Int32.max) : min(milliseconds, Int(Int32.max))
    }

    /// What an error of a query needs to tell the statement time limit from another cancel.
    private func queryClock() -> _QueryClock {
        _QueryClock(limitSeconds: maxQuerySeconds,
                    limitMilliseconds: Self.statementTimeoutMilliseconds(seconds: maxQuerySeconds))
    }

    /// Runs `work` to its end and returns its result, from synchronous code. The caller
    /// must not be on the concurrency pool (a command's `run()` is on the main thread).
    static func blocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let box = _ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { box.set(.success(try await work())) } catch { box.set(.failure(error)) }
            done.signal()
        }
        done.wait()
        return try box.get()
    }
}

/// Rows streamed as CSV into a pipe: ``input`` is its read end, for ``CSVReader``; a task
/// writes the other end. ``finish()`` waits for that task and says how many rows it sent,
/// or why it stopped.
public final class RowStream: @unchecked Sendable {
    public let input: CSVInput
    let source: String
    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Result<Int, any Error>?

    init(input: CSVInput, source: String) {
        self.input = input
        self.source = source
    }

    func producerFinished(_ result: Result<Int, any Error>) {
        lock.withLock { outcome = result }
        done.signal()
    }

    /// Waits for the writer; returns the rows it sent.
    ///
    /// - Throws: the database's error when the rows stopped coming before their end (a
    ///   reader that stopped first is not an error of the stream).
    @discardableResult
    public func finish() throws -> Int {
        done.wait()
        done.signal()
        let result = lock.withLock { outcome }
        switch result {
        case .success(let rows): return rows
        case .failure(let error) where error is _PipeClosed: return -1
        case .failure(let error): throw error
        case nil: return -1
        }
    }

    /// Runs `read`, which reads ``input``; when the database failed, its error wins over
    /// the reader's (a stream cut short looks like a short file to the reader), and a
    /// reader that read fewer rows than were sent is an internal error.
    public func reading<T>(_ read: () throws -> T, rowsRead: (T) -> Int?) throws -> T {
        let value: T
        do {
            value = try read()
        } catch {
            try finish()
            throw error
        }
        let sent = try finish()
        if let count = rowsRead(value), sent >= 0, count != sent {
            throw FairleadError(.internalFailure, "\(sent) rows were sent but \(count) were read", at: SourceLocation(file: source))
        }
        return value
    }
}

/// Closes a descriptor (the global `close`, which a method named `close` hides).
private func closeDescriptor(_ descriptor: Int32) {
    close(descriptor)
}

/// The writer stopped because the reader closed the pipe.
struct _PipeClosed: Error {}

/// CSV text for the pipe, written in blocks.
struct _PipeWriter {
    let descriptor: Int32
    var buffer: [UInt8] = []
    static let blockBytes = 1 << 16

    init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer.reserveCapacity(Self.blockBytes + 4096)
    }

    mutating func append(header: [String]) {
        for (index, name) in header.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            append(field: Array(name.utf8)[...])
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    mutating func append(row: PostgresRow) {
        var first = true
        for cell in row {
            if !first { buffer.append(UInt8(ascii: ",")) }
            first = false
            // NULL is an empty field: a missing value.
            guard let bytes = cell.bytes else { continue }
            append(field: bytes.readableBytesView)
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    /// A field, quoted when it holds a comma, a quote or a line break (quotes doubled), or
    /// when it is empty: `""` is the empty text, an empty field NULL (``CSVOptions/emptyFieldIsNull``).
    private mutating func append<Bytes: Collection>(field: Bytes) where Bytes.Element == UInt8 {
        guard field.isEmpty || field.contains(where: Self.needsQuotes) else {
            buffer.append(contentsOf: field)
            return
        }
        buffer.append(UInt8(ascii: "\""))
        for byte in field {
            if byte == UInt8(ascii: "\"") { buffer.append(byte) }
            buffer.append(byte)
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// A comma, a quote, a line feed or a carriage return.
    private static func needsQuotes(_ byte: UInt8) -> Bool {
        byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D
    }

    mutating func flushIfFull() throws {
        if buffer.count >= Self.blockBytes { try flush() }
    }

    mutating func flush() throws {
        var offset = 0
        let total = buffer.count
        try buffer.withUnsafeBytes { bytes in
            while offset < total {
                let written = write(descriptor, bytes.baseAddress! + offset, total - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    if errno == EPIPE { throw _PipeClosed() }
                    throw FairleadError(.internalFailure, "cannot write to the pipe: \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// The statement time limit, to measure a query against.
struct _QueryClock: Sendable {
    let limitSeconds: Int
    let limitMilliseconds: Int

    /// How long a query started at `started` has run.
    func since(_ started: ContinuousClock.Instant) -> _QueryTime {
        _QueryTime(limitSeconds: limitSeconds, limitMilliseconds: limitMilliseconds, elapsed: ContinuousClock.now - started)
    }
}

/// How long a failed query ran, against the statement time limit.
struct _QueryTime: Sendable {
    let limitSeconds: Int
    let limitMilliseconds: Int
    let elapsed: Duration

    /// Whether the query ran at least as long as the limit. The server starts its clock
    /// after the query was sent, so a query it stopped for time ran that long here too; one
    /// cancelled sooner was cancelled by someone (`pg_cancel_backend`), not by the limit.
    var reachedLimit: Bool { elapsed >= .milliseconds(limitMilliseconds) }
}

/// A result handed from a task to a waiting thread.
private final class _ResultBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<T, any Error>?

    func set(_ value: Result<T, any Error>) { lock.withLock { result = value } }

    func get() throws -> T {
        guard let result = lock.withLock({ result }) else {
            throw FairleadError(.internalFailure, "a database call ended without a result")
        }
        return try result.get()
    }
}
