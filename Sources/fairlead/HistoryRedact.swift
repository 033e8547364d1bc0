import ArgumentParser
import Fairlead
import Foundation

/// `fairlead history redact`: remove the reports of old entries, keep the chain.
struct HistoryRedact: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redact",
        abstract: "Remove the reports of entries recorded before a date, keeping their hashes so the history still verifies.",
        discussion: """
            Without --yes nothing changes: the entries that would be redacted are listed. \
            With --yes each such entry's report is removed (its id, times, profile, verdicts, \
            hashes and per-group metric rows stay), the redaction is recorded in the history, \
            and the file is vacuumed so the removed bytes are gone from it. `history verify` \
            still passes and lists the redacted entries; `history show --entry N` of one says \
            it was redacted (docs/history.md).

              fairlead history redact --history audits.sqlite --before 2026-01-01
              fairlead history redact --history audits.sqlite --before 2026-01-01 --yes
            """
    )

    @OptionGroup var history: HistoryFileOption

    @Option(help: "Redact entries recorded before this date (2026-01-01, midnight UTC) or time (2026-01-01T09:00:00Z, 2026-01-01T09:00:00.250Z: to the millisecond).")
    var before: String

    @Flag(help: "Redact; without it, only list what would be redacted.")
    var yes = false

    @OptionGroup var limits: LimitsOption<HistoryRedact>

    func run() throws {
        let date = try HistoryTime.parse(before, option: "--before")
        guard yes else {
            let store = try HistoryStore.openForReading(path: history.path)
            try store.requireIntactSchema()
            let candidates = try store.redactionCandidates(before: date)
            var lines: [String]
            if candidates.isEmpty {
                lines = ["nothing to redact: no entry recorded before \(HistoryTime.instantString(date)) still holds its report"]
            } else {
                lines = ["would redact \(Self.count(candidates.count)) recorded before \(HistoryTime.instantString(date)) (nothing changed; add --yes to redact):"]
                lines += candidates.map { entry in
                    "  entry \(entry.id)  recorded \(entry.recordedAt)  as of \(HistoryTime.display(entry.asOf))  \(TerminalEscaping.visible(entry.profile))  \(entry.status.rawValue)"
                }
            }
            try OutputSink.printLines(lines)
            return
        }
        let limits = try limits.applied()
        try HistoryStore.verifyBeforeRedacting(path: history.path, limits: limits)
        let store = try HistoryStore(path: history.path, create: false, limits: limits)
        guard let redaction = try store.redact(before: date) else {
            try OutputSink.printLines(["nothing to redact: no entry recorded before \(HistoryTime.instantString(date)) still holds its report"])
            return
        }
        let ids = redaction.entries.map { String($0.entry) }.joined(separator: ", ")
        try OutputSink.printLines(["redacted \(Self.count(redaction.entries.count)) recorded before \(HistoryTime.instantString(date)) (redaction \(redaction.id)): \(ids)"])
        writeToStandardError("fairlead: reports removed and the file vacuumed; `fairlead history verify` lists the redacted entries")
    }

    static func count(_ count: Int) -> String { count == 1 ? "1 entry" : "\(count) entries" }
}

extension HistoryRedact: LimitedCommand {
    static let limitsHit: Set<Limits.Name> = [.memoryBudgetBytes]
    static let limitsReads = "verifies the history first, decoding each report whole"
    var readsProfile: Bool { false }
}
