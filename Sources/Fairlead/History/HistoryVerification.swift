/// What `verify` found in a history: nothing when it is intact, else each problem with
/// the entry it is at.
public struct HistoryVerification: Sendable, Equatable {
    /// One sign of tampering (or of damage).
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// What was found.
        public enum Kind: String, Sendable, Equatable {
            /// A report's bytes no longer match the SHA-256 its entry recorded.
            case editedReport = "edited_report"
            /// A metric row differs from the number in the stored report, or is missing or extra.
            case editedMetricRow = "edited_metric_row"
            /// An entry's fields no longer give its recorded hash, or its copies of the
            /// report's profile or verdicts differ from the report.
            case editedEntry = "edited_entry"
            /// Entry ids skip, or the chain head records more entries than there are.
            case deletedEntry = "deleted_entry"
            /// An entry's link does not match the previous entry's hash.
            case brokenChain = "broken_chain"
            /// A head hash recorded earlier is not in the chain.
            case unknownHead = "unknown_head"
            /// A report that cannot be read.
            case unreadableReport = "unreadable_report"
            /// A table or column of the history's schema is missing (dropped).
            case damagedSchema = "damaged_schema"
            /// The SQLite file itself is damaged (a torn, truncated or overwritten page).
            case damagedFile = "damaged_file"
            /// A privacy ledger row was edited or deleted (its chain is broken).
            case editedLedger = "edited_ledger"
            /// A redaction record was edited or deleted, or an entry it redacted still
            /// holds a report.
            case editedRedaction = "edited_redaction"
        }

        /// What was found.
        public var kind: Kind
        /// The entry the problem is at; `nil` for the history as a whole.
        public var entry: Int64?
        /// What is wrong, in words.
        public var message: String

        public init(kind: Kind, entry: Int64?, message: String) {
            self.kind = kind
            self.entry = entry
            self.message = message
        }

        public var description: String {
            (entry.map { "entry \($0): " } ?? "") + message
        }
    }

    /// Entries read.
    public var entryCount: Int
    /// The last entry's hash: record it outside the history, and pass it to a later
    /// `verify(expectingHead:)` to prove that no entry up to it was rewritten.
    public var head: String
    /// Each problem found, in entry order, then those of the history as a whole.
    public var problems: [Problem]
    /// The entries whose reports a recorded redaction removed, by id: their hashes still
    /// chain, their reports cannot be checked any more.
    public var redacted: [RedactedEntry]

    /// An entry redacted by `fairlead history redact`.
    public struct RedactedEntry: Sendable, Equatable {
        public var entry: Int64
        /// The redaction that removed its report, and when it ran.
        public var redaction: Int64
        public var redactedAt: String
        public init(entry: Int64, redaction: Int64, redactedAt: String) {
            self.entry = entry
            self.redaction = redaction
            self.redactedAt = redactedAt
        }
    }

    public init(entryCount: Int, head: String, problems: [Problem], redacted: [RedactedEntry] = []) {
        self.entryCount = entryCount
        self.head = head
        self.problems = problems
        self.redacted = redacted
    }

    /// Whether no problem was found.
    public var isIntact: Bool { problems.isEmpty }

    /// A file SQLite finds damaged, `reason` in its words: that problem alone, as nothing
    /// else of the file can be trusted (no entries counted, no head).
    static func damagedFile(_ reason: String) -> HistoryVerification {
        HistoryVerification(entryCount: 0, head: "", problems: [.init(kind: .damagedFile, entry: nil, message: "the file is damaged (\(reason))")])
    }
}
