/// Text for a terminal: every character that could move the cursor, change colours,
/// clear the screen, set the window title, end a line or reorder the text is shown as a
/// visible escape instead of being sent raw.
///
///     TerminalEscaping.visible("north\u{1B}[2J")   // north\x1B[2J
///     TerminalEscaping.visible("a\r\nb")            // a\r\nb  (one line)
///     TerminalEscaping.visible("evil\u{202E}gnp")   // evil\u{202E}gnp
///     TerminalEscaping.visible("Zoë — 東京")          // unchanged
///
/// Line feed, carriage return and tab become `\n`, `\r`, `\t`; other C0 controls and
/// DEL `\xHH` (`\x1B` for ESC, `\x00` for NUL); C1 controls and bidirectional or
/// invisible format characters `\u{HHHH}` (`\u{9B}`, `\u{202E}`, `\u{FEFF}`); bytes of
/// invalid UTF-8 `\xHH`. Everything else is unchanged, so names in any script read as
/// they are. A value so escaped is one line: a writer that wants line breaks puts them
/// between values, never takes them from data. Backslashes are not doubled, so a value
/// that spells `\x1B` reads the same as one holding ESC — the JSON outputs keep the
/// exact value.
public enum TerminalEscaping {
    /// `text` with every control and format character made visible (see the type's documentation).
    public static func visible(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            if _VisibleBytes.isPlain(bytes) { return nil }
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + 16)
            _VisibleBytes.append(bytes, to: &output)
            return String(decoding: output, as: UTF8.self)
        } ?? text
    }

    /// `text` made visible, keeping its line feeds as line breaks: for a message of
    /// several lines whose every line is escaped. A carriage return is still shown as `\r`.
    public static func visibleKeepingLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { visible(String($0)) }.joined(separator: "\n")
    }

    /// Appends UTF-8 `bytes` made visible to `output` (for writers that build bytes).
    public static func appendVisible(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        _VisibleBytes.append(bytes, to: &output)
    }
}
