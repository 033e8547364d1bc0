import Foundation
import Testing
@testable import FairleadCore

/// ``ForeignTextEncoding``: UTF-16 and UTF-32 told by their byte order marks and by the
/// NUL bytes of ASCII text, never UTF-8; and the CSV reader refusing them by name.
@Suite struct ForeignTextEncodingTests {
    /// `text` in `encoding`, with its byte order mark or without.
    static func encoded(_ text: String, _ encoding: String.Encoding, mark: Bool) -> [UInt8] {
        let marks: [String.Encoding: [UInt8]] = [.utf16LittleEndian: [0xFF, 0xFE], .utf16BigEndian: [0xFE, 0xFF],
                                                 .utf32LittleEndian: [0xFF, 0xFE, 0, 0], .utf32BigEndian: [0, 0, 0xFE, 0xFF]]
        return (mark ? marks[encoding] ?? [] : []) + Array(text.data(using: encoding) ?? Data())
    }

    @Test(arguments: [
        (String.Encoding.utf16LittleEndian, true, "UTF-16", "UTF-16 (little-endian, with a byte order mark)"),
        (.utf16BigEndian, true, "UTF-16", "UTF-16 (big-endian, with a byte order mark)"),
        (.utf32LittleEndian, true, "UTF-32", "UTF-32 (little-endian, with a byte order mark)"),
        (.utf32BigEndian, true, "UTF-32", "UTF-32 (big-endian, with a byte order mark)"),
        (.utf16LittleEndian, false, "UTF-16LE", "UTF-16 (little-endian, without a byte order mark: its first characters alternate with NUL bytes)"),
        (.utf16BigEndian, false, "UTF-16BE", "UTF-16 (big-endian, without a byte order mark: its first characters alternate with NUL bytes)"),
        (.utf32LittleEndian, false, "UTF-32LE", "UTF-32 (little-endian, without a byte order mark: its first characters alternate with NUL bytes)"),
        (.utf32BigEndian, false, "UTF-32BE", "UTF-32 (big-endian, without a byte order mark: its first characters alternate with NUL bytes)"),
    ])
    func unicodeEncodingsAreToldByMarkOrNULs(encoding: String.Encoding, mark: Bool, iconvName: String, description: String) {
        let found = ForeignTextEncoding.detect(Self.encoded("score,gender\n0.5,f\n", encoding, mark: mark))
        #expect(found?.iconvName == iconvName)
        #expect(found?.description == description)
    }

    @Test(arguments: ["score,gender\n", "\u{FEFF}score,gender\n", "é,ü\n", "a", "", "ab\u{0}c"])
    func utf8IsNotForeign(text: String) {
        #expect(ForeignTextEncoding.detect(Array(text.utf8)) == nil)
    }

    @Test func theRefusalNamesTheConversion() {
        let utf16 = ForeignTextEncoding(width: .utf16, isBigEndian: false, hasByteOrderMark: true)
        #expect(utf16.refusal(of: "data/leads.csv", kind: .invalidData).description
                == "data/leads.csv: the file is UTF-16 (little-endian, with a byte order mark), not UTF-8: convert it first, e.g. iconv -f UTF-16 -t UTF-8 data/leads.csv > data/leads.utf8.csv")
        #expect(utf16.refusal(of: "my leads.csv.gz", kind: .invalidData, compressed: true).message
                == "the file is UTF-16 (little-endian, with a byte order mark), not UTF-8: convert it first, e.g. gunzip -c 'my leads.csv.gz' | iconv -f UTF-16 -t UTF-8 > 'my leads.utf8.csv'")
        #expect(utf16.refusal(of: "standard input", kind: .invalidData, isFile: false).message
                == "the input is UTF-16 (little-endian, with a byte order mark), not UTF-8: convert it first, e.g. iconv -f UTF-16 -t UTF-8")
        #expect(ForeignTextEncoding.convertedName(of: "profile", compressed: false) == "profile.utf8")
        #expect(ForeignTextEncoding.convertedName(of: "./a.b/profile", compressed: false) == "./a.b/profile.utf8")
        #expect(ForeignTextEncoding.shellWord("it's") == "'it'\\''s'")
    }

    @Test(arguments: [(String.Encoding.utf16LittleEndian, true), (.utf16BigEndian, false), (.utf32LittleEndian, true)])
    func theCSVReaderRefusesThemByName(encoding: String.Encoding, mark: Bool) throws {
        let path = try CSVTestFiles.write(Self.encoded("score,gender\n0.5,f\n", encoding, mark: mark))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: FairleadError.self) { try CSVReader.read(path: path) }
        #expect(error?.location == SourceLocation(file: path))
        #expect(error?.message.hasPrefix("the file is UTF-") == true)
        #expect(error?.message.contains("not UTF-8: convert it first, e.g. iconv -f UTF-") == true)
        #expect(throws: FairleadError.self) { try CSVReader.headerNames(path: path) }
    }

    /// The check reads the inflated bytes: a gzip file of UTF-8 reads, one of UTF-16 is
    /// refused with the conversion through gunzip.
    @Test func gzipFilesAreJudgedByTheirText() throws {
        let utf8 = try CSVLimitsTests.gzipFile(Array("\u{FEFF}score,gender\n0.5,f\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: utf8) }
        #expect(try CSVReader.read(path: utf8).columns.map(\.name) == ["score", "gender"])
        let utf16 = try CSVLimitsTests.gzipFile(Self.encoded("score,gender\n0.5,f\n", .utf16LittleEndian, mark: true))
        defer { try? FileManager.default.removeItem(atPath: utf16) }
        let error = #expect(throws: FairleadError.self) { try CSVReader.read(path: utf16) }
        #expect(error?.message.contains("e.g. gunzip -c \(utf16) | iconv -f UTF-16 -t UTF-8 > ") == true, "\(String(describing: error))")
    }
}
