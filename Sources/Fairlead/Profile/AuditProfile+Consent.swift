import FairleadCore
import Foundation

extension AuditProfile {
    /// `data.consent: {column: C, purpose: P}`: the column recording each lead's consent,
    /// and the purpose of this audit (docs/privacy.md#consent).
    ///
    /// A value of the column, trimmed of spaces, is one of:
    ///
    /// | value | means |
    /// |---|---|
    /// | `true`, `yes`, `y`, `1` (any case) | consent to every purpose of the audit |
    /// | `false`, `no`, `n`, `0` (any case), blank or a missing marker | no consent |
    /// | purposes separated by `;` or `\|` (`fairness_audit; marketing`) | consent when P is among them (any case) |
    ///
    /// A purpose is letters, digits, `_`, `-`, `.` and `:`; any other character, or an
    /// empty purpose between separators, makes the value invalid: an error naming its
    /// file, line and column.
    public struct ConsentSpec: Sendable, Equatable {
        /// The consent column.
        public var column: String
        /// The purpose consent is needed for.
        public var purpose: String

        public init(column: String, purpose: String) {
            self.column = column
            self.purpose = purpose
        }

        static let blanks = CharacterSet(charactersIn: " \t")
        static let yes: Set<String> = ["true", "yes", "y", "1"]
        static let no: Set<String> = ["false", "no", "n", "0"]

        /// Whether `value` gives consent to ``purpose``; `nil` when it is not a valid value.
        /// Spaces and tabs around the value and each purpose are ignored — ASCII ones only,
        /// as the CSV reader trims numbers and as the pushdown query reads the column (a
        /// no-break space is not trimmed, and so makes the value invalid).
        public func consents(_ value: String) -> Bool? {
            let trimmed = value.trimmingCharacters(in: Self.blanks)
            let lowered = trimmed.lowercased()
            if trimmed.isEmpty || Self.no.contains(lowered) { return false }
            if Self.yes.contains(lowered) { return true }
            var purposes: [String] = []
            for part in trimmed.split(separator: ";", omittingEmptySubsequences: false)
                .flatMap({ $0.split(separator: "|", omittingEmptySubsequences: false) }) {
                let name = part.trimmingCharacters(in: Self.blanks)
                guard Self.isPurpose(name) else { return nil }
                purposes.append(name.lowercased())
            }
            return purposes.contains(purpose.lowercased())
        }

        /// The error of an audit whose `rows` read all lack consent.
        func noneConsents(rows: Int, path: String) -> FairleadError {
            FairleadError(.invalidData,
                          "no rows to judge: none of the \(rows) rows read consents to the purpose '\(purpose)' (data.consent, column \"\(column)\")",
                          at: SourceLocation(file: path, field: column))
        }

        /// Letters, digits, `_`, `-`, `.` and `:`, at least one.
        static func isPurpose(_ text: String) -> Bool {
            !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "_-.:".unicodeScalars.contains(scalar))
            }
        }

        static func decode(_ node: ProfileNode) throws -> ConsentSpec {
            var mapping = try ProfileMapping(node, path: "data.consent")
            let column = try mapping.requiredString("column", expected: "the name of the consent column")
            let purposeNode = try mapping.requiredNode("purpose", expected: "the purpose of the audit, e.g. fairness_audit")
            let purpose = try ProfileMapping.scalar(purposeNode, path: "data.consent.purpose", expected: "the purpose of the audit")
            try mapping.finish(allowed: ["column", "purpose"])
            guard isPurpose(purpose) else {
                throw ProfileMapping.error("expected a purpose of letters, digits, _, -, . and : (such as fairness_audit), found '\(MessageQuote.clipped(purpose, limit: 60))'",
                                           path: "data.consent.purpose", at: purposeNode.location)
            }
            return ConsentSpec(column: column, purpose: purpose)
        }

        /// The rows of `table` with consent, in order, and how many lack it.
        ///
        /// - Parameter allowingNone: whether no row consenting is a shard's statistics
        ///   (`fairlead stats`: the audit of all shards judges the rows) rather than an error.
        /// - Throws: `FairleadError(.invalidData)` at the file, line and column of the first
        ///   invalid value (when `path` can be read again), and when no row consents.
        func filter(_ table: Table, path: String, options: CSVOptions, allowingNone: Bool = false) throws -> (table: Table, excluded: Int) {
            guard let values = try table.requireColumn(named: column).categorical else {
                throw FairleadError(.invalidData, "the consent column must be read as text", at: SourceLocation(file: path, field: column))
            }
            let meaning = values.levels.map(consents)
            var kept: [Int] = []
            kept.reserveCapacity(table.rowCount)
            for (row, code) in values.codes.enumerated() {
                guard code >= 0 else { continue }
                guard let consent = meaning[Int(code)] else {
                    let location = CSVReader.locateRecord(row, column: column, path: path, options: options)
                        ?? SourceLocation(file: path, field: column)
                    throw FairleadError(.invalidData,
                                        "invalid consent value '\(MessageQuote.clipped(values.levels[Int(code)], limit: 60))': expected true/false, yes/no, 1/0, blank, or purposes separated by ';' or '|' (letters, digits, _, -, ., :)",
                                        at: location, row: location.line == nil ? row : nil)
                }
                if consent { kept.append(row) }
            }
            if kept.isEmpty, table.rowCount > 0, !allowingNone {
                throw noneConsents(rows: table.rowCount, path: path)
            }
            let excluded = table.rowCount - kept.count
            return (excluded == 0 ? table : table.keepingRows(kept), excluded)
        }
    }
}
