import Testing
@testable import FairleadCore

@Suite("Terminal escaping: controls made visible")
struct TerminalEscapingTests {
    /// Every C0 control, DEL: none survives raw, each has its documented spelling.
    @Test(arguments: Array(0..<0x20) + [0x7F])
    func everyC0ControlAndDELIsShownVisibly(code: Int) throws {
        let scalar = try #require(Unicode.Scalar(code))
        let shown = TerminalEscaping.visible("a\(Character(scalar))b")
        let expected: String
        switch code {
        case 0x0A: expected = "\\n"
        case 0x0D: expected = "\\r"
        case 0x09: expected = "\\t"
        default: expected = "\\x" + (code < 0x10 ? "0" : "") + String(code, radix: 16, uppercase: true)
        }
        #expect(shown == "a\(expected)b")
        #expect(!shown.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
    }

    /// Every C1 control (U+0080–U+009F: NEL, CSI, OSC, …).
    @Test(arguments: Array(0x80...0x9F))
    func everyC1ControlIsShownVisibly(code: Int) throws {
        let scalar = try #require(Unicode.Scalar(code))
        let shown = TerminalEscaping.visible("x\(Character(scalar))y")
        #expect(shown == "x\\u{\(String(code, radix: 16, uppercase: true))}y")
    }

    @Test(arguments: [
        ("evil\u{202E}gnp.exe", "evil\\u{202E}gnp.exe"),
        ("\u{2066}a\u{2069}", "\\u{2066}a\\u{2069}"),
        ("a\u{200F}b\u{200E}", "a\\u{200F}b\\u{200E}"),
        ("zero\u{200B}width", "zero\\u{200B}width"),
        ("\u{FEFF}bom", "\\u{FEFF}bom"),
        ("line\u{2028}sep\u{2029}", "line\\u{2028}sep\\u{2029}"),
        ("arabic\u{061C}mark", "arabic\\u{61C}mark"),
    ])
    func bidirectionalAndInvisibleFormatCharactersAreShown(text: String, expected: String) {
        #expect(TerminalEscaping.visible(text) == expected)
    }

    @Test(arguments: [
        ("\u{1B}[2J\u{1B}[H", "\\x1B[2J\\x1B[H"),
        ("\u{1B}]0;owned\u{07}", "\\x1B]0;owned\\x07"),
        ("ok\r\nFAIL", "ok\\r\\nFAIL"),
        ("nul\u{0}byte", "nul\\x00byte"),
    ])
    func terminalAttacksBecomeText(text: String, expected: String) {
        #expect(TerminalEscaping.visible(text) == expected)
    }

    @Test(arguments: ["plain", "Zoë — 東京 🙂", "", "a\\x1B is spelled, not held", "émigré (Ünïcödé)"])
    func ordinaryTextIsUnchanged(text: String) {
        #expect(TerminalEscaping.visible(text) == text)
    }

    @Test func escapingTwiceChangesNothingMore() {
        let once = TerminalEscaping.visible("a\u{1B}b\nc\u{202E}d\u{85}")
        #expect(TerminalEscaping.visible(once) == once)
    }

    @Test func aVeryLongValueIsEscapedWhole() {
        let text = String(repeating: "\u{1B}[31m", count: 100_000)
        let shown = TerminalEscaping.visible(text)
        #expect(shown.count == 100_000 * 8)
        #expect(!shown.unicodeScalars.contains { $0.value == 0x1B })
    }

    @Test func keepingLinesEscapesEachLine() {
        #expect(TerminalEscaping.visibleKeepingLines("one\u{1B}\ntwo\r") == "one\\x1B\ntwo\\r")
    }

    @Test func invalidUTF8BytesAreShownAsHex() {
        // A stray continuation byte, the 8-bit CSI, an overlong slash, a truncated sequence.
        let bytes: [UInt8] = [0x61, 0x80, 0x9B, 0x32, 0x4A, 0xC0, 0xAF, 0xE2, 0x80]
        var output: [UInt8] = []
        bytes.withUnsafeBufferPointer { TerminalEscaping.appendVisible($0, to: &output) }
        #expect(String(decoding: output, as: UTF8.self) == "a\\x80\\x9B2J\\xC0\\xAF\\xE2\\x80")
    }
}
