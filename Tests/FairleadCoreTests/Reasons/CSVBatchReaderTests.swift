import Foundation
import Testing
@testable import FairleadCore

@Suite("CSV batch reader: streaming columns with bounded memory")
struct CSVBatchReaderTests {
    static let requests: [CSVBatchReader.Request] = [
        .init("lead_id", kind: .text), .init("web_visits", kind: .numeric), .init("industry", kind: .categorical),
        .init("days_since_first_touch", kind: .numeric), .init("gender", kind: .categorical),
    ]

    /// Everything of `path` through batches of `size` rows, with levels as strings.
    static func readAll(_ path: String, size: Int, blockSize: Int = 1 << 20) throws -> (ids: [String], visits: [Double], industry: [String?], days: [Double], gender: [String?]) {
        let reader = try CSVBatchReader(path: path, requests: requests, blockSize: blockSize)
        var result: (ids: [String], visits: [Double], industry: [String?], days: [Double], gender: [String?]) = ([], [], [], [], [])
        while let batch = try reader.next(maxRows: size) {
            #expect(batch.rowCount <= size)
            result.ids += batch.text(0)
            result.visits += batch.numbers(1)
            let (codes, levels) = batch.categories(2)
            result.industry += codes.map { $0 < 0 ? nil : levels[Int($0)] }
            result.days += batch.numbers(3)
            let (genderCodes, genderLevels) = batch.categories(4)
            result.gender += genderCodes.map { $0 < 0 ? nil : genderLevels[Int($0)] }
        }
        return result
    }

    @Test(arguments: [1, 7, 1000, 100_000], [64, 4096, 1 << 20])
    func matchesTheTableReader(batchSize: Int, blockSize: Int) throws {
        let path = ExplanationFixtures.leadsPath
        let table = try CSVReader.read(path: path, columns: [
            ColumnRequest("lead_id", type: .categorical), ColumnRequest("web_visits", type: .numeric),
            ColumnRequest("industry", type: .categorical), ColumnRequest("days_since_first_touch", type: .numeric),
            ColumnRequest("gender", type: .categorical)])
        let streamed = try Self.readAll(path, size: batchSize, blockSize: blockSize)
        let ids = try #require(table["lead_id"]?.categorical)
        #expect(streamed.ids == (0..<table.rowCount).map { ids[$0] ?? "" })
        let visits = try #require(table["web_visits"]?.numeric)
        #expect(streamed.visits.count == 5000)
        #expect(zip(streamed.visits, visits.values).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
        #expect(streamed.visits.filter(\.isNaN).count == visits.missingCount)
        let industry = try #require(table["industry"]?.categorical)
        #expect(streamed.industry == (0..<table.rowCount).map { industry[$0] })
        let days = try #require(table["days_since_first_touch"]?.numeric)
        #expect(streamed.days == days.values)
        let gender = try #require(table["gender"]?.categorical)
        #expect(streamed.gender == (0..<table.rowCount).map { gender[$0] })
    }

    @Test func readsGzip() throws {
        let gzip = ExplanationFixtures.path("Tests/FairleadCoreTests/Fixtures/csv/gzip/leads-sample.csv.gz")
        let plain = try Self.readAll(ExplanationFixtures.leadsPath, size: 999)
        let inflated = try Self.readAll(gzip, size: 999)
        #expect(inflated.ids == plain.ids)
        #expect(inflated.days == plain.days)
        #expect(inflated.industry == plain.industry)
    }

    @Test func quotedFieldsLineEndsAndByteOrderMark() throws {
        let text = "\u{FEFF}id,note,x\r\n\"a,1\",\"say \"\"hi\"\"\nthere\",1.5\r\n\nb,plain,\"2\"\r\nc,,NA"
        let path = try ExplanationFixtures.temporaryFile(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try CSVBatchReader(path: path, requests: [.init("id", kind: .text), .init("note", kind: .categorical),
                                                               .init("x", kind: .numeric)], blockSize: 64)
        let batch = try #require(try reader.next(maxRows: 10))
        #expect(batch.text(0) == ["a,1", "b", "c"])
        let (codes, levels) = batch.categories(1)
        #expect(codes.map { $0 < 0 ? nil : levels[Int($0)] } == ["say \"hi\"\nthere", "plain", nil])
        #expect(batch.numbers(2)[0...1] == [1.5, 2])
        #expect(batch.numbers(2)[2].isNaN)
        // The record after the quoted line break starts on line 5 (line 4 is empty).
        #expect(batch.lines == [2, 5, 6])
        #expect(try reader.next(maxRows: 10) == nil)
    }

    struct BadCase: CustomTestStringConvertible, Sendable {
        var name: String
        var text: String
        var expected: String
        var testDescription: String { name }
    }

    static let badCases: [BadCase] = [
        BadCase(name: "not a number", text: "id,x\na,1\nb,many\n", expected: "FILE:3:2 (column \"x\"): expected a number, found \"many\""),
        BadCase(name: "ragged record", text: "id,x\na,1\nb,2,3\n", expected: "FILE:3: a record of 3 fields under a header of 2"),
        BadCase(name: "unterminated quote", text: "id,x\na,1\n\"b,2\n", expected: "FILE:3:1 (column \"id\"): unterminated quoted field: the quote that opens it is never closed"),
        BadCase(name: "text after a closing quote", text: "id,x\n\"a\"b,1\n", expected: "FILE:2:1 (column \"id\"): unexpected character after the closing quote of a quoted field"),
        BadCase(name: "missing column", text: "id,y\na,1\n", expected: "FILE:1: no column \"x\" in the header (closest: \"y\", \"id\")"),
        BadCase(name: "empty file", text: "", expected: "FILE:1: empty file: expected a header row"),
    ]

    @Test(arguments: badCases)
    func badInputNamesTheLineAndColumn(_ bad: BadCase) throws {
        let path = try ExplanationFixtures.temporaryFile(bad.text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let reader = try CSVBatchReader(path: path, requests: [.init("id", kind: .text), .init("x", kind: .numeric)], blockSize: 64)
            while try reader.next(maxRows: 1) != nil {}
            Issue.record("expected an error")
        } catch let error as FairleadError {
            #expect(error.description == bad.expected.replacingOccurrences(of: "FILE", with: path))
        }
    }
}
