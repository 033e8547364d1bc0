import Foundation

/// Quoting input text inside an error message: the one rule every error that echoes what
/// a user gave follows.
///
/// An error may quote only what was read as what it claimed to be — a header name of a
/// file that reads as the CSV asked for, a key of a profile, a value of a model's field —
/// never a line of a file that turned out to be something else (`/etc/shadow` given as a
/// profile or data file). What it quotes is clipped and made visible:
///
///     MessageQuote.clipped("score\u{1B}[2J")                   // `score\x1B[2J`, the escape spelt out
///     MessageQuote.clipped(String(repeating: "a", count: 500)) // 60 characters, then "…"
///
/// Control characters (ANSI escapes, CR, LF, NUL, DEL, the C1 range, bidi overrides) are
/// written as ``TerminalEscaping`` writes them (`\x1B`, `\u{202E}`), so a quoted value can neither move the terminal's cursor nor forge a
/// second line of output.
public enum MessageQuote {
    /// `names` quoted and clipped, at most `limit` of them, then how many more there are:
    /// `"asian", "black", … (30000 in all)`. A list of a data file's groups or levels is
    /// as long as the file makes it.
    public static func list(_ names: [String], limit: Int = 10) -> String {
        let shown = names.prefix(limit).map { "\"\(clipped($0))\"" }.joined(separator: ", ")
        return names.count > limit ? shown + ", … (\(names.count) in all)" : shown
    }

    /// The longest line a message prints, in characters: ``messageLines(_:)``.
    public static let messageLineLimit = 4_096

