import Foundation
import Testing
@testable import FairleadCore

/// Batches and the table reader share one grammar: the concatenated batches of a file
/// are `CSVReader.read` of the same columns, value for value, whatever the batch size.
@Suite struct CSVBatchesAgreementTests {
    struct Source: CustomTestStringConvertible, Sendable {
        var name: String
        /// A file under the repository, or `nil` for `text` written to a temporary file.
        var relativePath: String?
        var text: String = ""
        var testDescription: String { name }

        static func file(_ relativePath: String) -> Source {
            Source(name: relativePath, relativePath: relativePath)
        }

        static func text(_ name: String, _ text: String) -> Source {
            Source(name: name, relativePath: nil, text: text)
        }
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let sources: [Source] = [
        .file("fixtures/leads/leads-sample.csv"),
        .file("fixtures/leads/leads-week2.csv"),
        .file("fixtures/leads/leads-week2-outcomes.csv"),
        .file("Tests/FairleadCoreTests/Fixtures/csv/gzip/leads-sample.csv.gz"),
        .file("Tests/FairleadCoreTests/Fixtures/csv/gzip/two-members.csv"),
        .file("Tests/FairleadCoreTests/Fixtures/csv/gzip/two-members.csv.gz"),
        .text("quoted fields", "name,note,n\n\"Smith, Jane\",\"said \"\"hi\"\"\",1\nplain,\"two\nlines\",2\n\"\",\"\",3\n"),
        .text("CRLF and LF mixed", "a,b\r\n1,x\r\n2,\"y\r\nz\"\n3,w\r\n"),
        .text("byte order mark", "\u{FEFF}id,v\n5,2\n6,3\n"),
        .text("CR inside an unquoted field", "a,b\n1,x\ry\n2,z\n"),
        .text("empty fields", "a,b,c\n,,\n3,,x\n,2,\n"),
        .text("no final line break", "a,b\n1,2\n3,4"),
        .text("trailing blank lines", "a,b\r\n1,2\r\n3,4\r\n\r\n\r\n"),
        .text("last field empty", "a,b\n1,"),
        .text("one column with blank lines", "x\n1\n\n\n2\n\n"),
        .text("booleans", "f,g\ntrue,1\nFALSE,0\n,1\n"),
        .text("numbers with spaces and exponents", "x,y\n -1.5e3 ,.5\ninf,1e-320\n"),
        .text("header only", "a,b\n"),
    ]

    /// The path of `source`, and whether it is a temporary file to remove.
    static func path(of source: Source) throws -> (path: String, isTemporary: Bool) {
        if let relative = source.relativePath {
            return (root.appendingPathComponent(relative).path, false)
        }
        return (try CSVTestFiles.write(source.text), true)
    }

    @Test(arguments: sources, [1, 7, 64, 1_000_000])
    func concatenatedBatchesEqualTheTable(_ source: Source, batchSize: Int) throws {
        let (path, isTemporary) = try Self.path(of: source)
        defer { if isTemporary { try? FileManager.default.removeItem(atPath: path) } }
        let inferred = try CSVReader.read(path: path)
        let requests = CSVTestFiles.requests(like: inferred)
        let table = try CSVReader.read(path: path, columns: requests)
        #expect(table == inferred)
        for blockSize in [64, 1 << 20] {
            var options = CSVOptions()
            options.blockSize = blockSize
            let batches = try CSVTestFiles.batches(path, columns: requests, maxRows: batchSize, options: options)
            #expect(batches.reduce(0) { $0 + $1.rowCount } == table.rowCount)
            #expect(batches.allSatisfy { $0.rowCount >= 1 && $0.rowCount <= batchSize })
            for (index, column) in table.columns.enumerated() {
                #expect(batches.allSatisfy { $0.columns[index].type == column.type })
                #expect(batches.values(ofColumn: index) == column.comparableValues, "column \(column.name)")
            }
        }
    }

    /// A subset of the columns, in an order other than the file's.
    @Test(arguments: [1, 7, 64, 1_000_000])
    func aSubsetInAnyOrderEqualsTheTable(batchSize: Int) throws {
        let requests = [ColumnRequest("score", type: .numeric), ColumnRequest("converted", type: .boolean),
                        ColumnRequest("postal_area", type: .categorical), ColumnRequest("lead_id", type: .categorical)]
        let table = try CSVReader.read(path: CSVTestFiles.leadsSample, columns: requests)
        let batches = try CSVTestFiles.batches(CSVTestFiles.leadsSample, columns: requests, maxRows: batchSize)
        for (index, request) in requests.enumerated() {
            let column = try #require(table[request.name])
            #expect(batches.values(ofColumn: index) == column.comparableValues)
        }
    }
}
