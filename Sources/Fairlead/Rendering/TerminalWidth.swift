/// Display columns of terminal text, and lines wrapped to fit them.
///
/// A character takes two columns when it is East Asian wide or fullwidth (CJK, Hangul,
/// fullwidth forms) or an emoji, none when it is only a combining mark, one otherwise:
///
///     TerminalWidth.columns("black & female")   // 14
///     TerminalWidth.columns("東京")              // 4
///     TerminalWidth.wrapped("a long reason …", width: 20, continuation: "    ")
///
/// The terminal renderings keep every line within ``lineWidth`` columns: tables shrink
/// their label columns (``TextTable``), everything else wraps at spaces onto indented
/// continuation lines, so nothing is cut away by wrapping.
public enum TerminalWidth {
    /// The widest line the terminal rendering writes, in display columns.
    public static let lineWidth = 100

    /// The display columns `text` takes.
    public static func columns(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + columns(of: $1) }
    }

    /// The display columns one character takes: 0, 1 or 2.
    public static func columns(of character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        let value = first.value
        if value < 0x300 { return 1 }
        if character.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .nonspacingMark
                                                || $0.properties.generalCategory == .enclosingMark }) {
            return 0
        }
        if isWide(value) || (character.unicodeScalars.count > 1 && first.properties.isEmojiPresentation) { return 2 }
        return 1
    }

    /// East Asian wide and fullwidth ranges, and emoji shown wide by default.
    static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
             0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB,
             0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA,
             0x26FD, 0x2705, 0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757,
             0x2795...0x2797, 0x27B0, 0x27BF, 0x2B1B...0x2B1C, 0x2B50, 0x2B55,
             0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A,
             0x1F200...0x1F251, 0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F7E0...0x1F7EB,
             0x1F900...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// `text` cut to at most `width` columns, its last character `…` when it was longer.
    public static func truncated(_ text: String, to width: Int) -> String {
        guard columns(text) > width else { return text }
        guard width > 0 else { return "" }
        var kept = "", used = 0
        for character in text {
            let size = columns(of: character)
            if used + size > width - 1 { break }
            kept.append(character)
            used += size
        }
        return kept + "…"
    }

    /// `text` (one line, already made visible) in lines of at most `width` columns, broken
    /// at spaces; every line after the first starts with `continuation`. A word wider than
    /// a line is split, never cut: every character of `text` is in the result.
    public static func wrapped(_ text: String, width: Int = lineWidth, continuation: String) -> [String] {
        guard columns(text) > width else { return [text] }
        // A continuation that leaves no room for words would never end a line.
        let hanging = columns(continuation) < width / 2 ? continuation : ""
        let indentation = String(text.prefix { $0 == " " })
        var lines: [String] = []
        var line = indentation, used = indentation.count, hasWord = false
        func newLine() {
            while line.last == " " { line.removeLast() }
            lines.append(line)
            line = hanging
            used = columns(hanging)
            hasWord = false
        }
        for word in text.dropFirst(indentation.count).split(separator: " ", omittingEmptySubsequences: false) {
            if word.isEmpty {
                // Two spaces in a row stay two, within a line.
                if hasWord && used < width { line += " "; used += 1 }
                continue
            }
            let size = columns(word)
            if used + (hasWord ? 1 : 0) + size <= width {
                if hasWord { line += " "; used += 1 }
                line += word
                used += size
                hasWord = true
                continue
            }
            if hasWord { newLine() }
            var rest = Substring(word)
            while used + columns(rest) > width {
                var count = 0, pieceSize = 0
                for character in rest {
                    let characterSize = columns(of: character)
                    if used + pieceSize + characterSize > width && count > 0 { break }
                    pieceSize += characterSize
                    count += 1
                }
                let piece = rest.prefix(count)
                line += piece
                used += pieceSize
                rest = rest.dropFirst(piece.count)
                hasWord = true
                newLine()
            }
            if !rest.isEmpty {
                line += rest
                used += columns(rest)
                hasWord = true
            }
        }
        if hasWord {
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return lines
    }
}
