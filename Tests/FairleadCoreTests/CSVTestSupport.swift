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
