/// Text written into YAML (the profile `fairlead init` drafts): a value from the data is
/// always a scalar, never a key, a comment's end or a document marker.
///
///     YAMLEscaping.scalar("region")                      // region
///     YAMLEscaping.scalar("yes")                         // "yes"
///     YAMLEscaping.scalar("a\n---\nkey: value")           // "a\n---\nkey: value"
///     YAMLEscaping.comment("x\nrules: []")                // x\nrules: []   (one comment line)
///
/// ``scalar(_:)`` leaves a plain word (letters, digits, `_ - . /`, not starting with
/// `-`, not a number, boolean or null) as it is and double-quotes anything else, with
/// `\` and `"` escaped and every control, line break (including NEL, U+2028, U+2029) and
/// bidirectional or invisible format character written as a YAML escape (`\n`, `\x1B`,
/// `\u202E`), so the value reads back exactly. ``comment(_:)`` is for text after `#`:
/// controls and line breaks made visible as ``TerminalEscaping`` shows them, so a comment
/// stays on its line.
public enum YAMLEscaping {
    /// `text` as a YAML scalar that reads back as exactly `text`.
    public static func scalar(_ text: String) -> String {
        let plain = !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || "_-./".contains($0) }
            && text.unicodeScalars.allSatisfy { $0.isASCII || !_VisibleBytes.isHidden($0.value) }
            && !["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"].contains(text.lowercased())
            && Double(text) == nil && !text.hasPrefix("-") && !text.hasPrefix(".")
        return plain ? text : doubleQuoted(text)
    }

    /// `text` as a double-quoted YAML scalar.
    public static func doubleQuoted(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": quoted += "\\\\"
            case "\"": quoted += "\\\""
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                quoted += "\\x" + hex(scalar.value, digits: 2)
            case _ where !scalar.isASCII && (_VisibleBytes.isHidden(scalar.value) || scalar.value >= 0xD800 && scalar.value < 0xE000):
                quoted += "\\u" + hex(scalar.value, digits: 4)
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }

    /// `text` for a comment: one line, controls visible.
    public static func comment(_ text: String) -> String {
        TerminalEscaping.visible(text)
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
