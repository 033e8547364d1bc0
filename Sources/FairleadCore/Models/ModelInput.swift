import Foundation

/// The rows a model scores or an explainer explains, read from a CSV file: an id per row
/// and the model's feature matrix, its columns matched to the file's header by name.
///
/// Only the columns the model names (and the id column) are converted. A feature named
/// `column=value` that is not itself a header but whose `column` is, is derived as the
/// one-hot indicator of `value` (1 or 0; a missing value gives 0, as pandas' get_dummies).
/// Numbers are parsed as Double; "", NA, NaN, nan, null, NULL and N/A are missing (NaN).
/// The CSV follows RFC 4180: quoted fields may hold commas, quotes ("") and newlines;
/// CRLF line ends and a UTF-8 byte-order mark are accepted.
///
///     let input = try ModelInput(csvAt: "leads.csv", model: model, idColumn: "lead_id")
///     let attributions = try TreeSHAP(model: ensemble).explain(input.features)
public struct ModelInput: Sendable {
    /// One id per row: the id column's value, or the 1-based row number without one.
    public let ids: [String]
    /// n × model.featureNames.count, columns in the model's order.
    public let features: Matrix

    /// Reads `path` for `model`.
    ///
    /// - Throws: `FairleadError(.invalidData)` naming the file, line and column: unreadable
    ///   or empty file, invalid UTF-8, a ragged row, a model feature (or the id column) the
    ///   header lacks (with the closest names), a value that is not a number.
    public init(csvAt path: String, model: any Model, idColumn: String? = nil) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FairleadError(.invalidData, "cannot read the data file", at: SourceLocation(file: path))
        }
        try self.init(csvData: data, path: path, featureNames: model.featureNames, idColumn: idColumn)
    }

    /// Parses CSV bytes; `path` names the file in errors.
    public init(csvData data: Data, path: String, featureNames: [String], idColumn: String? = nil) throws {
        guard let text = String(data: data, encoding: .utf8) else {
            throw FairleadError(.invalidData, "the file is not valid UTF-8", at: SourceLocation(file: path))
        }
        let records = try CSVRecords.parse(text, path: path)
        guard let header = records.first else {
            throw FairleadError(.invalidData, "the file is empty", at: SourceLocation(file: path))
        }
        var columnIndex: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() where columnIndex[name] == nil { columnIndex[name] = index }
        func missingColumn(_ name: String) -> FairleadError {
            let closest = FeatureNameMatching.closest(to: name, among: header.fields)
            let hint = closest.isEmpty ? "" : " (closest: \(closest.map { "\"\($0)\"" }.joined(separator: ", ")))"
            return FairleadError(.invalidData, "no column \"\(name)\" in the header\(hint)",
                                 at: SourceLocation(file: path, line: header.line))
        }
        enum Source { case number(Int), indicator(Int, String) }
        var sources: [Source] = []
        for name in featureNames {
            if let index = columnIndex[name] {
                sources.append(.number(index))
            } else if let equals = name.firstIndex(of: "="), let index = columnIndex[String(name[..<equals])] {
                sources.append(.indicator(index, String(name[name.index(after: equals)...])))
            } else {
                throw missingColumn(name)
            }
        }
        let idIndex = try idColumn.map { name -> Int in
            guard let index = columnIndex[name] else { throw missingColumn(name) }
            return index
        }
        let body = records.dropFirst()
        var values = [Double](repeating: 0, count: body.count * featureNames.count)
        var ids: [String] = []
        ids.reserveCapacity(body.count)
        for (rowIndex, record) in body.enumerated() {
            guard record.fields.count == header.fields.count else {
                throw FairleadError(.invalidData,
                                    "a row of \(record.fields.count) fields under a header of \(header.fields.count)",
                                    at: SourceLocation(file: path, line: record.line))
            }
            ids.append(idIndex.map { record.fields[$0] } ?? String(rowIndex + 1))
            for (column, source) in sources.enumerated() {
                let target = rowIndex * featureNames.count + column
                switch source {
                case .number(let index):
                    let field = record.fields[index]
                    if Self.missingMarkers.contains(field) {
                        values[target] = .nan
                    } else if let number = Double(field.trimmingCharacters(in: .whitespaces)) {
                        values[target] = number
                    } else {
                        throw FairleadError(.invalidData, "expected a number, found \"\(field)\"",
                                            at: SourceLocation(file: path, line: record.line, column: index + 1,
                                                               field: "column \"\(header.fields[index])\""))
                    }
                case .indicator(let index, let level):
                    values[target] = record.fields[index] == level ? 1 : 0
                }
            }
        }
        self.ids = ids
        self.features = Matrix(rows: body.count, columns: featureNames.count, values: values)
    }

    /// Field values read as missing.
    static let missingMarkers: Set<String> = ["", "NA", "NaN", "nan", "null", "NULL", "N/A"]
}
