import Testing
@testable import FairleadCore

@Suite("Markdown escaping: no HTML, no broken rows")
struct MarkdownEscapingTests {
    @Test(arguments: [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("<!-- hidden -->", "&lt;!-- hidden --&gt;"),
        ("<https://evil.example>", "&lt;https://evil.example&gt;"),
        ("AT&T", "AT&amp;T"),
        ("&lt;", "&amp;lt;"),
        ("a\nb", "a\\nb"),
        ("a\r\n| x | y |", "a\\r\\n| x | y |"),
        ("\u{1B}[31mred", "\\x1B[31mred"),
        ("plain words", "plain words"),
    ])
    func textEscapesHTMLAndFoldsLines(text: String, expected: String) {
        #expect(MarkdownEscaping.text(text) == expected)
    }

    @Test(arguments: [
        ("a|b", "a\\|b"),
        ("|", "\\|"),
        ("a\n|---|\n", "a\\n\\|---\\|\\n"),
        ("<b>|</b>", "&lt;b&gt;\\|&lt;/b&gt;"),
        ("|\u{301}", "\\|\u{301}"),
    ])
    func tableCellsEscapePipesToo(text: String, expected: String) {
        let cell = MarkdownEscaping.tableCell(text)
        #expect(cell == expected)
        #expect(!cell.contains("\n"))
    }

    @Test(arguments: [
        ("x >= 0.8", "`x >= 0.8`"),
        ("a`b", "``a`b``"),
        ("`start", "`` `start ``"),
        ("a\nb", "`a\\nb`"),
        ("", "`  `"),
    ])
    func codeSpansKeepHTMLLiteralAndOutfenceBackticks(text: String, expected: String) {
        #expect(MarkdownEscaping.code(text) == expected)
    }

    @Test func tableCodeEscapesPipes() {
        #expect(MarkdownEscaping.tableCode("a|b") == "`a\\|b`")
    }
}
