import FairleadCore
import Foundation

extension HistoryStore {
    /// Completes a past audit whose labels arrived late, and appends the completed report
    /// as a new entry that `completes` the original.
    ///
    /// The original report records its profile files and data file with their SHA-256:
    /// both are read again (from `profilePath` / `dataPath` when they moved) and must be
    /// byte-identical, so that the completed report audits exactly what the original did.
    /// The labels are joined on the profile's `data.id` column (``LateLabels``) and the
    /// audit runs again with the same settings and seed, adding label-dependent metrics
    /// and rules. Rows whose label is still unknown are left out (`missing_label`), as in
    /// any audit; with every label present the label-free numbers are the original's
    /// exactly. A drift check, if the profile has one, compares with the original's baseline.
    ///
    /// - Returns: the new entry and its report.
    /// - Throws: `FairleadError` when the entry is missing, was an ad hoc audit (no
    ///   profile file), or its profile or data changed since.
    public func complete(entry id: Int64, labels: LateLabels, profilePath: String? = nil, dataPath: String? = nil,
                         threads: Int, clock: @escaping @Sendable () -> Date = { Date() },
                         recordedAt: Date = Date()) throws -> (entry: HistoryEntry, report: AuditReport) {
        let original = try report(of: id)
        guard let originalEntry = try entry(id) else {
            throw FairleadError(.usage, "entry \(id) is not in the history", at: SourceLocation(file: path))
        }
        guard let profileFile = profilePath ?? original.profile.files.first else {
            throw FairleadError(.usage, "entry \(id) was an ad hoc audit without a profile file; give the profile it used with --profile")
        }
        var profile = try AuditProfile.load(path: profileFile)
        let source = dataPath ?? original.data.source
        let digest = try Audit(profile: profile, dataPath: source, threads: threads).profileDigest()
        guard digest == original.profile.sha256 else {
            throw FairleadError(.invalidData,
                                "the profile changed since entry \(id) was audited (SHA-256 \(digest.prefix(12))…, the report recorded \(original.profile.sha256.prefix(12))…); the completed audit must use the same profile",
                                at: SourceLocation(file: profileFile))
        }
        let fingerprint = try ContentDigest.sha256(ofFile: source)
        guard fingerprint.hex == original.data.sha256 else {
            throw FairleadError(.invalidData,
                                "the data changed since entry \(id) was audited (SHA-256 \(fingerprint.hex.prefix(12))…, the report recorded \(original.data.sha256.prefix(12))…); give the file that was audited with --data",
                                at: SourceLocation(file: source))
        }
        // The labels come from the labels file only.
        profile.data.label = nil
        var audit = try Audit(profile: profile, dataPath: source, threads: threads, clock: clock)
        var joined = labels
        joined.completes = AuditReport.CompletedEntry(entry: id, reportSha256: originalEntry.reportSHA256)
        audit.lateLabels = joined
        if profile.drift != nil {
            audit.driftBaseline = try sameBaseline(as: original)
        }
        let report = try audit.run()
        let asOf = try HistoryTime.parse(originalEntry.asOf, option: "as_of of entry \(id)")
        let entry = try append(report, asOf: asOf, completes: id, recordedAt: recordedAt)
        return (entry, report)
    }

    /// The baseline the original report's drift check used.
    private func sameBaseline(as original: AuditReport) throws -> DriftBaseline.Resolution {
        guard let drift = original.drift else {
            return .unavailable("the audit this completes had no drift check")
        }
        if let entry = drift.baseline?.entry {
            return .found(try DriftBaseline.entry(entry, in: self))
        }
        if let file = drift.baseline?.file {
            return .found(try DriftBaseline.file(file))
        }
        return .unavailable(drift.notes.first ?? "the audit this completes had no baseline")
    }
}
