import Foundation
import Testing
@testable import FairleadCore

/// A file given as text whose first bytes show it is a database, a program, an archive
/// or other binary data is told by what it looks like; text, and NUL bytes as data further
/// into a CSV file, are not.
@Suite struct BinaryContentTests {
    @Test(arguments: [
        (Array("SQLite format 3\u{0}".utf8) + [0x10, 0x00], "an SQLite database"),
        ([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00], "an ELF executable or library"),
        ([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00], "a zip archive (an .xlsx or .ods workbook is one)"),
        (Array("PAR1".utf8) + [0x15, 0x04], "a Parquet file"),
        (Array("%PDF-1.7\n".utf8), "a PDF document"),
        ([0x1F, 0x8B, 0x08, 0x00], "gzip data inside gzip (compressed twice)"),
        (Array("BZh91AY&SY".utf8), "bzip2-compressed data"),
        ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "xz-compressed data"),
        ([0x28, 0xB5, 0x2F, 0xFD, 0x04], "zstd-compressed data"),
        (Array("a\u{0}b,c\n1,2\n".utf8), "binary data (it holds NUL bytes, which no text file does)"),
    ] as [([UInt8], String)])
    func aBinaryStartIsNamed(_ bytes: [UInt8], _ description: String) {
        #expect(BinaryContent.detect(bytes)?.description == description)
    }

    @Test(arguments: [
        "id,score\n1,0.5\n",
        "PAR1,PAR2\n1,2\n",           // a header that starts like Parquet's magic
        "BZh,x\n1,2\n",               // like bzip2's, without the rest of it
        "%PDF,x\n",                   // not "%PDF-"
        "name\nZoë — 東京\n",
        "",
    ])
    func textIsNotBinary(_ text: String) {
        #expect(BinaryContent.detect(Array(text.utf8)) == nil)
    }

    /// A NUL byte in a field further into the file is data (escaped where printed).
    @Test func aFewNULBytesInLaterRowsAreData() {
        var text = Array("lead_id,score,y,g\n".utf8)
        for row in 0..<10 { text += Array("L\(row),0.\(row),1,\"ea".utf8) + [0] + Array("st\"\n".utf8) }
        #expect(BinaryContent.detect(text) == nil)
        // Mostly NUL bytes is binary, first line or not.
        #expect(BinaryContent.detect(Array("a,b\n".utf8) + [UInt8](repeating: 0, count: 100)) != nil)
    }

    @Test func theRefusalNamesTheFileAndWhatToDo() {
        let error = BinaryContent.detect(Array("SQLite format 3\u{0}".utf8))?.refusal(of: "leads.db", expected: "CSV text", kind: .invalidData)
        #expect(error?.description == "leads.db: the file looks like an SQLite database, not CSV text; export the table as CSV first, "
                + "e.g. sqlite3 -header -csv leads.db 'SELECT * FROM TABLE' > leads.csv")
    }
}
