import Foundation

/// A Unicode encoding other than UTF-8 that a text file's first bytes show: UTF-16 or
/// UTF-32, by their byte order mark or, without one, by the NUL bytes that ASCII
/// characters carry in them. Fairlead reads UTF-8 only (a UTF-8 byte order mark is
/// skipped); a file in one of these is refused by name, with the command that converts
/// it, instead of as "invalid UTF-8" or a header of NUL-laden names:
///
///     if let encoding = ForeignTextEncoding.detect(firstBytes) {
///         throw encoding.refusal(of: "leads.csv", kind: .invalidData)
///     }
///     // leads.csv: the file is UTF-16 (little-endian, with a byte order mark), not UTF-8:
///     // convert it first, e.g. iconv -f UTF-16 -t UTF-8 leads.csv > leads.utf8.csv
public struct ForeignTextEncoding: Sendable, Equatable {
    /// UTF-16 or UTF-32.
    public enum Width: Int, Sendable {
        case utf16 = 16, utf32 = 32
    }

    public let width: Width
    public let isBigEndian: Bool
    /// Whether a byte order mark says so; otherwise the NUL bytes of the first characters do.
    public let hasByteOrderMark: Bool

    public init(width: Width, isBigEndian: Bool, hasByteOrderMark: Bool) {
        self.width = width
        self.isBigEndian = isBigEndian
        self.hasByteOrderMark = hasByteOrderMark
    }

    /// `UTF-16`, `UTF-32BE`, …: the name `iconv -f` needs. With a byte order mark, the
    /// plain name (iconv reads the mark, and drops it); without one, the byte order must
    /// be named (iconv's plain UTF-16 is big-endian).
    public var iconvName: String {
        "UTF-\(width.rawValue)" + (hasByteOrderMark ? "" : isBigEndian ? "BE" : "LE")
    }

    /// `UTF-16 (little-endian, with a byte order mark)`.
    public var description: String {
        "UTF-\(width.rawValue) (\(isBigEndian ? "big" : "little")-endian, "
            + (hasByteOrderMark ? "with a byte order mark)" : "without a byte order mark: its first characters alternate with NUL bytes)")
    }

    /// The encoding the start of a file shows, or `nil` for UTF-8 (with or without its byte
    /// order mark) and anything else.
    ///
    /// Marks: `FF FE 00 00` UTF-32LE (before `FF FE`, UTF-16LE), `00 00 FE FF` UTF-32BE,
    /// `FF FE` UTF-16LE, `FE FF` UTF-16BE. Without a mark, the first two characters, if
    /// ASCII, give the pattern: `a 0 0 0 b 0 0 0` UTF-32LE, `0 0 0 a 0 0 0 b` UTF-32BE,
    /// `a 0 b 0` UTF-16LE, `0 a 0 b` UTF-16BE. No UTF-8 text starts with a NUL byte or
    /// holds one among its first characters, so neither a mark nor a pattern is mistaken.
    public static func detect<Bytes: Collection>(_ bytes: Bytes) -> ForeignTextEncoding? where Bytes.Element == UInt8 {
        let first = Array(bytes.prefix(8))
        func starts(_ prefix: [UInt8]) -> Bool { first.starts(with: prefix) }
        if starts([0xFF, 0xFE, 0x00, 0x00]) { return Self(width: .utf32, isBigEndian: false, hasByteOrderMark: true) }
        if starts([0x00, 0x00, 0xFE, 0xFF]) { return Self(width: .utf32, isBigEndian: true, hasByteOrderMark: true) }
        if starts([0xFF, 0xFE]) { return Self(width: .utf16, isBigEndian: false, hasByteOrderMark: true) }
        if starts([0xFE, 0xFF]) { return Self(width: .utf16, isBigEndian: true, hasByteOrderMark: true) }
        // Whether byte `index` is NUL exactly when `nul` says it is.
        func matches(_ nul: [Bool]) -> Bool {
            first.count >= nul.count && zip(first, nul).allSatisfy { ($0 == 0) == $1 }
        }
        if matches([false, true, true, true, false, true, true, true]) {
            return Self(width: .utf32, isBigEndian: false, hasByteOrderMark: false)
        }
        if matches([true, true, true, false, true, true, true, false]) {
            return Self(width: .utf32, isBigEndian: true, hasByteOrderMark: false)
        }
        if matches([false, true, false, true]) { return Self(width: .utf16, isBigEndian: false, hasByteOrderMark: false) }
        if matches([true, false, true, false]) { return Self(width: .utf16, isBigEndian: true, hasByteOrderMark: false) }
        return nil
    }

    /// The error refusing the file at `path` (`kind` says what it was read as), with the
    /// `iconv` command that converts it (through `gunzip -c` for a `compressed` one). An
    /// input that is not a file (`isFile` false: standard input, named `path`) is told
    /// the conversion to pipe it through.
    public func refusal(of path: String, kind: FairleadError.Kind, compressed: Bool = false,
                        isFile: Bool = true) -> FairleadError {
        let convert = "iconv -f \(iconvName) -t UTF-8"
        guard isFile else {
            return FairleadError(kind, "the input is \(description), not UTF-8: convert it first, e.g. "
                                 + (compressed ? "gunzip -c | " : "") + convert, at: SourceLocation(file: path))
        }
        let converted = Self.shellWord(Self.convertedName(of: path, compressed: compressed))
        let command = compressed
            ? "gunzip -c \(Self.shellWord(path)) | \(convert) > \(converted)"
            : "\(convert) \(Self.shellWord(path)) > \(converted)"
        return FairleadError(kind, "the file is \(description), not UTF-8: convert it first, e.g. \(command)",
                             at: SourceLocation(file: path))
    }

    /// `leads.csv` → `leads.utf8.csv`; `leads.csv.gz` → `leads.utf8.csv` (written plain).
    static func convertedName(of path: String, compressed: Bool) -> String {
        var base = Substring(path)
        if compressed, base.hasSuffix(".gz") { base = base.dropLast(3) }
        let slash = base.lastIndex(of: "/")
        if let dot = base.lastIndex(of: "."), dot > (slash ?? base.startIndex), dot != base.startIndex {
            return base[..<dot] + ".utf8" + base[dot...]
        }
        return base + ".utf8"
    }

    /// `path` as one shell word: as it is when it holds only characters no shell reads
    /// specially, else in single quotes.
    static func shellWord(_ path: String) -> String {
        let plain = path.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._/-+,:@%".unicodeScalars.contains(scalar))
        }
        return plain && !path.isEmpty ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
