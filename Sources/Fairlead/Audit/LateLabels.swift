import Foundation
import FairleadCore

/// Labels that arrived after an audit: a CSV file with an id column and a 0/1 label
/// column, joined to the audited data on the profile's `data.id` column.
///
/// Each data row gets the label of its id; a row whose id has no label (or an empty
/// one) stays unlabelled and counts as `missing_label`, like any row without a label.
/// An id listed twice in the labels file is an error; labels whose id is not in the data
/// are counted (`unmatched`). ``Audit/completing(entry:in:labels:profilePath:dataPath:threads:clock:)``
/// uses it to complete a past audit.
public struct LateLabels: Sendable, Equatable {
    /// The labels file.
    public var path: String
    /// Its id column, matched as text to the data's `data.id` column.
    public var idColumn: String
    /// Its 0/1 (or true/false) label column.
    public var labelColumn: String
    /// The history entry whose report these labels complete, recorded in the new report.
    public var completes: AuditReport.CompletedEntry?

    public init(path: String, idColumn: String, labelColumn: String, completes: AuditReport.CompletedEntry? = nil) {
        self.path = path
        self.idColumn = idColumn
        self.labelColumn = labelColumn
        self.completes = completes
    }

    /// Sets `data.labels` from the labels file, matched on the data's id column
    /// (`dataIDs`, read with the data in the audit's one read), and says what was joined.
    /// The labels file is read once too, fingerprinted as it streams.
    /// With `pseudonymizer` (`privacy.pseudonymize_ids`) the ids are joined as read and
    /// every id an error quotes is its pseudonym.
    func join(into data: inout AuditData, dataIDs: CategoricalColumn, profile: AuditProfile,
              dataPath: String, threads: Int, pseudonymizer: LeadPseudonymizer?) throws -> AuditReport.LateLabelsInfo {
        let options = profile.csvOptions(threads: threads)
        let digest = StreamingDigest()
        let labelsTable = try CSVReader.read(.file(path), columns: { _ in [ColumnRequest(idColumn, type: .categorical),
                                                                           ColumnRequest(labelColumn, type: .boolean)] },
                                             options: options, observer: digest)
        let labelIDs = try Self.categorical(labelsTable.requireColumn(named: idColumn), path: path)
        let labelValues = try AuditData.binary(labelsTable.requireColumn(named: labelColumn), role: "label",
                                              source: RecordLocator(labelsTable, path: path, options: options))

        // An id names one lead: a data id on two rows, or in two Unicode spellings (equal as
        // Swift strings, so one label would reach both), would give one outcome to two leads.
        try LeadIDs.requireDistinct(dataIDs, column: profile.data.id ?? idColumn,
                                    source: RecordLocator(path: dataPath, options: profile.csvOptions(), sourceRecords: data.sourceRecords),
                                    pseudonymizer: pseudonymizer, why: "late labels join one lead per id")
        var labelByID: [String: Double] = [:]
        var rowByID: [String: Int] = [:]
        var withoutID = 0
        for row in 0..<labelIDs.count {
            guard let id = labelIDs[row] else {
                withoutID += 1  // matches no row: counted with the unmatched labels
                continue
            }
            let value = labelValues[row]
            guard value.isNaN || value == 0 || value == 1 else {
                throw FairleadError(.invalidData, "data row \(row + 1): the label must be 0 or 1, found \(value)",
                                    at: SourceLocation(file: path, field: "column \"\(labelColumn)\""))
            }
            if let first = rowByID[id] {
                throw FairleadError(.invalidData, "the id '\(LeadIDs.quoted(id, pseudonymizer: pseudonymizer))' has two labels (data rows \(first + 1) and \(row + 1))",
                                    at: SourceLocation(file: path, field: "column \"\(idColumn)\""))
            }
            rowByID[id] = row
            labelByID[id] = value
        }
        // Look labels up once per distinct data id, then spread them over the rows by code.
        let labelByLevel = dataIDs.levels.map { labelByID[$0] ?? .nan }
        var labels = [Double](repeating: .nan, count: data.rowCount)
        dataIDs.codes.withUnsafeBufferPointer { codes in
            for row in 0..<min(codes.count, labels.count) where codes[row] >= 0 {
                labels[row] = labelByLevel[Int(codes[row])]
            }
        }
        data.labels = LabelColumn(labels)
        let labelled = labels.reduce(0) { $0 + ($1.isNaN ? 0 : 1) }
        let dataLevels = Set(dataIDs.levels)
        let unmatched = labelByID.keys.filter { !dataLevels.contains($0) }.count + withoutID
        if labelled == 0, labelIDs.count > 0, data.rowCount > 0 {
            throw FairleadError(.invalidData,
                                "none of the \(labelIDs.count) labels' ids matches an id of the data (column \"\(MessageQuote.clipped(idColumn))\" of both): check that the ids are spelt alike — spaces, case, leading zeros",
                                at: SourceLocation(file: path, field: idColumn))
        }
        var info = AuditReport.LateLabelsInfo(
            source: path, sha256: digest.fingerprint.hex, idColumn: idColumn, labelColumn: labelColumn,
            labelled: labelled, unlabelled: data.rowCount - labelled,
            unmatched: unmatched, completes: completes)
        info.joinedSha256 = ContentDigest.sha256(Data(labels.map { $0.isNaN ? 2 : UInt8($0) }))
        return info
    }

    /// The id column the profile joins late labels on: `data.id`.
    static func dataIDColumn(of profile: AuditProfile) throws -> String {
        guard let dataID = profile.data.id else {
            throw FairleadError(.invalidProfile, "the profile names no id column (data.id) to join late labels on",
                                at: SourceLocation(file: profile.sourceFiles.first, field: "data.id"))
        }
        return dataID
    }

    private static func categorical(_ column: Column, path: String) throws -> CategoricalColumn {
        guard let values = column.categorical else {
            throw FairleadError(.invalidData, "the id column must be read as text", at: SourceLocation(file: path, field: column.name))
        }
        return values
    }
}
