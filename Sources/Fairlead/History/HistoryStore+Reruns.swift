import FairleadCore
import Foundation
import GRDB

extension HistoryStore {
    /// The entry that already holds an audit like `report`: the same profile (by name)
    /// on the same data (by the SHA-256 of its bytes) as of the same time, and not a
    /// completion with late labels; the latest such entry, or `nil`.
    ///
    /// `fairlead audit --history` appends no entry for such a re-run unless asked to
    /// (`--rerun`), and then records which entry it re-runs (``append(_:asOf:completes:reruns:recordedAt:)``).
    /// A different profile or different bytes are a different audit, even for the same week.
    ///
    /// - Parameter asOf: the time the data describes, as given to ``append(_:asOf:completes:reruns:recordedAt:)``
    ///   (an audit appended without one describes the time it ran, and is never a re-run).
    public func earlierRun(of report: AuditReport, asOf: Date) throws -> HistoryEntry? {
        let asOfText = HistoryTime.string(asOf)
        let candidates = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(try Self.entryColumns(db)) FROM entry
                WHERE profile = ? AND as_of = ? AND completes IS NULL ORDER BY id DESC
                """, arguments: [report.profile.name, asOfText]).map { try Self.entry($0) }
        }
        // A redacted entry's data SHA-256 went with its report: it cannot be matched.
        let redacted = try redactedEntryIDs()
        for candidate in candidates where !redacted.contains(candidate.id) {
            if try self.report(of: candidate.id).data.sha256 == report.data.sha256 { return candidate }
        }
        return nil
    }

    /// The `as_of` an entry gets: `asOf` as history time, or the report's `generated_at`.
    static func asOfText(_ asOf: Date?, report: AuditReport) -> String {
        asOf.map(HistoryTime.string) ?? report.generatedAt
    }
}
