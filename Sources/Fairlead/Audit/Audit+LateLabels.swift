import FairleadCore
import Foundation

extension Audit {
    /// The files completing entry `id` reads besides the history and the labels: its
    /// profile (with the files it extends) and its data, as given or as the entry's report
    /// recorded them — which no output may overwrite (`history label --out`).
    public static func completionInputs(entry id: Int64, in history: HistoryStore, profilePath: String?,
                                        dataPath: String?) throws -> CompletionInputs {
        let original = try history.report(of: id)
        return CompletionInputs(profiles: profilePath.map { [$0] } ?? original.profile.files,
                                data: dataPath ?? original.data.source,
                                recordedProfile: profilePath == nil ? original.profile.files.first : nil,
                                recordedData: dataPath == nil ? original.data.source : nil)
    }

    /// The files ``completing(entry:in:labels:profilePath:dataPath:threads:reading:limits:clock:)``
    /// reads besides the history and the labels.
    ///
    /// A path the entry's report recorded is the path as the audit was given it: a
    /// relative one is read relative to the current directory, which need not be the one
    /// the audit ran in. `recordedProfile` and `recordedData` say which paths came from the
    /// report, so that a caller can say so when one is missing.
    public struct CompletionInputs: Sendable, Equatable {
        /// The profile and the files it extends.
        public var profiles: [String]
        /// The data file.
        public var data: String
        /// The profile path read from the report, when none was given (`nil` also for an
        /// ad hoc audit, which recorded none).
        public var recordedProfile: String?
        /// The data path read from the report, when none was given.
        public var recordedData: String?

        /// Every file, for the outputs that may not overwrite one.
        public var paths: [String] { profiles + [data] }
    }

    /// The audit of history entry `id`, completed with labels that arrived late; nothing
    /// is appended (``HistoryStore/appendCompletion(_:reruns:recordedAt:)`` does that).
    ///
    ///     let completed = try Audit.completing(entry: 12, in: history, labels: LateLabels(
    ///         path: "outcomes.csv", idColumn: "lead_id", labelColumn: "converted"), threads: 4)
    ///     try history.appendCompletion(completed)
    ///
    /// The original report records its profile files and data file with their SHA-256:
    /// both are read again (from `profilePath` / `dataPath` when they moved) and must be
    /// byte-identical, so that the completed report audits exactly what the original did.
    /// The labels are joined on the profile's `data.id` column (``LateLabels``) and the
    /// audit runs again with the same settings and seed, adding label-dependent metrics
    /// and rules. Rows whose label is still unknown are left out (`missing_label`), as in
    /// any audit; with every label present the label-free numbers and their intervals are
    /// the original's exactly (the bootstrap draws them apart from the label-dependent
    /// ones, see ``BootstrapStream``). A drift check, if the profile has one, compares
    /// with the original's baseline.
    ///
    /// An ad hoc audit (no profile file) is completed with the profile rebuilt from its
    /// report (``AuditProfile/rebuiltAdHoc(from:entry:)``), which must have the SHA-256 the
    /// report recorded; its data is joined to the labels on the column named like the labels
    /// file's id column, since an ad hoc profile names none.
    ///
    /// - Throws: `FairleadError` when the entry is missing, was an ad hoc audit whose
    ///   profile cannot be rebuilt, or its profile or data changed since.
    ///
    /// `adjust` sets the limits of the reading over the profile's (the CLI's limit flags).
    public static func completing(entry id: Int64, in history: HistoryStore, labels: LateLabels,
                                  profilePath: String? = nil, dataPath: String? = nil, threads: Int,
                                  reading: ProfileReading = ProfileReading(),
                                  limits adjust: (Limits) -> Limits = { $0 },
                                  clock: @escaping @Sendable () -> Date = { Date() }) throws -> AuditReport {
        try completing(entry: id, in: history, labels: labels, profilePath: profilePath, dataPath: dataPath,
                       threads: { _ in threads }, reading: reading, limits: adjust, clock: clock)
    }

