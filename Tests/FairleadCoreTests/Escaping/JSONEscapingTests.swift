import Foundation
import Testing
@testable import FairleadCore

@Suite("JSON escaping: hidden characters as \\u escapes, values exact")
struct JSONEscapingTests {
    @Test(arguments: ["del\u{7F}", "csi\u{9B}31m", "nel\u{85}", "west\u{202E}gnp", "\u{2066}iso\u{2069}", "bom\u{FEFF}", "ls\u{2028}"])
    func hiddenCharactersAreEscapedAndReadBack(value: String) throws {
        let json = try JSONEncoder().encode(["g": value])
        let escaped = JSONEscaping.escapingHidden(json)
        let text = String(decoding: escaped, as: UTF8.self)
        #expect(!text.unicodeScalars.contains { $0.value == 0x7F || (0x80...0x9F).contains($0.value) || _VisibleBytes.isHidden($0.value) })
        #expect(text.contains("\\u"))
        let decoded = try JSONDecoder().decode([String: String].self, from: escaped)
        #expect(decoded["g"] == value)
    }

    @Test func plainJSONIsUnchanged() throws {
        let json = Data(#"{"g":"Zoë — 東京 🙂","n":1}"#.utf8)
        #expect(JSONEscaping.escapingHidden(json) == json)
    }

    @Test func explanationJSONStringsEscapeHiddenCharacters() {
        var output: [UInt8] = []
        _ReasonBytes.withBytes(of: "a\u{1B}b\u{202E}c\u{7F}") { _ReasonBytes.appendJSONString($0, to: &output) }
        #expect(String(decoding: output, as: UTF8.self) == #""a\u001bb\u202ec\u007f""#)
    }
}
