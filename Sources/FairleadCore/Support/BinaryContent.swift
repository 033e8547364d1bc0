/// What the first bytes of a file given as text show it to be instead: an SQLite
/// database, an executable, an archive, a spreadsheet, a PDF, or binary data of no known
/// kind. A data file named by mistake (`leads.db` for `leads.csv`, `leads.xlsx`, a
/// program) is refused by what it looks like, before it is parsed, instead of by the
/// first CSV rule its bytes happen to break ("a carriage return without a line feed",
/// "a quote inside an unquoted field"):
///
///     if let content = BinaryContent.detect(firstBlock) {
///         throw content.refusal(of: "leads.db", expected: "CSV text", kind: .invalidData)
///     }
///     // leads.db: the file looks like an SQLite database, not CSV text
///
/// Told by magic numbers at the start of the file, or, for other binary data, by a NUL
/// byte in its first line or NUL bytes in at least 1 of every 8 of its first 4 KiB. A
/// NUL byte inside a CSV field further on is data (and is shown as `\x00` wherever it is
/// printed): only a file that starts so is taken for binary.
public struct BinaryContent: Sendable, Equatable {
    /// What the file looks like: `an SQLite database`.
    public let description: String
    /// What to do instead, or `nil`: `save it as CSV first`.
    public let advice: String?

    public init(description: String, advice: String? = nil) {
        self.description = description
        self.advice = advice
    }

    /// A magic number and what a file starting with it is.
    private struct Signature {
        var offset = 0
        var magic: [UInt8]
        /// Whether the byte after the magic must be a control or non-ASCII byte (for a
        /// magic that a line of text could start with).
        var followedByBinary = false
        var content: BinaryContent
    }

    private static let signatures: [Signature] = [
        Signature(magic: Array("SQLite format 3\u{0}".utf8),
                  content: BinaryContent(description: "an SQLite database",
                                         advice: "export the table as CSV first, e.g. sqlite3 -header -csv FILE 'SELECT * FROM TABLE' > leads.csv")),
        Signature(magic: [0x7F, 0x45, 0x4C, 0x46], content: BinaryContent(description: "an ELF executable or library")),
        Signature(magic: [0xCF, 0xFA, 0xED, 0xFE], content: BinaryContent(description: "a Mach-O executable or library")),
        Signature(magic: [0xCE, 0xFA, 0xED, 0xFE], content: BinaryContent(description: "a Mach-O executable or library")),
        Signature(magic: [0xCA, 0xFE, 0xBA, 0xBE], content: BinaryContent(description: "a Mach-O universal binary or a Java class file")),
        Signature(magic: [0x50, 0x4B, 0x03, 0x04],
                  content: BinaryContent(description: "a zip archive (an .xlsx or .ods workbook is one)",
                                         advice: "save the sheet as CSV (UTF-8) first, or unzip the CSV it holds")),
        Signature(magic: [0x50, 0x4B, 0x05, 0x06],
                  content: BinaryContent(description: "a zip archive (an empty one)")),
        Signature(magic: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
                  content: BinaryContent(description: "an OLE compound file (an Excel 97–2003 .xls workbook is one)",
                                         advice: "save the sheet as CSV (UTF-8) first")),
        // Text could start "PAR1,": a Parquet file's next byte is its first page header's.
        Signature(magic: Array("PAR1".utf8), followedByBinary: true,
                  content: BinaryContent(description: "a Parquet file",
                                         advice: "export it as CSV first (with pandas, DuckDB or Spark)")),
        Signature(magic: Array("Obj".utf8) + [0x01], content: BinaryContent(description: "an Avro file", advice: "export it as CSV first")),
        Signature(magic: Array("ARROW1".utf8), followedByBinary: true, content: BinaryContent(description: "an Arrow IPC (Feather) file", advice: "export it as CSV first")),
        Signature(magic: [0x93] + Array("NUMPY".utf8), content: BinaryContent(description: "a NumPy array file", advice: "export it as CSV first")),
        Signature(magic: Array("%PDF-".utf8), content: BinaryContent(description: "a PDF document")),
        Signature(magic: [0x89] + Array("PNG".utf8), content: BinaryContent(description: "a PNG image")),
        Signature(magic: [0xFF, 0xD8, 0xFF], content: BinaryContent(description: "a JPEG image")),
        Signature(magic: [0x1F, 0x8B],
                  content: BinaryContent(description: "gzip data inside gzip (compressed twice)",
                                         advice: "decompress it once first, e.g. gunzip -c FILE > leads.csv.gz")),
        Signature(offset: 4, magic: [0x31, 0x41, 0x59, 0x26, 0x53, 0x59],
                  content: BinaryContent(description: "bzip2-compressed data",
                                         advice: "decompress it first (Fairlead reads gzip, not bzip2), e.g. bunzip2 -k FILE")),
        Signature(magic: [0xFD] + Array("7zXZ".utf8) + [0x00],
                  content: BinaryContent(description: "xz-compressed data",
                                         advice: "decompress it first (Fairlead reads gzip, not xz), e.g. unxz -k FILE")),
        Signature(magic: [0x28, 0xB5, 0x2F, 0xFD],
                  content: BinaryContent(description: "zstd-compressed data",
                                         advice: "decompress it first (Fairlead reads gzip, not zstd), e.g. unzstd -k FILE")),
        Signature(magic: Array("7z".utf8) + [0xBC, 0xAF, 0x27, 0x1C],
                  content: BinaryContent(description: "a 7-Zip archive", advice: "extract the CSV it holds first")),
        Signature(offset: 257, magic: Array("ustar".utf8),
                  content: BinaryContent(description: "a tar archive", advice: "extract the CSV it holds first, e.g. tar -xf FILE")),
    ]

    /// The bytes of the start that the NUL share is counted over.
    static let sampledBytes = 4096

    /// What the start of a file, `bytes`, shows it to be, or `nil` for text (UTF-8, or
    /// UTF-16 and UTF-32, which ``ForeignTextEncoding`` tells apart: check it first).
    public static func detect<Bytes: Collection>(_ bytes: Bytes) -> BinaryContent? where Bytes.Element == UInt8 {
        let sample = Array(bytes.prefix(sampledBytes))
        for signature in signatures where sample.count >= signature.offset + signature.magic.count {
            let end = signature.offset + signature.magic.count
            guard sample[signature.offset..<end].elementsEqual(signature.magic) else { continue }
            if signature.followedByBinary, end < sample.count, (0x20..<0x7F).contains(sample[end]) { continue }
            return signature.content
        }
        let firstLine = sample.prefix { $0 != UInt8(ascii: "\n") }
        let nulCount = sample.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        if firstLine.contains(0) || (nulCount > 0 && nulCount * 8 >= sample.count) {
            return BinaryContent(description: "binary data (it holds NUL bytes, which no text file does)")
        }
        return nil
    }

    /// The error refusing the file at `path`, read as `expected` ("CSV text"), with the
    /// advice, its `FILE` replaced by the path.
    public func refusal(of path: String, expected: String, kind: FairleadError.Kind) -> FairleadError {
        let advice = self.advice.map { "; " + $0.replacingOccurrences(of: "FILE", with: ForeignTextEncoding.shellWord(path)) } ?? ""
        return FairleadError(kind, "the file looks like \(description), not \(expected)\(advice)", at: SourceLocation(file: path))
    }

    /// The same for an input that is not a file (standard input, named `name`).
    public func refusal(ofStream name: String, expected: String, kind: FairleadError.Kind) -> FairleadError {
        FairleadError(kind, "the input looks like \(description), not \(expected)", at: SourceLocation(file: name))
    }
}
