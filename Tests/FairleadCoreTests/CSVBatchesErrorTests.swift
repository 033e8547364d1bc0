import Foundation
import Testing
@testable import FairleadCore

/// The bad-input corpus of `CSVErrorTests`, read in batches: every file gives the error
/// `CSVReader.read` gives (kind, message, file, line, field number, column).
@Suite struct CSVBatchesErrorTests {
    /// The corpus' columns with a type each (categorical where the corpus infers one);
    /// every header column when the corpus reads them all, none when the header is bad.
    static func typedColumns(_ bad: CSVErrorTests.Case, path: String) -> [ColumnRequest] {
        if let columns = bad.columns {
            return columns.map { ColumnRequest($0.name, type: $0.type ?? .categorical) }
        }
        let names = (try? CSVReader.headerNames(path: path)) ?? []
        return names.map { ColumnRequest($0, type: .categorical) }
    }

    @Test(arguments: CSVErrorTests.corpus, [1, 7, 64])
    func eachBadInputGivesTheTableReadersError(_ bad: CSVErrorTests.Case, batchSize: Int) {
        let path = CSVTestFiles.fixtures.appendingPathComponent("bad/\(bad.file)").path
        let columns = Self.typedColumns(bad, path: path)
        var options = CSVOptions()
        options.blockSize = 8
        let expected = FairleadError(.invalidData, bad.message.replacingOccurrences(of: "{path}", with: path),
                                     at: SourceLocation(file: path, line: bad.line, column: bad.column, field: bad.field))
        #expect(throws: expected) {
            _ = try CSVReader.read(path: path, columns: columns, options: options)
        }
        #expect(throws: expected) {
            _ = try CSVTestFiles.batches(path, columns: columns, maxRows: batchSize, options: options)
        }
    }
}
