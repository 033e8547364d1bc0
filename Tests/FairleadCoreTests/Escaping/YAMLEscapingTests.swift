import Testing
@testable import FairleadCore

@Suite("YAML escaping: data stays a scalar")
struct YAMLEscapingTests {
    @Test(arguments: [
        ("region", "region"),
        ("age_band", "age_band"),
        ("data/leads.csv", "data/leads.csv"),
        ("yes", "\"yes\""),
        ("Null", "\"Null\""),
        ("0.5", "\"0.5\""),
        ("-x", "\"-x\""),
        (".inf", "\".inf\""),
        ("", "\"\""),
        ("a b", "\"a b\""),
        ("a\n---\nkey: value", "\"a\\n---\\nkey: value\""),
        ("x\r\ny: 1", "\"x\\r\\ny: 1\""),
        ("say \"hi\" \\ bye", "\"say \\\"hi\\\" \\\\ bye\""),
        ("# comment", "\"# comment\""),
        ("&anchor", "\"&anchor\""),
        ("*alias", "\"*alias\""),
        ("{a: 1}", "\"{a: 1}\""),
        ("\u{1B}[31m", "\"\\x1B[31m\""),
        ("nul\u{0}", "\"nul\\x00\""),
        ("del\u{7F}", "\"del\\x7F\""),
        ("nel\u{85}", "\"nel\\u0085\""),
        ("ls\u{2028}ps\u{2029}", "\"ls\\u2028ps\\u2029\""),
        ("evil\u{202E}", "\"evil\\u202E\""),
        ("Zoë", "Zoë"),
    ])
    func scalarsQuoteAndEscape(text: String, expected: String) {
        #expect(YAMLEscaping.scalar(text) == expected)
    }

    @Test(arguments: [
        ("x\n---\nkey: value", "x\\n---\\nkey: value"),
        ("a\rb", "a\\rb"),
        ("n\u{85}el", "n\\u{85}el"),
        ("s\u{2028}ep", "s\\u{2028}ep"),
    ])
    func commentsStayOnOneLine(text: String, expected: String) {
        let comment = YAMLEscaping.comment(text)
        #expect(comment == expected)
    }
}
