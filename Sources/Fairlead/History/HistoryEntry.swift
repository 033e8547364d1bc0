import Foundation

/// One report in the audit history, with the hashes that chain it to the entries before.
///
/// The chain (docs/history.md): with `‖` the text of each field followed by a line feed,
///
///     entry_hash(n) = SHA-256("fairlead-history-v1" ‖ entry_hash(n−1) ‖ report_sha256(n)
///                             ‖ n ‖ recorded_at(n) ‖ as_of(n) ‖ completes(n))
///
/// hex-encoded in lowercase, with `entry_hash(0)` = 64 zeros, `n` in decimal and
/// `completes` empty when the entry completes none. An entry that re-runs an earlier
/// one (`fairlead audit --rerun`) adds one more field, `"reruns " + m ‖` with `m` the
/// earlier entry's id; other entries hash exactly as before re-runs were recorded, so
/// older histories still verify. Editing a report changes its
/// SHA-256; editing, deleting, inserting or reordering an entry breaks the link of the
/// entry after it.
public struct HistoryEntry: Sendable, Equatable {
    /// The entry's sequence number: 1, 2, 3, … in the order of appending.
    public var id: Int64
    /// When the report was appended, ISO 8601 UTC with milliseconds.
    public var recordedAt: String
    /// The time the audited data describes (`--as-of`), ISO 8601 UTC; the report's
    /// `generated_at` unless given. Trends are ordered by it.
    public var asOf: String
    /// The report's profile name, rules verdict and drift verdict (copies of the report's,
    /// for queries; `verify` checks they match).
    public var profile: String
    public var status: AuditReport.Verdict
    /// `nil` when the profile has no `drift:` section.
    public var driftStatus: AuditReport.Verdict?
    /// The entry whose report this one completes with late labels.
    public var completes: Int64?
    /// The earlier entry this one re-runs: the same profile on the same data (SHA-256)
    /// as of the same time, appended again on purpose (`fairlead audit --rerun`).
    public var reruns: Int64?
    /// SHA-256 (hex) of the report JSON stored with the entry.
    public var reportSHA256: String
    /// The previous entry's `entryHash` (64 zeros for the first entry).
    public var previousHash: String
    /// This entry's link in the chain (the formula above).
    public var entryHash: String

    public init(id: Int64, recordedAt: String, asOf: String, profile: String, status: AuditReport.Verdict,
                driftStatus: AuditReport.Verdict?, completes: Int64?, reruns: Int64? = nil, reportSHA256: String,
                previousHash: String, entryHash: String) {
        self.id = id
        self.recordedAt = recordedAt
        self.asOf = asOf
        self.profile = profile
        self.status = status
        self.driftStatus = driftStatus
        self.completes = completes
        self.reruns = reruns
        self.reportSHA256 = reportSHA256
        self.previousHash = previousHash
        self.entryHash = entryHash
    }

    /// The `previousHash` of the first entry.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// Whether `text` has the shape of a chain hash: 64 hexadecimal digits (either case).
    public static func isChainHash(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
        }
    }

    /// The chain hash of an entry with these fields (the formula above).
    public static func chainHash(previousHash: String, reportSHA256: String, sequence: Int64, recordedAt: String,
                                 asOf: String, completes: Int64?, reruns: Int64? = nil) -> String {
        var fields = ["fairlead-history-v1", previousHash, reportSHA256, String(sequence), recordedAt, asOf,
                      completes.map(String.init) ?? ""]
        if let reruns { fields.append("reruns \(reruns)") }
        return ContentDigest.sha256(Data(fields.map { $0 + "\n" }.joined().utf8))
    }

    /// This entry's hash recomputed from its fields.
    public var recomputedHash: String {
        Self.chainHash(previousHash: previousHash, reportSHA256: reportSHA256, sequence: id, recordedAt: recordedAt,
                       asOf: asOf, completes: completes, reruns: reruns)
    }

    /// Whether the entry counts as passing for a `last_passing` drift baseline: its rules
    /// passed and its own drift check did not fail.
    public var isPassing: Bool { status == .pass && driftStatus != .fail }
}
