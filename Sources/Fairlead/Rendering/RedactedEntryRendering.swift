import FairleadCore
import Foundation

/// What `fairlead history show --entry N` prints for an entry whose report was redacted:
/// its metadata and the redaction, since the report itself is gone. Text from the file
/// (the profile name) is escaped for each medium.
public enum RedactedEntryRendering {
    /// The facts shown, in order, as label and value.
    static func facts(_ entry: HistoryEntry, _ redaction: HistoryRedaction) -> [(String, String)] {
        [("entry", String(entry.id)), ("profile", entry.profile), ("as of", HistoryTime.display(entry.asOf)),
         ("recorded", entry.recordedAt), ("status", entry.status.rawValue),
         ("drift", entry.driftStatus?.rawValue ?? "none"), ("report SHA-256", entry.reportSHA256),
         ("entry hash", entry.entryHash),
         ("redacted", "\(redaction.redactedAt) by redaction \(redaction.id) (entries recorded before \(redaction.before))")]
    }

    /// Ours, not the file's: Markdown prints its code span as code.
    static let note = "The report of this entry was removed by `fairlead history redact`; its metadata, hashes and per-group metric rows remain."

    /// Plain text for a terminal.
    public static func text(_ entry: HistoryEntry, redaction: HistoryRedaction) -> String {
        let facts = facts(entry, redaction)
        let width = facts.map(\.0.count).max() ?? 0
        return (["REDACTED  entry \(entry.id)", note, ""] + facts.map { label, value in
            label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + TerminalEscaping.visible(value)
        }).joined(separator: "\n") + "\n"
    }

    /// A Markdown table.
    public static func markdown(_ entry: HistoryEntry, redaction: HistoryRedaction) -> String {
        (["# History entry \(entry.id) (redacted)", "", note, "", "| | |", "|---|---|"]
         + facts(entry, redaction).map { "| \($0.0) | \(MarkdownEscaping.tableCell($0.1)) |" }).joined(separator: "\n") + "\n"
    }

    /// A JSON object: the facts with snake_case keys and `"redacted": true`.
    public static func json(_ entry: HistoryEntry, redaction: HistoryRedaction) throws -> String {
        struct Output: Encodable {
            var entry: Int64
            var profile: String
            var as_of: String
            var recorded_at: String
            var status: String
            var drift_status: String?
            var report_sha256: String
            var entry_hash: String
            var redacted: Bool
            var redaction: Redaction
            struct Redaction: Encodable {
                var id: Int64
                var redacted_at: String
                var before: String
            }
        }
        let output = Output(entry: entry.id, profile: entry.profile, as_of: entry.asOf, recorded_at: entry.recordedAt,
                            status: entry.status.rawValue, drift_status: entry.driftStatus?.rawValue,
                            report_sha256: entry.reportSHA256, entry_hash: entry.entryHash, redacted: true,
                            redaction: .init(id: redaction.id, redacted_at: redaction.redactedAt, before: redaction.before))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: JSONEscaping.escapingHidden(try encoder.encode(output)), as: UTF8.self) + "\n"
    }

    /// A standalone HTML page.
    public static func html(_ entry: HistoryEntry, redaction: HistoryRedaction) -> String {
        var table = HTMLTable(caption: "Entry \(entry.id)", header: ["", ""], numeric: [])
        table.labelColumns = []
        for (label, value) in facts(entry, redaction) { table.append([label, value], className: "") }
        let body: [Markup] = [.tag("h1", text: "History entry \(entry.id) (redacted)"), .tag("p", ["class": "meta"], text: note), table.markup]
        return HTMLPage.document(title: "History entry \(entry.id) (redacted)", body: [.tag("main", [:], body)])
    }
}