    /// `message` with every line longer than ``messageLineLimit`` characters cut in its
    /// middle — its first three quarters and last quarter kept, "… (N characters left out)
    /// …" between — so that a message quoting a value whole (a rule, a column name or a
    /// path of a megabyte that a profile or a flag gave) comes back bounded whatever the
    /// site that built it; the values a message quotes on purpose are clipped at 60
    /// (``clipped(_:limit:)``) already. Lines are `\n`-separated.
    ///
    ///     MessageQuote.messageLines("unknown metric '" + String(repeating: "x", count: 900_000) + "'")
    ///     // unknown metric 'xxx…xxx … (895905 characters left out) … xxx…xxx'
    public static func messageLines(_ message: String) -> String {
        guard message.utf8.count > messageLineLimit else { return message }
        return message.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let count = line.count
            guard count > messageLineLimit else { return String(line) }
            let head = messageLineLimit * 3 / 4, tail = messageLineLimit / 4
            let left = count - head - tail
            return String(line.prefix(head)) + " … (\(left) characters left out) … "
                + String(line.suffix(tail))
        }.joined(separator: "\n")
    }

    /// `text` with control characters escaped, cut as ``cut(_:limit:)`` cuts it.
    public static func clipped(_ text: some StringProtocol, limit: Int = 60) -> String {
        // Cut first, then escape with the terminal's one rule (`\x1B`, `\u{202E}`), so a
        // quote in a message reads as the same value does in a table.
        TerminalEscaping.visible(cut(text, limit: limit))
    }

    /// `bytes` — UTF-8 as read from a file, valid or not — clipped and made visible as
    /// ``clipped(_:limit:)`` does text, each byte that is not part of valid UTF-8 written
    /// `\xHH` (as a terminal shows it, docs/security-escaping.md) and counted as one
    /// character: the raw bytes, where decoding them first would show each as U+FFFD.
    ///
    ///     MessageQuote.clipped(bytes: Array("bad".utf8) + [0xFF, 0xFE])   // bad\xFF\xFE
    public static func clipped(bytes: some Collection<UInt8>, limit: Int = 60) -> String {
        let bytes = Array(bytes)
        var output = ""
        var characters = 0, scalars = 0
        // Appends `text` made visible, as far as the limits go; false once it was cut.
        func take(_ text: String) -> Bool {
            var kept = String.UnicodeScalarView()
            defer { output += TerminalEscaping.visible(String(kept)) }
            for character in text {
                guard characters < limit else { return false }
                for scalar in character.unicodeScalars {
                    guard scalars < limit * 4 else { return false }
                    kept.append(scalar)
                    scalars += 1
                }
                characters += 1
            }
            return true
        }
        return bytes.withUnsafeBufferPointer { buffer in
            var runStart = 0, index = 0
            while index < buffer.count {
                if buffer[index] < 0x80 {
                    index += 1
                } else if let (_, length) = _VisibleBytes.decode(buffer, at: index) {
                    index += length
                } else {
                    guard take(String(decoding: UnsafeBufferPointer(rebasing: buffer[runStart..<index]), as: UTF8.self)),
                          characters < limit, scalars < limit * 4 else { return output + "…" }
                    var escaped: [UInt8] = []
                    _VisibleBytes.appendByteEscape(buffer[index], to: &escaped)
                    output += String(decoding: escaped, as: UTF8.self)
                    characters += 1
                    scalars += 1
                    index += 1
                    runStart = index
                }
            }
            let rest = String(decoding: UnsafeBufferPointer(rebasing: buffer[runStart...]), as: UTF8.self)
            return take(rest) ? output : output + "…"
        }
    }

    /// `text` cut after `limit` characters, or sooner where its characters are made of
    /// many code points: at most 4 × `limit` of them (one letter with thousands of
    /// combining marks is one character, and would otherwise be echoed whole). An
    /// ellipsis marks a cut; nothing is escaped. Reads no further into `text` than the cut.
    public static func cut(_ text: some StringProtocol, limit: Int) -> String {
        var kept = String.UnicodeScalarView()
        var characters = 0
        var scalars = 0
        for character in text {
            guard characters < limit else { return String(kept) + "…" }
            for scalar in character.unicodeScalars {
                guard scalars < limit * 4 else { return String(kept) + "…" }
                kept.append(scalar)
                scalars += 1
            }
            characters += 1
        }
        return String(kept)
    }

    /// `text` clipped, every code point outside ASCII spelt out (`caf\u{E9}`,
    /// `cafe\u{301}`): for a message about two texts that read alike but differ in their
    /// code points, such as one word in two Unicode normalization forms.
    public static func spelled(_ text: some StringProtocol, limit: Int = 60) -> String {
        cut(text, limit: limit).unicodeScalars.map { $0.isASCII ? TerminalEscaping.visible(String($0)) : $0.escaped(asASCII: true) }.joined()
    }

    /// A number in a message: up to four decimals, trailing zeros dropped (0.8, 0.7512).
    /// A magnitude of 10¹⁵ or more, whose digits past the 16th are noise, in scientific
    /// notation: 1e+308, not a number of 309 digits (``scientificFrom``).
    public static func number(_ value: Double) -> String {
        if abs(value) >= scientificFrom {
            // Mantissa zeros dropped too: 1.2500e+20 is 1.25e+20.
            let parts = String(format: "%.4e", value).split(separator: "e", maxSplits: 1)
            var mantissa = parts[0]
            while mantissa.hasSuffix("0") { mantissa = mantissa.dropLast() }
            if mantissa.hasSuffix(".") { mantissa = mantissa.dropLast() }
            return "\(mantissa)e\(parts.count > 1 ? parts[1] : "")"
        }
        let text = String(format: "%.4f", value)
        var trimmed = Substring(text)
        while trimmed.hasSuffix("0") { trimmed = trimmed.dropLast() }
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        return trimmed == "-0" ? "0" : String(trimmed)
    }

    /// The magnitude from which numbers print in scientific notation: a double holds
    /// about 16 significant digits, so printed in full a larger one is mostly noise.
    public static let scientificFrom = 1e15

    /// A code point as Unicode writes it, at least four hex digits: `U+001B`, `U+1F600`.
    /// For naming a character a message must not print.
    public static func codePoint(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// Whether `a` and `b` are one text in two spellings: equal as Swift `String`s
    /// (canonically equivalent) but not code point for code point — so a byte-wise
    /// `GROUP BY` keeps them apart and a `String`-keyed dictionary merges them.
    public static func areTwoSpellings(_ a: String, _ b: String) -> Bool {
        a == b && !a.unicodeScalars.elementsEqual(b.unicodeScalars)
    }

    /// What is wrong with a header's column names, or `nil`: a name given twice, a name of
    /// blanks only (a column every table prints without a name), or two names that differ
    /// only in the blanks around them (`eth` and `eth `: every message and `inspect` print
    /// them alike, and `--sensitive 'eth '` is read as `eth`). With the field (from 0) the
    /// problem is at.
    public static func columnNameProblem(_ names: [String]) -> (message: String, field: Int)? {
        var seen: [String: Int] = [:]
        for (field, name) in names.enumerated() {
            if let earlier = seen.updateValue(field, forKey: name) {
                return ("duplicate column name \"\(clipped(name))\" (fields \(earlier + 1) and \(field + 1))", field)
            }
        }
        if let blank = firstBlankOnly(names) {
            return ("the column name of field \(blank + 1) is blanks only (\"\(spelled(names[blank]))\"); "
                    + "every table would print it without a name: give it one", blank)
        }
        if let (a, b) = firstAlikeButForBlanks(names) {
            return ("the column names \"\(spelled(names[a]))\" (field \(a + 1)) and \"\(spelled(names[b]))\" (field \(b + 1)) "
                    + "\(blankDifference(names[a], names[b])), so they print alike; rename one", b)
        }
        return nil
    }

    /// The first two of `levels` (by index, in their order) that are different texts but
    /// print alike: equal once the blanks around them are cut and every blank within is
    /// read as a space (`white` and `white `, ` white` with a no-break space, `white
    /// british` with a no-break space between the words). Tables and messages show them
    /// as one name, so their two groups would read as one group listed twice. Control
    /// characters such as a tab are not blanks here: they are printed escaped (`\t`), so
    /// visibly apart; nor are runs of spaces made one, which print wider. Linear in the
    /// levels.
    public static func firstAlikeButForBlanks(_ levels: [String]) -> (Int, Int)? {
        var seen: [String: Int] = [:]
        for (index, level) in levels.enumerated() {
            let core = printedAlike(level)
            if let earlier = seen[core] {
                if levels[earlier] != level { return (earlier, index) }
            } else {
                seen[core] = index
            }
        }
        return nil
    }

    /// The first of `levels` made of blanks only (`" "`): a group every table prints
    /// without a name. (An empty field is missing, not a level.)
    public static func firstBlankOnly(_ levels: [String]) -> Int? {
        levels.firstIndex { !$0.isEmpty && cutBlanks($0).isEmpty }
    }

    /// How two texts ``firstAlikeButForBlanks(_:)`` found differ, in words for a message:
    /// `differ only in the blanks around them`, or only in the kind of a blank within.
    public static func blankDifference(_ a: String, _ b: String) -> String {
        cutBlanks(a) == cutBlanks(b) ? "differ only in the blanks around them"
            : "differ only in their blanks (a no-break or other space in one where the other has a space)"
    }

    /// A blank: a space, a no-break space, any other space; not a control (a tab, a line
    /// break), which messages and tables print escaped.
    private static func isBlank(_ character: Character) -> Bool {
        character.isWhitespace && !character.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// `text` as a table prints it to the eye: without the blanks around it, and every
    /// blank within read as a space.
    public static func printedAlike(_ text: String) -> String {
        String(cutBlanks(text).map { isBlank($0) ? " " : $0 })
    }

    /// `text` without the blanks (spaces, no-break spaces; not controls) around it.
    static func cutBlanks(_ text: String) -> String {
        guard let first = text.firstIndex(where: { !isBlank($0) }), let last = text.lastIndex(where: { !isBlank($0) }) else {
            return ""
        }
        return String(text[first...last])
    }

    /// The spellings of `text` a byte-wise comparison (a database's `IN`) must list to
    /// match what Swift's canonical equality matches in normalized text: `text` as
    /// written, its NFC and its NFD, each once. A spelling canonically equal to `text`
    /// but neither of these (combining marks out of canonical order, a singleton such as
    /// the Kelvin sign for K) is matched by `==` and by none of them.
    public static func normalizedSpellings(_ text: String) -> [String] {
        var spellings: [String] = []
        for spelling in [text, text.precomposedStringWithCanonicalMapping, text.decomposedStringWithCanonicalMapping]
        where !spellings.contains(where: { $0.unicodeScalars.elementsEqual(spelling.unicodeScalars) }) {
            spellings.append(spelling)
        }
        return spellings
    }
}
