extension AuditReport {
    /// Labels joined to the data after the audit (`fairlead history label`): the file
    /// they came from and the history entry whose report this one completes.
    public struct LateLabelsInfo: Codable, Sendable, Equatable {
        /// The labels file as given.
        public var source: String
        /// SHA-256 (hex) of the labels file's bytes.
        public var sha256: String
        /// The labels file's id column, joined to the profile's `data.id` column.
        public var idColumn: String
        /// The labels file's 0/1 label column.
        public var labelColumn: String
        /// Data rows that got a label.
        public var labelled: Int
        /// Data rows whose id has no label (yet); they count as `missing_label`.
        public var unlabelled: Int
        /// Labels whose id is not in the data.
        public var unmatched: Int
        /// The history entry completed, and the SHA-256 of its report.
        public var completes: CompletedEntry?
        /// SHA-256 (hex) of the labels as joined: a byte per data row, in the data's order
        /// (0, 1, or 2 for no label). Two labels files that give every lead the same label
        /// — one with CRLF line ends, rows in another order, other unmatched ids — give the
        /// same completion, and the same digest. Absent in reports from before it.
        public var joinedSha256: String?

        public init(source: String, sha256: String, idColumn: String, labelColumn: String, labelled: Int,
                    unlabelled: Int, unmatched: Int, completes: CompletedEntry? = nil) {
            self.source = source
            self.sha256 = sha256
            self.idColumn = idColumn
            self.labelColumn = labelColumn
            self.labelled = labelled
            self.unlabelled = unlabelled
            self.unmatched = unmatched
            self.completes = completes
        }
    }

    /// A history entry a report refers to.
    public struct CompletedEntry: Codable, Sendable, Equatable {
        public var entry: Int64
        /// SHA-256 (hex) of that entry's report JSON.
        public var reportSha256: String

        public init(entry: Int64, reportSha256: String) {
            self.entry = entry
            self.reportSha256 = reportSha256
        }
    }
}
