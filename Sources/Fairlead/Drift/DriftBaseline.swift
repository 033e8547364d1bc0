import FairleadCore
import Foundation

/// The earlier audit a re-audit's drift check compares with: a history entry's report or
/// a report file.
///
///     var audit = try Audit(profile: profile)
///     audit.driftBaseline = try DriftBaseline.resolve(profile.drift!, profile: profile.name, history: history)
///     let report = try audit.run()          // report.drift compares with the baseline
public struct DriftBaseline: Sendable, Equatable {
    /// The baseline audit's report.
    public var report: AuditReport
    /// SHA-256 (hex) of the baseline's report JSON as stored.
    public var reportSHA256: String
    /// Its history entry, when it came from the history.
    public var entry: Int64?
    /// Its file, when pinned to one.
    public var file: String?
    /// The time its data describes, when the history recorded one.
    public var asOf: String?

    public init(report: AuditReport, reportSHA256: String, entry: Int64? = nil, file: String? = nil, asOf: String? = nil) {
        self.report = report
        self.reportSHA256 = reportSHA256
        self.entry = entry
        self.file = file
        self.asOf = asOf
    }

    /// A baseline, or why there is none (a drift check then reports that reason).
    public enum Resolution: Sendable, Equatable {
        case found(DriftBaseline)
        case unavailable(String)
    }

    /// Finds the baseline the profile's `drift:` section names.
    ///
    /// `last_passing` is the entry of `profile` in `history` whose rules passed and whose
    /// drift check did not fail that describes the latest time before the audit's
    /// (``HistoryStore/lastPassing(profile:before:inclusive:)``; unavailable when none
    /// has yet, or when no history is given); `pinned: N` is entry N of `history`
    /// (unavailable until it exists); `pinned: FILE` a report file.
    ///
    /// - Parameter asOf: the time the audit's data describes (`--as-of`): `last_passing`
    ///   is an entry describing an earlier time, so a re-run of a week never compares with
    ///   a run of that week, nor a week audited late with a later one. `nil`, an audit of
    ///   the present: any entry describing a time up to `now`.
    /// - Throws: `FairleadError` when a pinned entry's report was edited, or a pinned
    ///   file cannot be read as a report (or holds more than `limits.maxFileBytes`).
    public static func resolve(_ spec: AuditProfile.DriftSpec, profile: String, history: HistoryStore?, asOf: Date? = nil,
                               now: Date = Date(), limits: Limits = Limits()) throws -> Resolution {
        switch spec.baseline {
        case .reportFile(let path):
            return .found(try file(path, limits: limits))
        case .entry(let id):
            guard let history else {
                return .unavailable("the baseline is history entry \(id), and no history was given")
            }
            guard let pinned = try history.entry(id) else {
                // The first audits of a new history come before the entry they will pin.
                return .unavailable("the pinned baseline, entry \(id), is not in the history yet")
            }
            // A re-run of the baseline's own audit (a cron retry of that week, `--rerun`)
            // compared the week with itself and reported no drift, which the history then
            // recorded as a pass.
            if let asOf, pinned.asOf == HistoryTime.string(asOf), pinned.profile == profile {
                return .unavailable("the pinned baseline, entry \(id), is an audit of profile '\(MessageQuote.clipped(profile))' as of \(HistoryTime.display(pinned.asOf)), the time this audit describes: a re-run of the baseline is not compared with itself")
            }
            do {
                return .found(try entry(id, in: history))
            } catch var error as FairleadError where error.kind == .usage && (try? history.redaction(of: id)) != nil {
                // Every weekly audit stopped here, saying only that the report is gone.
                error.message += "; pin another entry (`drift.baseline: {pinned: N}`), a report file kept apart (`{pinned: baseline.json}`), or compare with `last_passing`"
                error.location = SourceLocation(file: error.location?.file, field: "drift.baseline")
                throw error
            }
        case .lastPassing:
            guard let history else {
                return .unavailable("the baseline is the last passing audit in the history, and no history was given")
            }
            let bound = HistoryTime.string(asOf ?? now)
            let when = asOf.map { " describing a time before \(HistoryTime.display(HistoryTime.string($0)))" } ?? ""
            guard let passing = try history.lastPassing(profile: profile, before: bound, inclusive: asOf == nil) else {
                return .unavailable(asOf == nil
                    ? "no audit of profile '\(profile)' in the history has passed yet; pin a baseline with `baseline: {pinned: ENTRY}`"
                    : "no audit of profile '\(profile)' in the history\(when) passed; pin a baseline with `baseline: {pinned: ENTRY}`")
            }
            // A retention policy redacts old reports; when the last passing audit is one of
            // them, every later audit would stop on it. There is nothing to compare with:
            // the drift check says so, and the audit is recorded.
            if try history.redactedEntryIDs().contains(passing.id) {
                return .unavailable("the last passing audit of profile '\(profile)'\(when), entry \(passing.id), was redacted (`fairlead history redact`): its report is gone, so there is nothing to compare with; pin a baseline with `baseline: {pinned: ENTRY}` or a report file")
            }
            // The entry's columns chose it; the hash chain covers its report, not those
            // columns: the report (checked by its SHA-256) must say the same.
            let baseline = try entry(passing.id, in: history)
            let report = baseline.report
            guard report.profile.name == profile, report.status == .pass || report.status == .noRules,
                  report.drift?.status != .fail else {
                throw FairleadError(.invalidData,
                                    "entry \(passing.id) is listed as a passing audit of '\(MessageQuote.clipped(profile))', but its report says \(report.status.rawValue)\(report.drift.map { " (drift: \($0.status.rawValue))" } ?? "") for '\(MessageQuote.clipped(report.profile.name))': the history was edited; run `fairlead history verify`",
                                    at: SourceLocation(file: history.path))
            }
            return .found(baseline)
        }
    }

    /// Entry `id` of `history`, its report checked against its SHA-256 and read within
    /// the history's limits (``HistoryStore/report(of:)``).
    public static func entry(_ id: Int64, in history: HistoryStore) throws -> DriftBaseline {
        let report = try history.report(of: id)
        guard let entry = try history.entry(id) else {
            throw try history.missingEntry(id)
        }
        return DriftBaseline(report: report, reportSHA256: entry.reportSHA256, entry: id, asOf: entry.asOf)
    }

    /// A report file written by `fairlead audit --format json`, of at most
    /// `limits.maxFileBytes`, decoded once planned within `limits.memoryBudgetBytes`.
    public static func file(_ path: String, limits: Limits = Limits()) throws -> DriftBaseline {
        let data = try BoundedFile.read(path, limits: limits, kind: .invalidData, what: "baseline report", text: "a JSON report")
        let report = try AuditReport.decode(json: data, source: path, limits: limits)
        return DriftBaseline(report: report, reportSHA256: ContentDigest.sha256(data), file: path)
    }

    /// What the drift section records of the baseline.
    var info: AuditReport.DriftBaselineInfo {
        AuditReport.DriftBaselineInfo(entry: entry, file: file, profile: report.profile.name, generatedAt: report.generatedAt,
                                      asOf: asOf, status: report.status, reportSha256: reportSHA256,
                                      dataSha256: report.data.sha256)
    }
}
