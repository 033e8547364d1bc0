import Foundation
import Testing
@testable import FairleadCore
import FairleadTestSupport

/// A column whose first block holds only distinct values is kept as text (``TextColumn``),
/// and reads as the categorical column a dictionary would have made.
@Suite struct CSVTextColumnTests {
    /// The ids of `rows` leads: distinct, some with a quote, some missing (`nil`), some
    /// not ASCII; from `repeatFrom` on (past the first block), seven values over and over; one repeat at `duplicateAt`.
    static func ids(rows: Int, repeatFrom: Int? = nil, duplicateAt: Int? = nil) -> [String?] {
        (0..<rows).map { row in
            var id = "L\(1_000_000 + row)"
            if let repeatFrom, row >= repeatFrom { id = "L\(1_000_000 + row % 7)" }
            if let duplicateAt, row == duplicateAt { id = "L1000000" }
            switch row % 997 {
            case 5: return "\(id) \"quoted\""
            case 9: return nil
            case 11: return "\(id)-é"
            default: return id
            }
        }
    }

    /// A file of those ids (quoted where they hold a quote, `NA` where missing), a
    /// repeating region and a distinct e-mail address per row.
    static func file(rows: Int, repeatFrom: Int? = nil, duplicateAt: Int? = nil) -> String {
        var text = "lead_id,region,email\n"
        for (row, id) in ids(rows: rows, repeatFrom: repeatFrom, duplicateAt: duplicateAt).enumerated() {
            let idField = id.map { $0.contains("\"") ? "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : $0 } ?? "NA"
            text += "\(idField),\(["north", "south", "east"][row % 3]),user\(row)@example.com\n"
        }
        return text
    }

    /// The table read with one block of 7 bytes first: no block holds 1,024 values, so
    /// every categorical column keeps its dictionary.
    static func dictionaryRead(_ path: String) throws -> Table {
        var options = CSVOptions()
        options.blockSize = 7
        return try CSVReader.read(path: path, options: options)
    }

    @Test(arguments: [1, 2])
    func distinctColumnsAreTextAndReadAsTheirDictionaries(threads: Int) throws {
        let path = try CSVTestFiles.write(Self.file(rows: 60_000, repeatFrom: 50_000))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = CSVOptions()
        options.threads = threads
        let table = try CSVReader.read(path: path, options: options)
        let reference = try Self.dictionaryRead(path)
        let ids = try #require(table["lead_id"])
        let text = try #require(ids.text, "an id column is held as text")
        #expect(table["email"]?.text != nil)
        #expect(table["region"]?.text == nil, "a column of three values keeps its dictionary")
        #expect(reference["lead_id"]?.text == nil)
        #expect(ids.type == .categorical)
        #expect(table == reference)

        // Row by row, and dictionary-encoded: the same codes and levels as the dictionary's.
        let encoded = try #require(ids.categorical)
        let dictionary = try #require(reference["lead_id"]?.categorical)
        #expect(encoded.codes == dictionary.codes)
        #expect(encoded.levels == dictionary.levels)
        #expect(encoded.missingCount == dictionary.missingCount)
        let expected = Self.ids(rows: 60_000, repeatFrom: 50_000)
        #expect((0..<60_000).map { text[$0] } == expected)
        #expect(ids.missingCount == 61 && text.missingCount == 61)  // rows 9, 1006, … below 60,000
        #expect(text[5] == "L1000005 \"quoted\"" && text[9] == nil && text[11] == "L1000011-é")
        #expect(text[59_999] == "L1000002" && text[59_998] == "L1000001")  // repeated: 59,999 % 7 = 2
        // Levels in order of first appearance, each once.
        var seen = Set<String>()
        #expect(encoded.levels == expected.compactMap { $0 }.filter { seen.insert($0).inserted })
        #expect(encoded.codes[59_999] == encoded.codes[59_992])
    }

    @Test func aRepeatInTheFirstBlockKeepsTheDictionary() throws {
        let path = try CSVTestFiles.write(Self.file(rows: 5_000, duplicateAt: 2_000))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let table = try CSVReader.read(path: path)
        #expect(table["lead_id"]?.text == nil)
        #expect(table["email"]?.text != nil)
        #expect(table == (try Self.dictionaryRead(path)))
    }

    @Test func fewerThanTheThresholdOfValuesKeepTheDictionary() throws {
        let path = try CSVTestFiles.write(Self.file(rows: _ColumnBuilder.textAfterDistinctValues - 1))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let table = try CSVReader.read(path: path)
        #expect(table["email"]?.text == nil)
        #expect(table["lead_id"]?.text == nil)
    }

    @Test(arguments: [1, 2])
    func badUTF8AfterTheSwitchIsTheDictionarysError(threads: Int) throws {
        var bytes = Array(Self.file(rows: 60_000).utf8)
        // A byte that starts no UTF-8 sequence, in the email of data row 40,000 (line
        // 40,002), past the first block (1 MiB, some 26,000 rows): the column is text by then.
        let line = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let offset = line[0..<40_001].reduce(0) { $0 + $1.count + 1 } + line[40_001].firstIndex(of: UInt8(ascii: "@"))! - line[40_001].startIndex
        #expect(offset > 1 << 20, "the bad byte lies past the first block")
        bytes[offset] = 0xFF
        let path = try CSVTestFiles.write(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = CSVOptions()
        options.threads = threads
        var error: FairleadError?
        do { _ = try CSVReader.read(path: path, options: options) } catch let caught as FairleadError { error = caught }
        var dictionaryError: FairleadError?
        do { _ = try Self.dictionaryRead(path) } catch let caught as FairleadError { dictionaryError = caught }
        let found = try #require(error)
        #expect(found.description == dictionaryError?.description)
        #expect(found.location?.line == 40_002)
        #expect(found.location?.field == "email")
    }

    @Test func batchesKeepTheirDictionaries() throws {
        let path = try CSVTestFiles.write(Self.file(rows: 5_000))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let batches = try CSVReader.batches(path: path, columns: [ColumnRequest("lead_id", type: .categorical)])
        let batch = try #require(try batches.next(maxRows: 4_000))
        #expect(batch.columns[0].text == nil)
        #expect(batch.categorical(0).levels.count == 4_000 - 5)  // rows 9, 1006, 2003, 3000 and 3997 are missing
    }

    @Test func memoryIsTheTextAndNineBytesARow() {
        let column = Column(name: "id", text: TextColumn(["ab", nil, "cde"]))
        #expect(column.memoryFootprint == 5 + 3 * 9)
        #expect(column.count == 3 && column.missingCount == 1 && column.type == .categorical)
        #expect(column.categorical?.codes == [0, -1, 1])
        #expect(column.categorical?.levels == ["ab", "cde"])
        #expect(column == Column(name: "id", storage: .categorical(CategoricalColumn(codes: [0, -1, 1], levels: ["ab", "cde"]))))
        #expect(column != Column(name: "id", text: TextColumn(["ab", "", "cde"])))
        #expect(column.numeric == nil && column.boolean == nil)
    }
}