    /// ``completing(entry:in:labels:profilePath:dataPath:threads:reading:limits:clock:)``
    /// with the thread count chosen once the limits are known: `threads` is given the
    /// profile's limits with `adjust` applied, and may throw (`fairlead history label
    /// --threads` is checked against them, as `fairlead audit --threads` is).
    public static func completing(entry id: Int64, in history: HistoryStore, labels: LateLabels,
                                  profilePath: String? = nil, dataPath: String? = nil,
                                  threads threadCount: (Limits) throws -> Int,
                                  reading: ProfileReading = ProfileReading(),
                                  limits adjust: (Limits) -> Limits = { $0 },
                                  clock: @escaping @Sendable () -> Date = { Date() }) throws -> AuditReport {
        let original = try history.report(of: id)
        guard let originalEntry = try history.entry(id) else {
            throw try history.missingEntry(id)
        }
        // Labels are joined to the audit they were missing from, once: a completion
        // already has its labels (joining others would replace them, silently).
        if let completed = originalEntry.completes ?? original.lateLabels?.completes?.entry {
            let file = original.lateLabels.map { " with the labels of \(MessageQuote.clipped($0.source, limit: 1_000))" } ?? ""
            throw FairleadError(.usage,
                                "entry \(id) is itself a completion: it completed entry \(completed)\(file); complete entry \(completed) instead (--entry \(completed)), with a labels file holding every label known now",
                                at: SourceLocation(file: history.path))
        }
        var profile: AuditProfile
        if let profileFile = profilePath ?? original.profile.files.first {
            profile = try AuditProfile.load(path: profileFile, reading: reading)
        } else {
            // An ad hoc audit: its report records every flag that made its profile, and the
            // rebuilt profile must have the recorded SHA-256.
            profile = try AuditProfile.rebuiltAdHoc(from: original, entry: id)
        }
        try checkHadNoLabels(original, entry: id, labelColumn: profile.data.label, profile: profile)
        // Limits bound the reading, not the result: raising one keeps the profile's digest.
        let limits = adjust(profile.limits)
        let threads = try threadCount(limits)
        // Standard input now is not what the audit read then.
        if dataPath == nil, original.data.source == "-" {
            throw FairleadError(.usage, "entry \(id) was audited from standard input (--data -), which is not kept; pass --data PATH with the data that was audited (its SHA-256 must match the report's, \(original.data.sha256.prefix(12))…)")
        }
        let source = dataPath ?? original.data.source
        let digest = try Audit(profile: profile, dataPath: source, threads: threads).profileDigest()
        guard digest == original.profile.sha256 else {
            if original.profile.files.isEmpty {
                throw FairleadError(.usage,
                                    "entry \(id) was audited without a profile file, so no profile file has the SHA-256 it recorded (\(original.profile.sha256.prefix(12))…); leave out --profile: an ad hoc audit's profile is rebuilt from its report",
                                    at: SourceLocation(file: profile.sourceFiles.first))
            }
            // A profile that extends others records one SHA-256 per file, joined by "+":
            // the message names the file that changed, with its own digests.
            let now = digest.split(separator: "+").map(String.init)
            let then = original.profile.sha256.split(separator: "+").map(String.init)
            let changed = now.indices.first { $0 >= then.count || now[$0] != then[$0] }
            let file = changed.flatMap { $0 < profile.sourceFiles.count ? profile.sourceFiles[$0] : nil }
            if let changed, let file, now.count == then.count {
                throw FairleadError(.invalidData,
                                    "the profile changed since entry \(id) was audited: \(MessageQuote.clipped(file, limit: 1_000)), one of the files it is made of, has SHA-256 \(now[changed].prefix(12))…, the report recorded \(then[changed].prefix(12))…; the completed audit must use the same profile",
                                    at: SourceLocation(file: profile.sourceFiles.first))
            }
            throw FairleadError(.invalidData,
                                "the profile changed since entry \(id) was audited (\(now.count == then.count ? "" : "now \(now.count) files, then \(then.count); ")SHA-256 \(digest.prefix(12))…, the report recorded \(original.profile.sha256.prefix(12))…); the completed audit must use the same profile",
                                at: SourceLocation(file: profile.sourceFiles.first))
        }
        // The labels come from the labels file only. An ad hoc profile names no id column:
        // the data's is the one the labels file's id column is called.
        let profileLabel = profile.data.label
        profile.data.label = nil
        if profile.sourceFiles.isEmpty && profile.data.id == nil { profile.data.id = labels.idColumn }
        profile.limits = limits
        var audit = try Audit(profile: profile, dataPath: source, threads: threads, clock: clock)
        // The same profile, now with labels: the completed report records the original's SHA-256.
        audit.recordedProfileSHA256 = original.profile.sha256
        audit.idPseudonymizer = try profile.privacy?.pseudonymizer(reading: reading)
        audit.requiredData = RequiredData(sha256: original.data.sha256, entry: id)
        var joined = labels
        joined.completes = AuditReport.CompletedEntry(entry: id, reportSha256: originalEntry.reportSHA256)
        audit.lateLabels = joined
        if profile.drift != nil {
            audit.driftBaseline = try sameBaseline(as: original, in: history, limits: profile.limits)
        }
        let completed = try audit.run()
        try checkSameAudit(completed, as: original, entry: id, profile: profile, label: profileLabel)
        return completed
    }

    /// Refuses to complete an audit that had labels: the completion reads the labels from
    /// the labels file only, so the labels the data held (`labelColumn`, the profile's
    /// `data.label`) would be replaced without a word, and with them every label-dependent
    /// number. An audit whose label column held no label at all (every row
    /// `missing_label`) is completed as one without a label column.
    static func checkHadNoLabels(_ original: AuditReport, entry id: Int64, labelColumn: String?,
                                 profile: AuditProfile) throws {
        guard let labelColumn, original.data.columns.contains(labelColumn), original.rows.used > 0 else { return }
        let unlabelled = original.rows.excluded["missing_label"] ?? 0
        throw FairleadError(.usage,
                            "entry \(id) was audited with labels: its data's label column '\(MessageQuote.clipped(labelColumn))' labelled \(original.rows.used) of \(original.rows.read) rows\(unlabelled > 0 ? " (\(unlabelled) without a label)" : ""); a completion joins the labels an audit did not have, and would replace those; to judge the data with more labels, fill them into its label column and run `fairlead audit`",
                            at: SourceLocation(file: profile.sourceFiles.first))
    }

