import FairleadCore
import Foundation
import GRDB

extension HistoryStore {
    /// Appends a report that completes an earlier entry with late labels (the audit
    /// layer makes it: `Audit.completing(entry:in:labels:…)`; the history only stores
    /// it), as a new entry that `completes` the original and has its `as_of`.
    ///
    /// The entry completed is the one the report's `late_labels.completes` names; its
    /// report must still have the SHA-256 recorded there. The original entry is never changed.
    ///
    /// `reruns` marks the entry as a re-run of an earlier completion with the same labels
    /// (``earlierCompletion(like:)``), appended again on purpose.
    ///
    /// - Throws: `FairleadError(.usage)` when the report completes no entry or names one
    ///   the history lacks, `.invalidData` when that entry's report is not the one completed.
    @discardableResult
    public func appendCompletion(_ report: AuditReport, reruns: Int64? = nil, recordedAt: Date = Date()) throws -> HistoryEntry {
        guard let completes = report.lateLabels?.completes else {
            throw FairleadError(.usage, "the report completes no history entry (it has no late_labels.completes)",
                                at: SourceLocation(file: path))
        }
        guard let original = try entry(completes.entry) else {
            throw try missingEntry(completes.entry)
        }
        guard original.reportSHA256 == completes.reportSha256 else {
            throw FairleadError(.invalidData,
                                "the report completes entry \(completes.entry) with SHA-256 \(completes.reportSha256.prefix(12))…, but that entry's report has \(original.reportSHA256.prefix(12))…",
                                at: SourceLocation(file: path))
        }
        let asOf = try HistoryTime.parse(original.asOf, option: "as_of of entry \(original.id)")
        return try append(report, asOf: asOf, completes: original.id, reruns: reruns, recordedAt: recordedAt)
    }

    /// The entry that already completes the entry `report` completes with the same labels:
    /// the same labels file (by the SHA-256 of its bytes) joined on the same columns, or a
    /// file that gives every lead the same label (``AuditReport/LateLabelsInfo/joinedSha256``:
    /// CRLF line ends, rows reordered); the latest such entry, or `nil`. The entry completed fixes the profile and the data
    /// (both by SHA-256), so such a completion is the same audit again.
    ///
    /// `fairlead history label` appends no entry for it unless asked to (`--rerun`), as
    /// `fairlead audit --history` does for a re-run (``earlierRun(of:asOf:)``). A redacted
    /// entry's labels went with its report: it cannot be matched.
    ///
    /// - Returns: the entry, and whether it read the same file (`false`: other bytes that
    ///   give every lead the same label), for the message that names it.
    public func earlierCompletion(like report: AuditReport) throws -> (entry: HistoryEntry, sameFile: Bool)? {
        guard let labels = report.lateLabels, let completes = labels.completes else { return nil }
        // The entry completed, and the runs of the same audit (re-runs, and the runs they
        // repeat): the same labels joined to any of them are the same completion again.
        let runs = try runsOfTheSameAudit(as: completes.entry)
        let candidates = try read { db in
            try Row.fetchAll(db, sql: "SELECT \(try Self.entryColumns(db)) FROM entry WHERE completes IN (\(runs.sorted().map(String.init).joined(separator: ", "))) ORDER BY id DESC")
                .map { try Self.entry($0) }
        }
        let redacted = try redactedEntryIDs()
        for candidate in candidates where !redacted.contains(candidate.id) {
            guard let earlier = try self.report(of: candidate.id).lateLabels else { continue }
            let sameFile = earlier.sha256 == labels.sha256 && earlier.idColumn == labels.idColumn && earlier.labelColumn == labels.labelColumn
            // Other bytes that give every lead the same label are the same labels too.
            let sameJoin = earlier.joinedSha256 != nil && earlier.joinedSha256 == labels.joinedSha256
            if sameFile || sameJoin, earlier.completes.map({ runs.contains($0.entry) }) == true {
                return (candidate, sameFile)
            }
        }
        return nil
    }

    /// `entry` and every entry that re-runs it or that it re-runs, directly or through
    /// others (``HistoryEntry/reruns``): the runs of one audit. Only `entry` in a history
    /// from before re-runs.
    public func runsOfTheSameAudit(as entry: Int64) throws -> Set<Int64> {
        let links = try read { try Self.rerunLinks($0) }
        let root = Self.firstRun(of: entry, links: links)
        return Set(links.keys.filter { Self.firstRun(of: $0, links: links) == root } + [root, entry])
    }
}
