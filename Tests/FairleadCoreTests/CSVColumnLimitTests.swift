import Foundation
import Testing
@testable import FairleadCore

/// ``Limits/maxColumns``: a header of more columns than the limit is refused as it is
/// read, at line 1, with the count; and what a column costs the reader before any record
/// is small, so that a wide file within the limit reads.
@Suite struct CSVColumnLimitTests {
    /// A header of `count` columns `c0,c1,…` and `rows` rows of their indices.
    static func wide(_ count: Int, rows: Int = 1) -> String {
        let header = (0..<count).map { "c\($0)" }.joined(separator: ",")
        let row = (0..<count).map { String($0) }.joined(separator: ",")
        return header + "\n" + Array(repeating: row, count: rows).joined(separator: "\n") + "\n"
    }

    @Test(arguments: [1, 3])
    func aHeaderPastTheLimitIsRefusedAtLineOneWithTheCount(threads: Int) {
        var options = CSVOptions()
        options.limits.maxColumns = 10
        options.threads = threads
        let error = CSVTestFiles.error(reading: Self.wide(11), options: options)
        #expect(error == FairleadError(.invalidData, "the header row has 11 columns, more than the max_columns limit of 10",
                                       at: SourceLocation(file: error?.location?.file, line: 1), limit: .maxColumns))
    }

    @Test func aHeaderAtTheLimitReads() throws {
        var options = CSVOptions()
        options.limits.maxColumns = 10
        let table = try CSVTestFiles.read(Self.wide(10, rows: 2), options: options)
        #expect(table.columns.count == 10 && table.rowCount == 2)
    }

    @Test func theDefaultIsTenThousand() throws {
        #expect(Limits().maxColumns == 10_000)
        #expect(Limits()[.maxColumns] == 10_000)
        #expect(CSVTestFiles.error(reading: Self.wide(10_001))?.message
                == "the header row has 10001 columns, more than the max_columns limit of 10000")
        #expect(try CSVTestFiles.read(Self.wide(10_000)).columns.count == 10_000)
    }

    /// A header longer than the block is counted in what was read: the block does not grow
    /// to hold the rest of a header already too wide.
    @Test func aHeaderLongerThanTheBlockIsRefusedByWhatWasRead() {
        var options = CSVOptions()
        options.limits.maxColumns = 10
        options.blockSize = 64
        // c0,…,c9, take 30 bytes; c10, to c17, 32 more; the 64th byte is inside c18.
        let error = CSVTestFiles.error(reading: Self.wide(100), options: options)
        #expect(error?.message == "the header row has at least 18 columns in its first 64 bytes, more than the max_columns limit of 10")
        #expect(error?.location?.line == 1 && error?.limit == .maxColumns)
        // Only the header is read to list the names: refused the same way.
        let path = try? CSVTestFiles.write(Self.wide(100))
        defer { path.map { try? FileManager.default.removeItem(atPath: $0) } }
        #expect(throws: FairleadError.self) { try CSVReader.headerNames(path: path ?? "", options: options) }
    }

    /// However far the limit is raised, a header holds at most ``CSVReader/maximumColumnCount``
    /// columns, and the message offers no limit to raise.
    @Test func noLimitAdmitsMoreThanTheMaximum() {
        var options = CSVOptions()
        options.limits.maxColumns = .max
        options.blockSize = 16 << 20
        let header = String(repeating: "a,", count: CSVReader.maximumColumnCount) + "a\n"
        let error = CSVTestFiles.error(reading: header, options: options)
        #expect(error?.message == "the header row has 1048577 columns, more than any CSV file may have (1048576)")
        #expect(error?.limit == nil)
    }

    /// What a column costs the reader before its values: the records held for the
    /// builders are bounded in spans, not in records per column (1,024 records of a
    /// million columns were 32 GB), and a dictionary has no table before its first level.
    @Test func pendingRecordsAreBoundedInSpans() {
        let narrow = _PendingRecords(slots: 16, capacity: 1024, columnMajor: true)
        let wide = _PendingRecords(slots: 10_000, capacity: 1024, columnMajor: true)
        let widest = _PendingRecords(slots: 1 << 20)
        defer { [narrow, wide, widest].forEach { $0.deallocate() } }
        #expect(narrow.capacity == 1024)
        #expect(wide.capacity == _PendingRecords.spanBudget / 10_000)
        #expect(widest.capacity == 1)
        #expect(_PendingRecords(slots: 16).capacity == _PendingRecords.batch)
    }

    /// A wide file within a raised limit reads whole, on one thread and on several (whose
    /// steps grow the records held, one at a time at first, as they need).
    @Test(arguments: [1, 2])
    func aWideFileWithinARaisedLimitReads(threads: Int) throws {
        var options = CSVOptions()
        options.limits.maxColumns = 20_000
        options.threads = threads
        options.blockSize = 64 << 10
        let table = try CSVTestFiles.read(Self.wide(20_000, rows: 3), options: options)
        #expect(table.rowCount == 3 && table.columns.count == 20_000)
        #expect(table.column(named: "c19999")?.numeric?.values == [19_999, 19_999, 19_999])
    }
}
