import Foundation
import Testing
@testable import FairleadCore

/// `CSVReader.batches`: chosen columns of a file, batch by batch, in bounded memory.
@Suite struct CSVBatchesTests {
    static let requests = [
        ColumnRequest("lead_id", type: .categorical), ColumnRequest("web_visits", type: .numeric),
        ColumnRequest("industry", type: .categorical), ColumnRequest("days_since_first_touch", type: .numeric),
        ColumnRequest("gender", type: .categorical),
    ]

    @Test(arguments: [1, 7, 1000, 100_000], [64, 4096, 1 << 20])
    func leadsSampleMatchesTheTableReader(batchSize: Int, blockSize: Int) throws {
        let path = CSVTestFiles.leadsSample
        let table = try CSVReader.read(path: path, columns: Self.requests)
        var options = CSVOptions()
        options.blockSize = blockSize
        let batches = try CSVTestFiles.batches(path, columns: Self.requests, maxRows: batchSize, options: options)
        #expect(batches.dropLast().allSatisfy { $0.rowCount == batchSize })
        #expect(batches.last.map { $0.rowCount <= batchSize && $0.rowCount > 0 } == true)
        #expect(batches.map(\.firstRow) == Array(stride(from: 0, to: 5000, by: batchSize)))
        // The sample has no quoted line breaks: record k is on line k + 2.
        #expect(batches.flatMap(\.lines) == Array(2...5001))
        for (index, request) in Self.requests.enumerated() {
            let column = try #require(table[request.name])
            #expect(batches.allSatisfy { $0.columns[index].name == request.name && $0.columns[index].type == request.type })
            #expect(batches.values(ofColumn: index) == column.comparableValues)
        }
        let visits = try #require(table["web_visits"]?.numeric)
        #expect(batches.reduce(0) { $0 + $1.numeric(1).missingCount } == visits.missingCount)
        #expect(visits.missingCount > 0)
    }

    @Test(arguments: [1, 999, 100_000])
    func gzipBatchesEqualPlainBatches(batchSize: Int) throws {
        let gzip = CSVTestFiles.fixtures.appendingPathComponent("gzip/leads-sample.csv.gz").path
        var options = CSVOptions()
        options.blockSize = 10_000
        let plain = try CSVTestFiles.batches(CSVTestFiles.leadsSample, columns: Self.requests, maxRows: batchSize)
        let inflated = try CSVTestFiles.batches(gzip, columns: Self.requests, maxRows: batchSize, options: options)
        #expect(inflated.count == plain.count)
        #expect(inflated == plain)
    }