    /// Refuses a completion that judged another audit than the entry's: an audit with a
    /// profile file records the file's SHA-256, not the flags given over it (`--rule`,
    /// `--threshold`, `--top-k`, `--sensitive`, `--reference`, `--score`, `--score-range`),
    /// so the file alone passes the digest check and would complete the entry with the
    /// file's rules and decisions, silently. What the flags can change is what the report
    /// records (``AuditReport/ProfileContent``): compared here, the label column aside.
    /// `label` is the profile's label column, which the completion reads no more.
    static func checkSameAudit(_ completed: AuditReport, as original: AuditReport, entry id: Int64,
                               profile: AuditProfile, label: String?) throws {
        var differences: [String] = []
        func quoted(_ items: [String]) -> String {
            items.isEmpty ? "none" : ListWording.and(items.map { "'\(MessageQuote.clipped($0))'" })
        }
        func compare(_ part: String, _ recorded: [String], _ now: [String]) {
            guard recorded != now else { return }
            differences.append("\(part) (the entry: \(quoted(recorded)); now: \(quoted(now)))")
        }
        if let recorded = original.profile.rules, let now = completed.profile.rules {
            compare("its rules", recorded, now)
        }
        func decisions(_ report: AuditReport) -> [String] {
            report.decisions.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.rule)" }
        }
        compare("its decisions", decisions(original), decisions(completed))
        func references(_ report: AuditReport) -> [String] {
            report.decisions.sorted { $0.key < $1.key }.flatMap { name, decision in
                decision.attributes.sorted { $0.key < $1.key }.map { attribute, section in
                    // The group a method picks (the largest, the best) may change with the rows labelled.
                    "\(attribute) at \(name): " + (section.referenceMethod == "named"
                        ? "\(section.referenceGroup ?? "") (named)" : "the \(section.referenceMethod) group")
                }
            }
        }
        if decisions(original) == decisions(completed) {
            compare("its sensitive attributes and reference groups", references(original), references(completed))
        }
        let missing = original.data.columns.filter { $0 != label && !completed.data.columns.contains($0) }
        if !missing.isEmpty {
            differences.append("the columns it read (\(quoted(missing)) not read now)")
        }
        let (recordedRange, nowRange) = (original.profileContent, completed.profileContent)
        if recordedRange.recordsScoreScale && nowRange.recordsScoreScale
            && recordedRange.declaredScoreRange != nowRange.declaredScoreRange {
            func range(_ value: [Double]?) -> String { value.map { "[\($0.map { String($0) }.joined(separator: ", "))]" } ?? "none declared" }
            differences.append("its declared score range (the entry: \(range(recordedRange.declaredScoreRange)); now: \(range(nowRange.declaredScoreRange)))")
        }
        guard !differences.isEmpty else { return }
        throw FairleadError(.usage,
                            "entry \(id) was audited with flags over this profile file that it does not hold, so completing it with the file would judge another audit: "
                            + ListWording.and(differences)
                            + "; a completion uses the profile file alone: write those settings into a profile file and audit with it to complete an audit later",
                            at: SourceLocation(file: profile.sourceFiles.first))
    }

    /// The bytes a completed audit must read: the original's, by SHA-256.
    struct RequiredData: Sendable {
        var sha256: String
        /// The entry whose data it is, for the message.
        var entry: Int64

        /// - Throws: `FairleadError(.invalidData)` naming the data file when `fingerprint` differs.
        func check(_ fingerprint: String, source: String) throws {
            guard fingerprint != sha256 else { return }
            throw FairleadError(.invalidData,
                                "the data changed since entry \(entry) was audited (SHA-256 \(fingerprint.prefix(12))…, the report recorded \(sha256.prefix(12))…); give the file that was audited with --data",
                                at: SourceLocation(file: source))
        }
    }

    /// The baseline the original report's drift check used.
    private static func sameBaseline(as original: AuditReport, in history: HistoryStore,
                                     limits: Limits) throws -> DriftBaseline.Resolution {
        guard let drift = original.drift else {
            return .unavailable("the audit this completes had no drift check")
        }
        if let entry = drift.baseline?.entry {
            return .found(try DriftBaseline.entry(entry, in: history))
        }
        if let file = drift.baseline?.file {
            return .found(try DriftBaseline.file(file, limits: limits))
        }
        // Its reason was true when it was audited ("entry 1 is not in the history yet"), and
        // read as the completion's own it was false: said as the original's.
        return .unavailable("the audit this completes had no baseline, so neither has its completion"
                            + (drift.notes.first.map { " (it said: \($0))" } ?? ""))
    }
}
