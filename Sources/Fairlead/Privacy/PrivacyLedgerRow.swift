import Foundation

/// One differentially private release in the history's privacy ledger: which data set
/// (by the SHA-256 its report records) spent how much ε, under which budget. Rows are
/// hash-chained like the history's entries, so an edited or removed row shows in
/// `fairlead history verify`.
public struct PrivacyLedgerRow: Sendable, Equatable {
    public var id: Int64
    /// When the release was made (ISO 8601, UTC, with fractional seconds).
    public var recordedAt: String
    /// The released data set's ``AuditReport/DataInfo/datasetSHA256`` (`data.sha256`, or for a gzip file the
    /// SHA-256 of its CSV; rows recorded before that keyed a gzip file by its stored bytes).
    public var dataSHA256: String
    public var profile: String
    /// `discrete_laplace`.
    public var mechanism: String
    /// ε this release spent.
    public var epsilon: PrivacyBudgetAmount
    /// The budget the profile set when it was made.
    public var budget: PrivacyBudgetAmount
    public var previousHash: String
    public var rowHash: String

    /// SHA-256 over the row's fields, each written with its length so that no two rows
    /// give the same text, after the previous row's hash.
    public static func chainHash(previousHash: String, id: Int64, recordedAt: String, dataSHA256: String, profile: String,
                                 mechanism: String, epsilon: PrivacyBudgetAmount, budget: PrivacyBudgetAmount) -> String {
        let fields = ["fairlead-privacy-ledger-v1", previousHash, String(id), recordedAt, dataSHA256, profile, mechanism,
                      String(epsilon.nanos), String(budget.nanos)]
        return ContentDigest.sha256(Data(fields.map { "\($0.utf8.count):\($0)\n" }.joined().utf8))
    }

    /// This row's hash recomputed from its fields.
    public var recomputedHash: String {
        Self.chainHash(previousHash: previousHash, id: id, recordedAt: recordedAt, dataSHA256: dataSHA256, profile: profile,
                       mechanism: mechanism, epsilon: epsilon, budget: budget)
    }
}
