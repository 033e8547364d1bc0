import Foundation
import Testing
@testable import Fairlead

/// What the profile reader finds in the text beside Yams's nodes: tags and repeated keys,
/// on the lines the YAML parser counts.
@Suite struct ProfileTextTests {
    @Test func tagsAreFoundAfterAnAnchorAndNotInsideFlowTokens() {
        let text = ProfileText("a: &x !t v\nb: [&a,&a,x]\nc: \"!quoted\"\n")
        #expect(text.tag(line: 1, column: 4) == "!t")
        #expect(text.tag(line: 2, column: 5) == nil)
        #expect(text.tag(line: 2, column: 8) == nil)
        #expect(text.tag(line: 3, column: 4) == nil)
        // An anchor at a line's end, its tag on a later line.
        let split = ProfileText("k: &a\n\n  # c\n  !t x\nl: &b\n  y\n")
        #expect(split.tag(line: 1, column: 4) == "!t")
        #expect(split.tag(line: 5, column: 4) == nil)
    }

    /// The parser breaks lines at CR, NEL, U+2028 and U+2029 too: a mark after one named
    /// another line here, so a comment's `!` refused a valid profile, and a tag after a
    /// lone CR went unseen.
    @Test func linesBreakWhereTheParserBreaksThem() throws {
        let text = ProfileText("\u{FEFF}a: 1\rb: !t 2\r\nc: \"x\u{2028}y\"\nd: !u 3\u{85}e: !v 4")
        #expect(text.tag(line: 2, column: 4) == "!t")
        #expect(text.tag(line: 5, column: 4) == "!u")
        #expect(text.tag(line: 6, column: 4) == "!v")
        let valid = "name: q\npurpose: \"one\u{2028}two\"\ndata: {score: s}\n# abc !\ndecisions: [{threshold: 0.5}]\nsensitive: [g]\n"
        _ = try ProfileNode.parse(valid, file: "p.yaml")
        #expect(throws: FairleadError.self) { try ProfileNode.parse("name: q\rdata: !t {score: s}\r", file: "p.yaml") }
    }

    /// 50,000 anchors in one flow list on one line: each node's check reads its own token,
    /// not the rest of the line (quadratic: 10¹⁰ steps for a profile under the limits).
    @Test func anchorsInAFlowListAreReadOnce() throws {
        let text = "k: [" + String(repeating: "&a,", count: 50_000) + "x]\n"
        let node = try ProfileNode.parse(text, file: "p.yaml")
        guard case .mapping(let pairs) = node.value, case .sequence(let items) = pairs.first?.value.value else {
            Issue.record("expected a mapping holding a list")
            return
        }
        #expect(items.count == 50_001)
    }
}
