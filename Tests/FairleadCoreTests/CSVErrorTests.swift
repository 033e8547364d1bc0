import Foundation
import Testing
@testable import FairleadCore

/// Every bad input stops the read with an error naming the file, line, field and problem.
@Suite struct CSVErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var file: String
        var columns: [ColumnRequest]?
        var line: Int?
        var column: Int?
        var field: String?
        var message: String
        var testDescription: String { file }
    }

    /// The rows of `Fixtures/csv/expected-errors.tsv`, written by `make_bad_inputs.py`
    /// (`{path}` in a message stands for the file's path).
    static let corpus: [Case] = {
        let url = CSVTestFiles.fixtures.appendingPathComponent("expected-errors.tsv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().map { row in
            let cells = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let columns: [ColumnRequest]? = cells[1] == "*" ? nil : cells[1].split(separator: ",").map { spec in
                let parts = spec.split(separator: ":").map(String.init)
                return ColumnRequest(parts[0], type: parts.count > 1 ? ColumnType(rawValue: parts[1]) : nil)
            }
            return Case(file: cells[0], columns: columns, line: Int(cells[2]), column: Int(cells[3]),
                        field: cells[4] == "-" ? nil : cells[4], message: cells[5])
        }
    }()

    @Test func theCorpusIsThere() {
        #expect(Self.corpus.count == 27)
    }

    @Test(arguments: corpus, [1, 2])
    func eachBadInputGivesItsError(_ bad: Case, threads: Int) {
        let path = CSVTestFiles.fixtures.appendingPathComponent("bad/\(bad.file)").path
        var options = CSVOptions()
        options.threads = threads
        options.blockSize = 8
        #expect {
            _ = try CSVReader.read(path: path, columns: bad.columns, options: options)
        } throws: { error in
            guard let error = error as? FairleadError else { return false }
            return error.kind == .invalidData && error.message == bad.message.replacingOccurrences(of: "{path}", with: path)
                && error.location == SourceLocation(file: path, line: bad.line, column: bad.column, field: bad.field)
        }
    }

    @Test func theDescriptionReadsFileLineFieldAndColumn() {
        let error = CSVTestFiles.error(reading: "id,score\n1,0.5\n2,n/a\n",
                                       columns: [ColumnRequest("score", type: .numeric)])
        let path = error?.location?.file ?? ""
        #expect(error?.description == "\(path):3:2 (score): expected a number, found \"n/a\"")
    }

    @Test func aNonexistentFileIsNamed() {
        #expect(throws: FairleadError(.invalidData, "cannot read the file: No such file or directory",
                                      at: SourceLocation(file: "/nonexistent/leads.csv"))) {
            try CSVReader.read(path: "/nonexistent/leads.csv")
        }
    }

    @Test func aDirectoryIsNotAFile() {
        let directory = FileManager.default.temporaryDirectory.path
        #expect(throws: FairleadError(.invalidData, "cannot read the file: it is a directory",
                                      at: SourceLocation(file: directory))) {
            try CSVReader.read(path: directory)
        }
    }

    @Test func anUnreadablePathIsNamed() throws {
        // A path through a regular file cannot be opened, whoever runs the test.
        let file = try CSVTestFiles.write("a\n1\n")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let path = file + "/leads.csv"
        #expect(throws: FairleadError(.invalidData, "cannot read the file: Not a directory",
                                      at: SourceLocation(file: path))) {
            try CSVReader.read(path: path)
        }
    }

    @Test func aColumnAskedForTwiceIsAUsageError() {
        let error = CSVTestFiles.error(reading: "a\n1\n", columns: [ColumnRequest("a"), ColumnRequest("a")])
        #expect(error == FairleadError(.usage, "column \"a\" is asked for twice"))
    }

    @Test(arguments: ["\"", "\n", "\r", "é"] as [Unicode.Scalar])
    func aDelimiterMustBeOneOtherASCIICharacter(_ delimiter: Unicode.Scalar) {
        var options = CSVOptions()
        options.delimiter = delimiter
        let error = CSVTestFiles.error(reading: "a\n1\n", options: options)
        #expect(error?.kind == .usage)
    }

    @Test func anUnterminatedQuoteNamesTheLineWhereItOpens() {
        let error = CSVTestFiles.error(reading: "a,b\n1,2\n3,\"x\n\n\n")
        #expect(error?.message == "unterminated quoted field: the quote that opens it is never closed")
        #expect(error?.location?.line == 3)
        #expect(error?.location?.column == 2)
    }
}
