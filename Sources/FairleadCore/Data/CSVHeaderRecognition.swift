/// Whether a file's first row is the header of the data asked for: it holds at least one
/// of the columns asked for. Only then are its names quoted back in messages ("closest:
/// …"); the first line of a file that is something else — `/etc/passwd` or a `.env` given
/// as data — is described, never echoed. A name of the first row that is a typo away
/// from one asked for (edit distance at most a third of the name's length, and at least
/// 2) is still offered when the first row has two fields or more, so `--quasi zipp` on a
/// file with `zip,age` says so; a first row of one field is never quoted, typo or not (it
/// may be a secret line of another file, two thirds of which a name asked for could guess).
///
///     CSVHeaderRecognition.error(header: ["root:x:0:0:root:/root:/bin/bash"], asked: ["zip"], path: "/etc/passwd")
///     // /etc/passwd:1: none of the columns asked for (zip) is in this file's first row
///     // (1 field): it is not a CSV file with a header row, or not the data expected
public enum CSVHeaderRecognition {
    /// The error for a `header` that holds none of `asked`, naming `path` and line 1; nil
    /// when it holds one of them. `askedBy` and `expected` word the message for the caller
    /// ("the profile names", "the data this profile describes").
    ///
    /// A first row that is one name which another common delimiter (`;`, tab, `|`, `,`)
    /// splits into names asked for is said to be so: the file is separated by it, not by
    /// `delimiter`, the one it was read with.
    public static func error(header: [String], asked: [String], path: String?,
                             askedBy: String = "asked for", expected: String = "the data expected",
                             delimiter: Unicode.Scalar = ",") -> FairleadError? {
        let columns = Set(header)
        guard !asked.contains(where: columns.contains) else { return nil }
        var names: [String] = []
        for name in asked where !names.contains(name) { names.append(name) }
        let shown = names.prefix(shownNames).map { MessageQuote.clipped($0) }.joined(separator: ", ")
            + (names.count > shownNames ? " and \(names.count - shownNames) more" : "")
        // Near names only, for the first few names asked for: a typo, never a far line. And
        // only from a first row of several fields: a one-field first row is a line of a file
        // that is something else as often as a header (`.env`'s `TOKEN=…`, a URL with its
        // credentials), and a name asked for two thirds of it would get the rest back.
        let typos = header.count < 2 ? [] : names.prefix(shownNames).compactMap { name -> String? in
            guard let match = typoNames(of: name, in: header, limit: 1).first else { return nil }
            return "\"\(MessageQuote.clipped(match))\" for \"\(MessageQuote.clipped(name))\""
        }
        if delimiter.isASCII, case let (other, split)? = _CSVHeader.otherDelimiter(splitting: header, delimiter: UInt8(delimiter.value)) {
            // The names quoted are those asked for, never the file's.
            let found = names.filter(split.contains)
            if !found.isEmpty {
                let listed = found.prefix(shownNames).map { MessageQuote.clipped($0) }.joined(separator: ", ")
                return FairleadError(.invalidData, "none of the columns \(askedBy) (\(shown)) is in this file's first row (1 field); "
                                     + _CSVHeader.delimiterHint(other, delimiter: UInt8(delimiter.value),
                                                                evidence: "its first row splits at it into \(split.count) names, among them \(listed)"),
                                     at: SourceLocation(file: path, line: 1))
            }
        }
        return FairleadError(.invalidData,
                             "none of the columns \(askedBy) (\(shown)) is in this file's first row (\(header.count) field\(header.count == 1 ? "" : "s")): "
                             + (typos.isEmpty ? "it is not a CSV file with a header row, or not \(expected)"
                                : "did you mean \(typos.joined(separator: ", "))?"),
                             at: SourceLocation(file: path, line: 1))
    }

    /// The warning for a file whose `header` is one name that another common delimiter
    /// (`;`, tab, `|`, `,`) splits into several: it is separated by that delimiter, not by
    /// `delimiter` — for commands that read any file and name no column (`inspect`,
    /// `init`), which reported "1 columns" named `lead_id;score;…` or no score column.
    /// `nil` for any other header.
    public static func delimiterWarning(header: [String], delimiter: Unicode.Scalar = ",") -> String? {
        guard delimiter.isASCII, case let (other, split)? = _CSVHeader.otherDelimiter(splitting: header, delimiter: UInt8(delimiter.value)) else {
            return nil
        }
        return _CSVHeader.delimiterHint(other, delimiter: UInt8(delimiter.value),
                                        evidence: "its header row is one name that splits into \(split.count) at it")
    }

    /// How many of the names asked for a message lists.
    static let shownNames = 8
}
