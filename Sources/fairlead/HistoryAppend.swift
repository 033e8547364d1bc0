import Fairlead
import Foundation

/// How `fairlead audit --history` records a report: appended as a new entry, unless an
/// entry already holds the same profile on the same data as of the same `--as-of`.
/// Without `--as-of` an audit describes "now", so every run is a new entry.
enum HistoryAppend {
    /// Appends `report`, or says on standard error which entry already holds it. With
    /// `rerun`, appends it anyway, marked as a re-run of that entry. The exit code is the
    /// report's either way: the caller still prints it and exits by its verdicts.
    static func record(_ report: AuditReport, in store: HistoryStore, asOf: Date?, rerun: Bool) throws {
        let earlier = try asOf.flatMap { try store.earlierRun(of: report, asOf: $0) }
        if let earlier, !rerun {
            writeToStandardError("fairlead: entry \(earlier.id) of \(store.path) already holds \(report.profile.name) "
                                 + "(profile SHA-256 \(report.profile.sha256.prefix(12))…) on this data (SHA-256 \(report.data.sha256.prefix(12))…) as of \(earlier.asOf); appended nothing "
                                 + "(pass --rerun to append a re-run)")
            return
        }
        // Appended and said together: a signal between the two would leave the entry unsaid.
        try ProcessSignals.deferringSignals {
            let entry = try store.append(report, asOf: asOf, reruns: earlier?.id)
            writeToStandardError("fairlead: appended entry \(entry.id) to \(store.path)"
                                 + appendedWhat(earlier: earlier, rerun: rerun, report: report, asOf: entry.asOf))
        }
    }

    /// What an appended entry is, after `appended entry N to FILE`: a re-run of an entry,
    /// not a re-run when one was asked for and nothing matched (a mistyped --as-of is
    /// not taken for the re-run it was meant to be), or nothing more.
    private static func appendedWhat(earlier: HistoryEntry?, rerun: Bool, report: AuditReport, asOf: String) -> String {
        if let earlier { return ", a re-run of entry \(earlier.id)" }
        return rerun ? ", not a re-run: no entry holds \(report.profile.name) on this data as of \(asOf)" : ""
    }
}
