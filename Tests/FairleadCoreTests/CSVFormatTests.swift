import Foundation
import Testing
@testable import FairleadCore

/// RFC 4180 shapes of input: quoting, line ends, BOM, empty fields, file ends.
@Suite struct CSVFormatTests {
    @Test func quotedFieldsHoldDelimitersDoubledQuotesAndLineBreaks() throws {
        let table = try CSVTestFiles.read(
            "name,note,n\n\"Smith, Jane\",\"said \"\"hi\"\"\",1\nplain,\"two\nlines\",2\n\"\",\"\",3\n")
        #expect(table.rowCount == 3)
        #expect(table.strings("name") == ["Smith, Jane", "plain", nil])
        #expect(table.strings("note") == ["said \"hi\"", "two\nlines", nil])
        #expect(table.numbers("n") == [1, 2, 3])
    }

    @Test func lineNumbersCountLineBreaksInsideQuotes() {
        let error = CSVTestFiles.error(reading: "a,b\n\"x\ny\nz\",1\n\"w\",oops\n",
                                       columns: [ColumnRequest("b", type: .numeric)])
        #expect(error?.location == SourceLocation(file: error?.location?.file, line: 5, column: 2, field: "b"))
        #expect(error?.message == "expected a number, found \"oops\"")
    }

    @Test func crlfAndLfLineEndsMix() throws {
        let table = try CSVTestFiles.read("a,b\r\n1,x\r\n2,\"y\r\nz\"\n3,w\r\n")
        #expect(table.numbers("a") == [1, 2, 3])
        #expect(table.strings("b") == ["x", "y\r\nz", "w"])
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        let path = try CSVTestFiles.write([0xEF, 0xBB, 0xBF] + Array("id,v\n5,2\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let table = try CSVReader.read(path: path)
        #expect(table.columnNames == ["id", "v"])
        #expect(table.numbers("id") == [5])
    }

    @Test func emptyFieldsAreMissing() throws {
        let table = try CSVTestFiles.read("a,b,c\n,,\n3,,x\n,2,\n")
        #expect(table.numbers("a") == [nil, 3, nil])
        #expect(table.numbers("b") == [nil, nil, 2])
        #expect(table.strings("c") == [nil, "x", nil])
        #expect(table["a"]?.missingCount == 2)
        #expect(table["c"]?.missingCount == 2)
    }

    @Test(arguments: [
        "a,b\n1,2\n3,4",          // last line without a line break
        "a,b\n1,2\n3,4\n",
        "a,b\n1,2\n3,4\n\n",      // a blank trailing line
        "a,b\r\n1,2\r\n3,4\r\n\r\n\r\n",
    ])
    func fileEndsAreRead(_ text: String) throws {
        let table = try CSVTestFiles.read(text)
        #expect(table.rowCount == 2)
        #expect(table.numbers("b") == [2, 4])
    }

    @Test func aLastEmptyFieldWithoutLineBreakIsARow() throws {
        let table = try CSVTestFiles.read("a,b\n1,")
        #expect(table.rowCount == 1)
        #expect(table.numbers("b") == [nil])
    }

    @Test func aQuotedLastFieldWithoutLineBreakIsARow() throws {
        let table = try CSVTestFiles.read("a,b\n1,\"q\"\"\"")
        #expect(table.strings("b") == ["q\""])
    }

    @Test func aOneColumnFileKeepsInnerBlankLinesAsMissing() throws {
        let table = try CSVTestFiles.read("x\n1\n\n2\n\n")
        #expect(table.numbers("x") == [1, nil, 2])
    }

    @Test func aHeaderOnlyFileHasNoRows() throws {
        let table = try CSVTestFiles.read("a,b\n")
        #expect(table.rowCount == 0)
        #expect(table.columnNames == ["a", "b"])
        #expect(table["a"]?.type == .numeric)
    }

    @Test func quotedHeaderNamesAndOtherDelimiters() throws {
        var options = CSVOptions()
        options.delimiter = ";"
        let table = try CSVTestFiles.read("\"first;name\";n\n\"a;b\";1,5\n", options: options)
        #expect(table.columnNames == ["first;name", "n"])
        #expect(table.strings("first;name") == ["a;b"])
        #expect(table.strings("n") == ["1,5"])
    }

    @Test func aCarriageReturnInsideAnUnquotedFieldIsData() throws {
        let table = try CSVTestFiles.read("a,b\nx\ry,1\n")
        #expect(table.strings("a") == ["x\ry"])
    }

    @Test func columnsComeInFileOrderWhateverTheRequestOrder() throws {
        let table = try CSVTestFiles.read("a,b,c\n1,2,3\n", columns: [ColumnRequest("c"), ColumnRequest("a")])
        #expect(table.columnNames == ["a", "c"])
    }

    @Test func recordsLongerThanTheBlockGrowIt() throws {
        let long = String(repeating: "x", count: 5000)
        var options = CSVOptions()
        options.blockSize = 16
        let table = try CSVTestFiles.read("a,b\n\"\(long)\n\(long)\",1\nshort,2\n", options: options)
        #expect(table.strings("a") == ["\(long)\n\(long)", "short"])
        #expect(table.numbers("b") == [1, 2])
    }
}
