import Testing
@testable import FairleadCore

@Suite("HTML escaping: data is text, never markup")
struct HTMLEscapingTests {
    @Test(arguments: [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("\" onmouseover=\"alert(1)", "&quot; onmouseover=&quot;alert(1)"),
        ("' autofocus onfocus='x", "&#39; autofocus onfocus=&#39;x"),
        ("AT&T", "AT&amp;T"),
        ("&lt;", "&amp;lt;"),
        ("&#60;", "&amp;#60;"),
        ("<!-- x -->", "&lt;!-- x --&gt;"),
        ("]]><svg onload=x>", "]]&gt;&lt;svg onload=x&gt;"),
        ("plain words", "plain words"),
        ("Zoë — 東京", "Zoë — 東京"),
    ])
    func markupCharactersBecomeReferences(text: String, expected: String) {
        #expect(HTMLEscaping.text(text) == expected)
    }

    @Test(arguments: [
        ("north\u{1B}[2J", "north\\x1B[2J"),
        ("a\nb", "a\\nb"),
        ("a\r\nb", "a\\r\\nb"),
        ("tab\there", "tab\\there"),
        ("nul\u{0}", "nul\\x00"),
        ("del\u{7F}", "del\\x7F"),
        ("csi\u{9B}31m", "csi\\u{9B}31m"),
        ("west\u{202E}gnp", "west\\u{202E}gnp"),
        ("zero\u{200B}width", "zero\\u{200B}width"),
        ("bom\u{FEFF}", "bom\\u{FEFF}"),
    ])
    func controlsAreMadeVisible(text: String, expected: String) {
        #expect(HTMLEscaping.text(text) == expected)
    }

    @Test func noMarkupCharacterSurvivesAnyMix() {
        let hostile = "<a href=\"javascript:x\" title='y'>&amp;\u{1B}\u{202E}</a>"
        let escaped = HTMLEscaping.text(hostile)
        #expect(!escaped.contains("<") && !escaped.contains(">") && !escaped.contains("\"") && !escaped.contains("'"))
        #expect(!escaped.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x202E })
        // Every & left starts one of the five references written.
        let ampersands = escaped.components(separatedBy: "&").dropFirst()
        #expect(ampersands.allSatisfy { part in ["amp;", "lt;", "gt;", "quot;", "#39;"].contains { part.hasPrefix($0) } })
    }
}
