/// The byte-level core of every escaping function: UTF-8 text with each character that
/// could act on a terminal, break a line or reorder text shown as a visible escape.
///
/// What is made visible, and how:
///
/// | what | shown as |
/// |---|---|
/// | line feed, carriage return, tab | `\n`, `\r`, `\t` |
/// | other C0 controls (NUL, ESC, BEL, …) and DEL | `\x00`, `\x1B`, `\x07`, …, `\x7F` |
/// | C1 controls U+0080–U+009F (NEL, CSI, …) | `\u{85}`, `\u{9B}`, … |
/// | bidirectional and invisible format characters: U+061C, U+200B–U+200F, U+2028–U+202E, U+2060–U+2069, U+FEFF, U+FFF9–U+FFFB | `\u{202E}`, … |
/// | a byte that is not part of valid UTF-8 | `\xHH` |
///
/// Everything else — printable ASCII, letters and symbols of every script, emoji — is
/// copied as it is. A backslash is not escaped: the notation is for people reading a
/// terminal or a document, and the JSON outputs keep every value exactly.
enum _VisibleBytes {
    /// Whether `bytes` hold nothing ``append(_:to:)`` would change (a quick check before copying).
    static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                if byte < 0x20 || byte == 0x7F { return false }
                index += 1
                continue
            }
            guard let (scalar, length) = decode(bytes, at: index), !isHidden(scalar) else { return false }
            index += length
        }
        return true
    }

    /// Appends `bytes` to `output` with every control, format character and invalid byte
    /// made visible (the table in the type's documentation).
    static func append(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                switch byte {
                case 0x0A: output += [backslash, UInt8(ascii: "n")]
                case 0x0D: output += [backslash, UInt8(ascii: "r")]
                case 0x09: output += [backslash, UInt8(ascii: "t")]
                case 0..<0x20, 0x7F: appendByteEscape(byte, to: &output)
                default: output.append(byte)
                }
                index += 1
                continue
            }
            guard let (scalar, length) = decode(bytes, at: index) else {
                appendByteEscape(byte, to: &output)
                index += 1
                continue
            }
            if isHidden(scalar) {
                output += Array("\\u{".utf8)
                appendHex(scalar, minimumDigits: 2, to: &output)
                output.append(UInt8(ascii: "}"))
            } else {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<(index + length)]))
            }
            index += length
        }
    }

    /// Whether `bytes` hold no DEL and no hidden scalar (``isHidden(_:)``): JSON that
    /// ``appendJSONEscapingHidden(_:to:)`` would leave as it is.
    static func isJSONPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                if byte == 0x7F { return false }
                index += 1
                continue
            }
            guard let (scalar, length) = decode(bytes, at: index) else { index += 1; continue }
            if isHidden(scalar) { return false }
            index += length
        }
        return true
    }

    /// Appends `bytes` (JSON, or the inside of a JSON string whose C0 controls are already
    /// escaped) with DEL and every hidden scalar written `\uXXXX` (lowercase hex, as JSON
    /// encoders write escapes). Other bytes are copied as they are.
    static func appendJSONEscapingHidden(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x7F {
                output += Array("\\u007f".utf8)
                index += 1
                continue
            }
            if byte < 0x80 {
                output.append(byte)
                index += 1
                continue
            }
            guard let (scalar, length) = decode(bytes, at: index) else {
                output.append(byte)
                index += 1
                continue
            }
            if isHidden(scalar) {
                let hex = Array("0123456789abcdef".utf8)
                output += [backslash, UInt8(ascii: "u")]
                for shift in stride(from: 12, through: 0, by: -4) { output.append(hex[Int((scalar >> UInt32(shift)) & 0xF)]) }
            } else {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<(index + length)]))
            }
            index += length
        }
    }

    /// Whether the scalar `value` (not ASCII) is a C1 control or a bidirectional or
    /// invisible format character.
    static func isHidden(_ value: UInt32) -> Bool {
        switch value {
        case 0x80...0x9F, 0x061C, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2069, 0xFEFF, 0xFFF9...0xFFFB: return true
        default: return false
        }
    }

    /// The scalar starting at `index` and its length in bytes, or nil when the bytes
    /// there are not valid UTF-8 (a stray continuation byte, an overlong form, a
    /// surrogate, a truncated sequence).
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (UInt32, Int)? {
        let lead = bytes[index]
        let length: Int
        var value: UInt32
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2; value = UInt32(lead & 0x1F)
        case 0xE0: length = 3; value = 0; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3; value = UInt32(lead & 0x0F)
        case 0xED: length = 3; value = 0x0D; high = 0x9F
        case 0xF0: length = 4; value = 0; low = 0x90
        case 0xF1...0xF3: length = 4; value = UInt32(lead & 0x07)
        case 0xF4: length = 4; value = 4; high = 0x8F
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            let (lowest, highest) = offset == 1 ? (low, high) : (0x80, 0xBF)
            guard byte >= lowest && byte <= highest else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        return (value, length)
    }

    static let backslash = UInt8(ascii: "\\")

    /// `\xHH` (two uppercase hex digits).
    static func appendByteEscape(_ byte: UInt8, to output: inout [UInt8]) {
        output += [backslash, UInt8(ascii: "x")]
        appendHex(UInt32(byte), minimumDigits: 2, to: &output)
    }

    /// `value` in uppercase hex, at least `minimumDigits` digits.
    static func appendHex(_ value: UInt32, minimumDigits: Int, to output: inout [UInt8]) {
        let digits = Array("0123456789ABCDEF".utf8)
        var count = minimumDigits
        while count < 8 && value >> (4 * UInt32(count)) != 0 { count += 1 }
        for position in stride(from: count - 1, through: 0, by: -1) {
            output.append(digits[Int((value >> (4 * UInt32(position))) & 0xF)])
        }
    }
}
