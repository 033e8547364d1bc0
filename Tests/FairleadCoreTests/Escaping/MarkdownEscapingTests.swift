import Testing
@testable import FairleadCore

@Suite("Markdown escaping: no HTML, no live markup, no broken rows")
struct MarkdownEscapingTests {
    @Test(arguments: [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("<!-- hidden -->", "&lt;\\!-- hidden --&gt;"),
        ("<https://evil.example>", "&lt;https://evil.example&gt;"),
        ("AT&T", "AT&amp;T"),
        ("&lt;", "&amp;lt;"),
        ("a\nb", "a\\\\nb"),
        ("a\r\n| x | y |", "a\\\\r\\\\n\\| x \\| y \\|"),
        ("\u{1B}[31mred", "\\\\x1B\\[31mred"),
        ("plain words", "plain words"),
    ])
    func textEscapesHTMLAndFoldsLines(text: String, expected: String) {
        #expect(MarkdownEscaping.text(text) == expected)
    }

    /// Every inline construct a value could open stays text: CommonMark reads a backslash
    /// before ASCII punctuation as that character.
    @Test(arguments: [
        ("![pixel](http://attacker.example/t.png)", "\\!\\[pixel\\](http://attacker.example/t.png)"),
        ("[click](http://attacker.example)", "\\[click\\](http://attacker.example)"),
        ("[x]: http://attacker.example", "\\[x\\]: http://attacker.example"),
        ("**bold** _it_", "\\*\\*bold\\*\\* \\_it\\_"),
        ("`code`", "\\`code\\`"),
        ("~~gone~~", "\\~\\~gone\\~\\~"),
        ("$x$", "\\$x\\$"),
        ("a\\*b", "a\\\\\\*b"),
        ("http://bare.example/x", "http://bare.example/x"),
        ("0.5 to <1.5", "0.5 to &lt;1.5"),
        ("25-34", "25-34"),
    ])
    func textEscapesInlineConstructs(text: String, expected: String) {
        #expect(MarkdownEscaping.text(text) == expected)
    }

    /// A value that would begin a heading, a list, a quote, a setext underline or a thematic
    /// break at the start of a line does not.
    @Test(arguments: [
        ("# heading", "\\# heading"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("* item", "\\* item"),
        ("---", "\\---"),
        ("===", "\\==="),
        ("___", "\\_\\_\\_"),
        ("> quote", "&gt; quote"),
        ("1. first", "1\\. first"),
        ("12) first", "12\\) first"),
        ("7.", "7\\."),
        ("1.5", "1.5"),
    ])
    func textEscapesBlockStarts(text: String, expected: String) {
        #expect(MarkdownEscaping.text(text) == expected)
    }

    @Test(arguments: [
        ("a|b", "a\\|b"),
        ("|", "\\|"),
        ("a\n|---|\n", "a\\\\n\\|---\\|\\\\n"),
        ("<b>|</b>", "&lt;b&gt;\\|&lt;/b&gt;"),
        ("|\u{301}", "\\|\u{301}"),
        ("-0.25", "-0.25"),
        ("![p](http://e/t.png)", "\\!\\[p\\](http://e/t.png)"),
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
