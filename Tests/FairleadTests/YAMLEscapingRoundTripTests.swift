import Fairlead
import Testing
import Yams

/// What ``YAMLEscaping`` writes reads back, through the YAML parser profiles are loaded
/// with, as exactly the text it was given — and never as a second key or document.
@Suite struct YAMLEscapingRoundTripTests {
    @Test(arguments: [
        "region", "yes", "0.5", "-x", "", "a b", "a\n---\nkey: value", "x\r\ny: 1", "say \"hi\" \\ bye", "# comment",
        "&anchor", "*alias", "{a: 1}", "[1, 2]", "\u{1B}[31mred", "nul\u{0}", "del\u{7F}", "nel\u{85}x", "ls\u{2028}ps\u{2029}",
        "evil\u{202E}gnp", "Zoë — 東京", "key: value", "- item", "!!python/object:os.system", "%YAML 1.1", "...", "'single'",
        String(repeating: "long ", count: 2000),
    ])
    func scalarReadsBackExactly(text: String) throws {
        let document = "name: \(YAMLEscaping.scalar(text))\nrules: [kept]\n"
        let loaded = try #require(try Yams.load(yaml: document) as? [String: Any])
        #expect(loaded["name"] as? String == text)
        #expect(Set(loaded.keys) == ["name", "rules"])
        #expect(loaded["rules"] as? [String] == ["kept"])
    }

    @Test(arguments: ["x\n---\nrules: []", "a\nname: evil", "a\rb: 1", "n\u{85}el: 1", "s\u{2028}ep: 1"])
    func commentStaysAComment(text: String) throws {
        let document = "name: kept # \(YAMLEscaping.comment(text))\n# \(YAMLEscaping.comment(text))\nrules: [kept]\n"
        let loaded = try #require(try Yams.load(yaml: document) as? [String: Any])
        #expect(loaded["name"] as? String == "kept")
        #expect(Set(loaded.keys) == ["name", "rules"])
    }
}