    @Test func quotedFieldsLineEndsAndByteOrderMark() throws {
        let text = "\u{FEFF}id,note,x\r\n\"a,1\",\"say \"\"hi\"\"\nthere\",1.5\r\nb,plain,\"2\"\r\nc,,NA"
        let path = try CSVTestFiles.write(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = CSVOptions()
        options.blockSize = 64
        let reader = try CSVReader.batches(path: path, columns: [
            ColumnRequest("id", type: .categorical), ColumnRequest("note", type: .categorical),
            ColumnRequest("x", type: .numeric)], options: options)
        #expect(reader.headerNames == ["id", "note", "x"])
        let batch = try #require(try reader.next(maxRows: 10))
        #expect(batch.columns[0].comparableValues == ["a,1", "b", "c"])
        #expect(batch.columns[1].comparableValues == ["say \"hi\"\nthere", "plain", nil])
        #expect(batch.numeric(2)[0] == 1.5)
        #expect(batch.numeric(2)[1] == 2)
        #expect(batch.numeric(2)[2] == nil)
        // The record after the quoted line break starts on line 4.
        #expect(batch.lines == [2, 4, 5])
        #expect(try reader.next(maxRows: 10) == nil)
        #expect(reader.rowsRead == 3)
    }

    @Test func levelsBelongToTheirBatch() throws {
        let path = try CSVTestFiles.write("g\nb\na\nb\nc\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let batches = try CSVTestFiles.batches(path, columns: [ColumnRequest("g", type: .categorical)], maxRows: 2)
        #expect(batches.map { $0.categorical(0).levels } == [["b", "a"], ["b", "c"]])
        #expect(batches.map { $0.categorical(0).codes } == [[0, 1], [0, 1]])
    }

    @Test func booleanColumnsAndColumnsInTheOrderAskedFor() throws {
        let path = try CSVTestFiles.write("a,flag,b\n1,true,x\n2,,y\n3,0,z\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let batches = try CSVTestFiles.batches(path, columns: [ColumnRequest("b", type: .categorical),
                                                               ColumnRequest("flag", type: .boolean)], maxRows: 2)
        #expect(batches.map { $0.columns.map(\.name) } == [["b", "flag"], ["b", "flag"]])
        #expect(batches.values(ofColumn: 1) == ["true", nil, "false"])
        #expect(batches[0]["flag"]?.boolean?.values == [true, false])
    }

    @Test func oneColumnBlankLinesSplitAcrossBatches() throws {
        let path = try CSVTestFiles.write("x\n1\n\n\n2\n\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let batches = try CSVTestFiles.batches(path, columns: [ColumnRequest("x", type: .numeric)], maxRows: 1)
        #expect(batches.map { $0.numeric(0)[0] } == [1, nil, nil, 2])
        #expect(batches.flatMap(\.lines) == [2, 3, 4, 5])
        #expect(batches.map(\.firstRow) == [0, 1, 2, 3])
    }

    @Test func aHeaderOnlyFileHasNoBatch() throws {
        let path = try CSVTestFiles.write("a,b\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try CSVReader.batches(path: path, columns: [ColumnRequest("a", type: .numeric)])
        #expect(try reader.next(maxRows: 5) == nil)
        #expect(try reader.next(maxRows: 5) == nil)
    }

    @Test func noColumnsStillCountsAndChecksRecords() throws {
        let path = try CSVTestFiles.write("a,b\n1,2\n3,4\n5,6\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let batches = try CSVTestFiles.batches(path, columns: [], maxRows: 2)
        #expect(batches.map(\.rowCount) == [2, 1])
        #expect(batches.allSatisfy { $0.columns.isEmpty })
    }

    @Test func memoryIsOneBlockNotTheFile() throws {
        var options = CSVOptions()
        options.blockSize = 4096
        let reader = try CSVReader.batches(path: CSVTestFiles.leadsSample, columns: Self.requests, options: options)
        var rows = 0
        while let batch = try reader.next(maxRows: 100) {
            rows += batch.rowCount
            #expect(reader.bufferCapacity == 4096)
        }
        #expect(rows == 5000)
    }

    @Test func aRecordLongerThanABlockGrowsIt() throws {
        let long = String(repeating: "z", count: 300)
        let path = try CSVTestFiles.write("a,b\n1,\"\(long)\"\n2,y\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = CSVOptions()
        options.blockSize = 16
        let batches = try CSVTestFiles.batches(path, columns: [ColumnRequest("b", type: .categorical)],
                                               maxRows: 1, options: options)
        #expect(batches.values(ofColumn: 0) == [long, "y"])
    }

    @Test func everyColumnNeedsAType() {
        #expect(throws: FairleadError(.usage, "column \"industry\" needs a type to be read in batches: "
                                      + "inferring one takes the whole file")) {
            _ = try CSVReader.batches(path: CSVTestFiles.leadsSample, columns: [ColumnRequest("industry")])
        }
    }

    @Test func aColumnAskedForTwiceIsAUsageError() {
        #expect(throws: FairleadError(.usage, "column \"industry\" is asked for twice")) {
            _ = try CSVReader.batches(path: CSVTestFiles.leadsSample, columns: [
                ColumnRequest("industry", type: .categorical), ColumnRequest("industry", type: .numeric)])
        }
    }

    @Test func anErrorIsThrownAgainOnTheNextCall() throws {
        let path = try CSVTestFiles.write("x\n1\nmany\n3\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try CSVReader.batches(path: path, columns: [ColumnRequest("x", type: .numeric)])
        let expected = FairleadError(.invalidData, "expected a number, found \"many\"",
                                     at: SourceLocation(file: path, line: 3, column: 1, field: "x"))
        #expect(throws: expected) { _ = try reader.next(maxRows: 10) }
        #expect(throws: expected) { _ = try reader.next(maxRows: 10) }
    }
}
