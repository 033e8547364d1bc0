import Foundation
import Testing
@testable import FairleadCore

/// A reader of measurements (``CSVOptions/refusesInfinity``: features, scores, weights)
/// takes finite numbers only in a column asked for as numeric: `inf` and `infinity`
/// (which the number grammar reads) stop the read at their line and column, as `nan` and
/// `1e999` (which it does not read) do. Other reads keep them: a column read without a
/// type (as the pushdown query's pattern reads it), a query result's overflowed sum.
@Suite struct CSVNonFiniteTests {
    static var measuring: CSVOptions {
        var options = CSVOptions()
        options.refusesInfinity = true
        return options
    }

    @Test(arguments: ["inf", "-INF", "+Infinity", " infinity\t"])
    func aRequestedNumericColumnRefusesInfinityAtItsLocation(_ cell: String) throws {
        // Row 2 is one of many plain numbers (the fast path); row 1 is alone (the field path).
        for line in [2, 60] {
            var rows = (0..<80).map { "\($0),\($0 % 7)" }
            rows[line - 2] = "\(line - 2),\(cell)"
            let error = try #require(CSVTestFiles.error(reading: "id,x\n" + rows.joined(separator: "\n") + "\n",
                                                        columns: [ColumnRequest("x", type: .numeric)], options: Self.measuring))
            #expect(error.kind == .invalidData)
            #expect(error.location?.line == line)
            #expect(error.location?.column == 2)
            #expect(error.location?.field == "x")
            // A control character in the field is shown as its escape (`\t`), never raw.
            #expect(error.message == "expected a finite number, found \"\(cell.replacingOccurrences(of: "\t", with: "\\t"))\"")
        }
    }

    @Test func batchesRefuseInfinityAsTheWholeReadDoes() throws {
        let path = try CSVTestFiles.write("x\n1\n2\ninf\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: FairleadError.self) {
            _ = try CSVTestFiles.batches(path, columns: [ColumnRequest("x", type: .numeric)], maxRows: 2, options: Self.measuring)
        }
    }

    @Test func aColumnReadWithoutATypeStillReadsInfinity() throws {
        let table = try CSVTestFiles.read("v\n1\n-inf\n", options: Self.measuring)
        #expect(table.numbers("v") == [1, -.infinity])
    }

    @Test func aReaderThatDoesNotMeasureReadsInfinityInANumericColumn() throws {
        let table = try CSVTestFiles.read("v\n1\ninf\n", columns: [ColumnRequest("v", type: .numeric)])
        #expect(table.numbers("v") == [1, .infinity])
    }

    @Test func aCategoricalColumnKeepsTheText() throws {
        let table = try CSVTestFiles.read("v\ninf\n", columns: [ColumnRequest("v", type: .categorical)])
        #expect(table["v"]?.categorical?.levels == ["inf"])
    }
}
