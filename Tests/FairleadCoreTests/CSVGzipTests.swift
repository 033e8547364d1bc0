import Testing
@testable import FairleadCore

/// `.csv.gz` input, recognized by the gzip magic bytes and inflated as it is read.
@Suite struct CSVGzipTests {
    static func fixture(_ name: String) -> String {
        CSVTestFiles.fixtures.appendingPathComponent("gzip/\(name)").path
    }

    @Test(arguments: [1, 2])
    func aGzipFileReadsLikeThePlainFile(threads: Int) throws {
        var options = CSVOptions()
        options.threads = threads
        options.blockSize = 10_000
        let compressed = try CSVReader.read(path: Self.fixture("leads-sample.csv.gz"), options: options)
        #expect(compressed == (try CSVReader.read(path: CSVTestFiles.leadsSample)))
        #expect(compressed.rowCount == 5000)
    }

    @Test func membersFollowOneAnother() throws {
        let table = try CSVReader.read(path: Self.fixture("two-members.csv.gz"))
        #expect(table.rowCount == 200)
        #expect(table == (try CSVReader.read(path: Self.fixture("two-members.csv"))))
    }

    @Test func aTruncatedGzipFileIsAnError() {
        let path = Self.fixture("truncated.csv.gz")
        #expect(throws: FairleadError(.invalidData, "the gzip stream is truncated", at: SourceLocation(file: path))) {
            try CSVReader.read(path: path)
        }
    }
}
