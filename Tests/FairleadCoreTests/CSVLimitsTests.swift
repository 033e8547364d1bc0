import Foundation
import Testing
@testable import FairleadCore

/// ``Limits`` as the CSV reader keeps them: gzip inflation and ratio, field bytes; and a
/// header with CR-only line endings.
@Suite struct CSVLimitsTests {
    /// `text` gzip-compressed by the system's gzip, in a temporary file.
    static func gzipFile(_ text: [UInt8]) throws -> String {
        let plain = try CSVTestFiles.write(text)
        defer { try? FileManager.default.removeItem(atPath: plain) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-9", "-k", "-f", plain]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        return plain + ".gz"
    }

    @Test func theDecompressedLimitStopsAGzipFile() throws {
        var options = CSVOptions()
        options.limits.maxDecompressedBytes = 1000
        let path = CSVTestFiles.fixtures.appendingPathComponent("gzip/leads-sample.csv.gz").path
        let error = #expect(throws: FairleadError.self) { try CSVReader.read(path: path, options: options) }
        #expect(error?.limit == .maxDecompressedBytes)
        #expect(error?.location == SourceLocation(file: path))
        #expect(error?.message.contains("inflates to more than 1000 bytes (the max_decompressed_bytes limit)") == true)
    }

    @Test func theSameFileReadsWithinTheDefaults() throws {
        let path = CSVTestFiles.fixtures.appendingPathComponent("gzip/leads-sample.csv.gz").path
        #expect(try CSVReader.read(path: path).rowCount == 5000)
    }

    @Test func aGzipBombStopsByItsRatioAfterTheGrace() throws {
        // 16 MiB of one short row: gzip shrinks it about 1000 times.
        let row = Array("0.5,1,a\n".utf8)
        let text = Array("score,y,g\n".utf8) + Array([[UInt8]](repeating: row, count: (16 << 20) / row.count).joined())
        let path = try Self.gzipFile(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: FairleadError.self) { try CSVReader.read(path: path) }
        #expect(error?.limit == .maxCompressionRatio)
        var raised = CSVOptions()
        raised.limits.maxCompressionRatio = 100_000
        #expect(try CSVReader.read(path: path, options: raised).rowCount == (16 << 20) / row.count)
    }

    @Test(arguments: [1, 3])
    func aKeptFieldLongerThanTheLimitIsLocated(threads: Int) {
        var options = CSVOptions()
        options.limits.maxFieldBytes = 4
        options.threads = threads
        let error = CSVTestFiles.error(reading: "sc,g\n0.5,abcd\n0.25,abcde\n", options: options)
        #expect(error == FairleadError(.invalidData, "a field longer than 4 bytes (the max_field_bytes limit)",
                                       at: SourceLocation(file: error?.location?.file, line: 3, column: 2, field: "g"),
                                       limit: .maxFieldBytes))
    }

    /// Line ends are not the field's: CRLF reads as LF does.
    @Test(arguments: ["\n", "\r\n"])
    func aFieldExactlyAtTheLimitReads(lineEnd: String) throws {
        var options = CSVOptions()
        options.limits.maxFieldBytes = 4
        let text = ["sc,g", "0.5,abcd", "\"ab\",a"].joined(separator: lineEnd) + lineEnd
        #expect(try CSVTestFiles.read(text, options: options).rowCount == 2)
    }

    /// A field in a column nobody asked for, in a record far shorter than the read block,
    /// is held to the limit too: only a record that outgrew the block was checked, so a
    /// short field over a low limit was read.
    @Test(arguments: [1, 3])
    func aShortFieldInAColumnNotReadIsHeldToTheLimit(threads: Int) {
        var options = CSVOptions()
        options.limits.maxFieldBytes = 4
        options.threads = threads
        let error = CSVTestFiles.error(reading: "s,n\n0.5,ab\n0.2,abcde\n0.1,a\n",
                                       columns: [ColumnRequest("s", type: .numeric)], options: options)
        #expect(error == FairleadError(.invalidData, "a field longer than 4 bytes (the max_field_bytes limit)",
                                       at: SourceLocation(file: error?.location?.file, line: 3, column: 2, field: "n"),
                                       limit: .maxFieldBytes))
    }

    /// Header names are fields: one over the limit is refused at line 1 by its column
    /// number, by a read and by a read of the header alone (`validate`'s).
    @Test func aHeaderNameLongerThanTheLimitIsLocated() throws {
        var options = CSVOptions()
        options.limits.maxFieldBytes = 4
        let path = try CSVTestFiles.write("sc,group\n0.5,a\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let expected = FairleadError(.invalidData, "a field longer than 4 bytes (the max_field_bytes limit)",
                                     at: SourceLocation(file: path, line: 1, column: 2), limit: .maxFieldBytes)
        #expect(throws: expected) { try CSVReader.headerNames(path: path, options: options) }
        #expect(throws: expected) { try CSVReader.read(path: path, columns: [ColumnRequest("sc", type: .numeric)], options: options) }
        options.limits.maxFieldBytes = 5
        #expect(try CSVReader.headerNames(path: path, options: options) == ["sc", "group"])
    }

    /// A field after a quoted one that spans lines is named at the line it starts on.
    @Test func aFieldAfterAMultiLineFieldIsNamedAtItsOwnLine() {
        var options = CSVOptions()
        options.limits.maxFieldBytes = 5
        let error = CSVTestFiles.error(reading: "a,b,c\n1,\"x\ny\",abcdef\n",
                                       columns: [ColumnRequest("a", type: .numeric)], options: options)
        #expect(error?.limit == .maxFieldBytes)
        #expect(error?.location == SourceLocation(file: error?.location?.file, line: 3, column: 3, field: "c"))
    }

    @Test func aHugeFieldInAColumnNotReadStopsBeforeTheBlockGrowsFar() throws {
        // A quoted field of 300 bytes, with delimiters and line breaks inside, in a column
        // nobody asked for: the block (64 bytes) must grow to hold it, and is checked first.
        var options = CSVOptions()
        options.blockSize = 64
        options.limits.maxFieldBytes = 100
        let field = "\"" + String(repeating: "x,\n", count: 100) + "\""
        let error = CSVTestFiles.error(reading: "score,notes\n0.5,short\n0.25,\(field)\n",
                                       columns: [ColumnRequest("score", type: .numeric)], options: options)
        #expect(error?.limit == .maxFieldBytes)
        #expect(error?.location?.line == 3)
        #expect(error?.location?.column == 2)
        #expect(error?.location?.field == "notes")
    }

    @Test func batchesKeepTheFieldLimitToo() throws {
        var options = CSVOptions()
        options.limits.maxFieldBytes = 3
        let path = try CSVTestFiles.write("s,g\n0.5,abc\n0.2,abcd\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let batches = try CSVReader.batches(path: path, columns: [ColumnRequest("g", type: .categorical)], options: options)
        let error = #expect(throws: FairleadError.self) { _ = try batches.next(maxRows: 10) }
        #expect(error?.limit == .maxFieldBytes)
        #expect(error?.location?.line == 3)
    }

    @Test func crOnlyLineEndingsAreNamed() {
        let error = CSVTestFiles.error(reading: "score,y,g\r0.5,1,a\r0.4,0,b\r")
        #expect(error?.location?.line == 1)
        #expect(error?.location?.column == 3)
        #expect(error?.message.contains("CR-only line endings") == true)
        #expect(error?.message.contains("duplicate") == false)
    }

    @Test func aBareCRInsideAQuotedHeaderNameIsData() throws {
        let table = try CSVTestFiles.read("\"a\rb\",c\n1,2\n")
        #expect(table.columns.map(\.name) == ["a\rb", "c"])
    }

    @Test func locateRecordGivesThePhysicalLineAndField() throws {
        let path = try CSVTestFiles.write("score,g\n0.5,\"two\nlines\"\n0.25,b\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(CSVReader.locateRecord(0, column: "g", path: path) == SourceLocation(file: path, line: 2, column: 2, field: "g"))
        // The quoted field spans two lines: record 1 starts on line 4.
        #expect(CSVReader.locateRecord(1, column: "score", path: path) == SourceLocation(file: path, line: 4, column: 1, field: "score"))
        #expect(CSVReader.locateRecord(9, path: path) == nil)
        #expect(CSVReader.locateRecord(0, path: "-") == nil)
    }
}
