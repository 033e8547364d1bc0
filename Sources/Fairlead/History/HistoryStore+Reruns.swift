import FairleadCore
import Foundation
import GRDB

extension HistoryStore {
    /// The entry that already holds an audit like `report`: the same profile content
    /// (``AuditReport/ProfileContent``: its SHA-256 and what flags over it changed, not
    /// merely its name) on the same data (by the SHA-256 of its bytes) as of the same time,
    /// and not a completion with late labels; the latest such entry, or `nil`.
    ///
    /// `fairlead audit --history` appends no entry for such a re-run unless asked to
    /// (`--rerun`), and then records which entry it re-runs (``append(_:asOf:completes:reruns:recordedAt:)``).
    /// A different profile or different bytes are a different audit, even for the same week:
    /// two ad hoc audits (all called `ad-hoc`) with other rules, or two profile files that
    /// share a `name:`, are two entries.
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
        // The name narrows the search; the stored report decides. Every entry's report
        // records its profile's SHA-256, so entries of earlier versions are matched too.
        // A redacted entry's data and profile SHA-256 went with its report: it cannot be matched.
        let redacted = try redactedEntryIDs()
        let content = report.profileContent
        for candidate in candidates where !redacted.contains(candidate.id) {
            let earlier = try self.report(of: candidate.id)
            if earlier.data.sha256 == report.data.sha256 && earlier.profileContent.matches(content) { return candidate }
        }
        return nil
    }

    /// The `as_of` an entry gets: `asOf` as history time, or the report's `generated_at`.
    static func asOfText(_ asOf: Date?, report: AuditReport) -> String {
        asOf.map(HistoryTime.string) ?? report.generatedAt
    }

    /// The run `id` re-runs, through any chain of re-runs (`links`: a re-run → the entry
    /// it re-runs), or `id` itself. A re-run names an earlier entry (`history verify`
    /// checks it); a link that does not is followed no further, so an edited history
    /// cannot loop.
    static func firstRun(of id: Int64, links: [Int64: Int64]) -> Int64 {
        var current = id
        while let earlier = links[current], earlier < current { current = earlier }
        return current
    }

    /// Every re-run with the entry it re-runs (`entry.reruns`); none in a history from
    /// before re-runs, which has no such column.
    static func rerunLinks(_ db: Database) throws -> [Int64: Int64] {
        guard try entryColumnsPresent(db).contains("reruns") else { return [:] }
        return try storedRerunLinks(db)
    }

    /// ``rerunLinks(_:)`` of a history known to have the `reruns` column.
    static func storedRerunLinks(_ db: Database) throws -> [Int64: Int64] {
        var links: [Int64: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, reruns FROM entry WHERE reruns IS NOT NULL") {
            links[try column(row, "id")] = try column(row, "reruns")
        }
        return links
    }
}
