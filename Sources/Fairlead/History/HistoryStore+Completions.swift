import FairleadCore
import Foundation

extension HistoryStore {
    /// Appends a report that completes an earlier entry with late labels (the audit
    /// layer makes it: `Audit.completing(entry:in:labels:…)`; the history only stores
    /// it), as a new entry that `completes` the original and has its `as_of`.
    ///
    /// The entry completed is the one the report's `late_labels.completes` names; its
    /// report must still have the SHA-256 recorded there. The original entry is never changed.
    ///
    /// - Throws: `FairleadError(.usage)` when the report completes no entry or names one
    ///   the history lacks, `.invalidData` when that entry's report is not the one completed.
    @discardableResult
    public func appendCompletion(_ report: AuditReport, recordedAt: Date = Date()) throws -> HistoryEntry {
        guard let completes = report.lateLabels?.completes else {
            throw FairleadError(.usage, "the report completes no history entry (it has no late_labels.completes)",
                                at: SourceLocation(file: path))
        }
        guard let original = try entry(completes.entry) else {
            throw FairleadError(.usage, "entry \(completes.entry) is not in the history", at: SourceLocation(file: path))
        }
        guard original.reportSHA256 == completes.reportSha256 else {
            throw FairleadError(.invalidData,
                                "the report completes entry \(completes.entry) with SHA-256 \(completes.reportSha256.prefix(12))…, but that entry's report has \(original.reportSHA256.prefix(12))…",
                                at: SourceLocation(file: path))
        }
        let asOf = try HistoryTime.parse(original.asOf, option: "as_of of entry \(original.id)")
        return try append(report, asOf: asOf, completes: original.id, recordedAt: recordedAt)
    }
}
