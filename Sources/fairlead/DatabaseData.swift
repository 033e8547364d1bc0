import Fairlead
import FairleadPostgres

/// A profile whose rows are in PostgreSQL (`data.postgres`, docs/scale.md): the commands'
/// side of reading them — streamed through the CSV reader, or aggregated in the database
/// (`pushdown: true`) so that only the statistics come back.
enum DatabaseData {
    /// The database the command reads: the profile's, unless `--data` names a file.
    static func source(of profile: AuditProfile, data: String?) -> AuditProfile.PostgresSpec? {
        data == nil ? profile.data.postgres : nil
    }

    /// Runs `read` with `audit` reading the columns it needs, streamed from the database;
    /// `rowsRead` says how many rows the result holds, checked against the rows sent.
    static func streaming<T>(_ audit: Audit, spec: AuditProfile.PostgresSpec, progress: (@Sendable (String) -> Void)?,
                             _ read: (Audit) throws -> T, rowsRead: (T) -> Int?) throws -> T {
        let source = try PostgresSource(spec: spec, limits: audit.profile.limits,
                                        warning: { writeToStandardError("fairlead: warning: \($0)") })
        defer { source.close() }
        progress?("connecting to \(spec.displayName)")
        var streamed = audit
        let columns = try streamed.columnsToRead(header: try source.header())
        let stream = try source.stream(columns: columns)
        streamed.streamedInput = stream.input
        return try stream.reading({ try read(streamed) }, rowsRead: rowsRead)
    }

    /// The statistics part of the profile's aggregate query, run in the database.
    static func pushdown(profile: AuditProfile, spec: AuditProfile.PostgresSpec,
                         progress: (@Sendable (String) -> Void)?) throws -> StatisticsPart {
        // What needs the rows is refused before connecting.
        try StatisticsSupport.check(profile)
        let source = try PostgresSource(spec: spec, limits: profile.limits,
                                        warning: { writeToStandardError("fairlead: warning: \($0)") })
        defer { source.close() }
        progress?("running the aggregate query in \(spec.displayName)")
        return try source.statistics(profile: profile)
    }
}
