import Foundation
@testable import FairleadCore

/// Files the CSV tests read and write.
enum CSVTestFiles {
    /// `Tests/FairleadCoreTests/Fixtures/csv` in the source tree.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/csv")
    /// `fixtures/leads/leads-sample.csv` at the repository root.
    static let leadsSample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/leads/leads-sample.csv").path

    /// Writes `bytes` to a new temporary file and returns its path.
    static func write(_ bytes: [UInt8], suffix: String = ".csv") throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("fairlead-csv-\(UUID().uuidString)\(suffix)")
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Writes `text` (UTF-8) to a new temporary file and returns its path.
    static func write(_ text: String) throws -> String {
        try write(Array(text.utf8))
    }

    /// Reads `text` as a CSV file.
    static func read(_ text: String, columns: [ColumnRequest]? = nil,
                     options: CSVOptions = CSVOptions()) throws -> Table {
        let path = try write(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try CSVReader.read(path: path, columns: columns, options: options)
    }

    /// The error reading `text` throws, or `nil` when it reads.
    static func error(reading text: String, columns: [ColumnRequest]? = nil,
                      options: CSVOptions = CSVOptions()) -> FairleadError? {
        do {
            _ = try read(text, columns: columns, options: options)
            return nil
        } catch let error as FairleadError {
            return error
        } catch {
            return FairleadError(.internalFailure, "unexpected error \(error)")
        }
    }
}

extension Table {
    /// The values of a categorical column as strings (`nil` = missing), for assertions.
    func strings(_ name: String) -> [String?] {
        guard let column = self[name]?.categorical else { return [] }
        return (0..<column.count).map { column[$0] }
    }

    /// The values of a numeric column (`nil` = missing), for assertions.
    func numbers(_ name: String) -> [Double?] {
        guard let column = self[name]?.numeric else { return [] }
        return (0..<column.count).map { column[$0] }
    }

    /// The values of a boolean column (`nil` = missing), for assertions.
    func booleans(_ name: String) -> [Bool?] {
        guard let column = self[name]?.boolean else { return [] }
        return (0..<column.count).map { column[$0] }
    }
}

extension CSVTestFiles {
    /// Every batch of `columns` of the file at `path`, read `maxRows` at a time.
    static func batches(_ path: String, columns: [ColumnRequest], maxRows: Int,
                        options: CSVOptions = CSVOptions()) throws -> [CSVBatch] {
        let reader = try CSVReader.batches(path: path, columns: columns, options: options)
        var batches: [CSVBatch] = []
        while let batch = try reader.next(maxRows: maxRows) { batches.append(batch) }
        return batches
    }

    /// The typed requests that read every column of `table` as it was inferred.
    static func requests(like table: Table) -> [ColumnRequest] {
        table.columns.map { ColumnRequest($0.name, type: $0.type) }
    }
}

extension Column {
    /// The values as optionals of one printable type, so that columns whose categorical
    /// levels are numbered differently (batches) compare value for value.
    var comparableValues: [String?] {
        switch storage {
        case .numeric(let column): (0..<count).map { column[$0].map { "\($0.bitPattern)" } }
        case .boolean(let column): (0..<count).map { column[$0].map { "\($0)" } }
        case .categorical(let column): (0..<count).map { column[$0] }
        }
    }
}

extension Array where Element == CSVBatch {
    /// The batches' values of requested column `index`, concatenated (see `Column.comparableValues`).
    func values(ofColumn index: Int) -> [String?] {
        flatMap { $0.columns[index].comparableValues }
    }
}
