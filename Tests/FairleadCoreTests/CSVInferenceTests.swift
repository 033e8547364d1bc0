import Foundation
import Testing
@testable import FairleadCore

/// Column types inferred over the whole file, forced types and missing markers.
@Suite struct CSVInferenceTests {
    @Test func eachTypeIsInferred() throws {
        let table = try CSVTestFiles.read("""
            flag,word,count,ratio,label
            1,true,3,0.5,web
            0,FALSE,,1e-3,NA
            NA,True,12,-2,mail

            """)
        #expect(table["flag"]?.type == .boolean)
        #expect(table.booleans("flag") == [true, false, nil])
        #expect(table.booleans("word") == [true, false, true])
        #expect(table.numbers("count") == [3, nil, 12])
        #expect(table.numbers("ratio") == [0.5, 0.001, -2])
        #expect(table["label"]?.categorical?.levels == ["web", "mail"])
        #expect(table.strings("label") == ["web", nil, "mail"])
    }

    /// One of `0` and `1` alone does not make a yes/no column: a column of `1`s is a
    /// constant number; a word (`true`) does, even alone.
    @Test func aColumnOfOneDigitAloneIsNumeric() throws {
        let table = try CSVTestFiles.read("ones,zeros,word,both\n1,0,true,1\nNA,0,TRUE,NA\n1,,True,0\n")
        #expect(table["ones"]?.type == .numeric)
        #expect(table.numbers("ones") == [1, nil, 1])
        #expect(table["ones"]?.missingCount == 1)
        #expect(table["zeros"]?.type == .numeric)
        #expect(table.numbers("zeros") == [0, 0, nil])
        #expect(table["word"]?.type == .boolean)
        #expect(table["both"]?.type == .boolean)
        #expect(table.booleans("both") == [true, nil, false])
        // Asked for as boolean, a column of 1s stays one.
        let asked = try CSVTestFiles.read("ones\n1\n1\n", columns: [ColumnRequest("ones", type: .boolean)])
        #expect(asked.booleans("ones") == [true, true])
    }

    @Test func aBooleanLikeColumnWidensToNumericAtItsFirstOtherNumber() throws {
        let rows = Array(repeating: "1", count: 300) + ["0", "2.5"]
        let table = try CSVTestFiles.read("x\n" + rows.joined(separator: "\n") + "\n")
        #expect(table["x"]?.type == .numeric)
        #expect(table.numbers("x").suffix(3) == [1, 0, 2.5])
    }

    @Test func aNumericColumnWithLateTextIsReadAgainAsCategorical() throws {
        // The text at the end comes long after the first block: the column is re-read
        // and keeps the numbers' own spelling.
        let rows = (0..<2000).map { "\($0).50" } + ["n/a"]
        var options = CSVOptions()
        options.blockSize = 256
        let table = try CSVTestFiles.read("id,v\n" + rows.enumerated().map { "\($0.offset),\($0.element)" }
            .joined(separator: "\n") + "\n", options: options)
        #expect(table["v"]?.type == .categorical)
        #expect(table["id"]?.type == .numeric)
        let levels = table["v"]?.categorical?.levels ?? []
        #expect(levels.count == 2001)
        #expect(levels.first == "0.50")
        #expect(levels.last == "n/a")
        #expect(table.rowCount == 2001)
    }

    @Test func booleanWordsThenANumberMakeACategoricalColumn() throws {
        let table = try CSVTestFiles.read("x\ntrue\nfalse\n7\n")
        #expect(table.strings("x") == ["true", "false", "7"])
    }

    @Test func aColumnOfOnlyMissingValuesIsNumeric() throws {
        let table = try CSVTestFiles.read("x,y\nNA,1\n,2\nnull,3\n")
        #expect(table["x"]?.type == .numeric)
        #expect(table["x"]?.missingCount == 3)
    }

    @Test func textAfterOnlyMissingValuesSwitchesInPlace() throws {
        let table = try CSVTestFiles.read("x\nNA\n\nabc\n")
        #expect(table.strings("x") == [nil, nil, "abc"])
    }

    @Test func aForcedTypeIsKept() throws {
        let table = try CSVTestFiles.read("a,b,c\n1,1.50,0\n0,2,1\n", columns: [
            ColumnRequest(name: "a", type: .numeric),
            ColumnRequest("b", type: .categorical),
            ColumnRequest("c", type: .boolean),
        ])
        #expect(table.numbers("a") == [1, 0])
        #expect(table.strings("b") == ["1.50", "2"])
        #expect(table.booleans("c") == [false, true])
    }

    @Test func missingMarkersAreConfigurableAndCounted() throws {
        var options = CSVOptions()
        options.missingMarkers = ["-", "?"]
        let table = try CSVTestFiles.read("n,s\n-,NA\n4,?\n?,\n", options: options)
        #expect(table.numbers("n") == [nil, 4, nil])
        #expect(table["n"]?.missingCount == 2)
        #expect(table.strings("s") == ["NA", nil, ""])
        #expect(table["s"]?.missingCount == 1)
    }

    @Test func defaultMarkersCoverEmptyNANaNAndNull() throws {
        let table = try CSVTestFiles.read("v\n1\nNA\nNaN\nnull\n\n2\n\"\"\n")
        #expect(table.numbers("v") == [1, nil, nil, nil, nil, 2, nil])
        #expect(table["v"]?.missingCount == 5)
    }

    @Test func numbersAllowSpacesSignsExponentsAndInfinity() throws {
        let table = try CSVTestFiles.read("v\n 1.5 \n+2\n-.5\n3.\n1E3\n-inf\nInfinity\n")
        #expect(table.numbers("v") == [1.5, 2, -0.5, 3, 1000, -.infinity, .infinity])
    }

    @Test func onlyTheRequestedColumnsAreParsed() throws {
        // Column b holds text, a stray byte sequence that is not UTF-8 and mixed types:
        // reading a alone never looks at it.
        let path = try CSVTestFiles.write(Array("a,b,c\n1,abc,x\n2,".utf8) + [0xFF, 0xFE] + Array(",y\n3,4,z\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let table = try CSVReader.read(path: path, columns: [ColumnRequest("a", type: .numeric)])
        #expect(table.columnNames == ["a"])
        #expect(table.numbers("a") == [1, 2, 3])
        let both = try CSVReader.read(path: path, columns: [ColumnRequest("a"), ColumnRequest("c")])
        #expect(both.strings("c") == ["x", "y", "z"])
    }

    @Test func anEmptyRequestCountsRowsOnly() throws {
        let table = try CSVTestFiles.read("a,b\n1,2\n3,4\n", columns: [])
        #expect(table.rowCount == 2)
        #expect(table.columns.isEmpty)
    }
}
