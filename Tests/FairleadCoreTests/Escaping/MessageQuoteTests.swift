import Testing
@testable import FairleadCore

/// What an error message quotes of a user's input: cut by characters and by code points,
/// control characters made visible.
@Suite struct MessageQuoteTests {
    @Test func textUpToTheLimitIsKeptAndLongerTextIsCutWithAnEllipsis() {
        let sixty = String(repeating: "a", count: 60)
        #expect(MessageQuote.clipped(sixty) == sixty)
        #expect(MessageQuote.clipped(sixty + "b") == sixty + "…")
        #expect(MessageQuote.clipped("") == "")
        #expect(MessageQuote.cut("abcdef", limit: 3) == "abc…")
    }

    /// A list of a file's groups is clipped at ten, each name as any quote is, with how
    /// many there are in all.
    @Test func aListNamesTenAndSaysHowManyInAll() {
        #expect(MessageQuote.list(["a", "b"]) == "\"a\", \"b\"")
        let many = (0..<30_000).map { "group \($0)" } + [String(repeating: "x", count: 100_000)]
        let listed = MessageQuote.list(many)
        #expect(listed.hasPrefix("\"group 0\", \"group 1\"") && listed.hasSuffix("\"group 9\", … (30001 in all)"), "\(listed)")
        #expect(MessageQuote.list([String(repeating: "y", count: 1000), "z\u{1B}"]) == "\"" + String(repeating: "y", count: 60) + "…\", \"z\\x1B\"")
    }

    /// Bytes that are not valid UTF-8 are quoted raw, `\xHH`, each counted as one
    /// character; valid text in them as `clipped` quotes text.
    @Test func invalidUTF8BytesAreQuotedRaw() {
        #expect(MessageQuote.clipped(bytes: Array("bad".utf8) + [0xFF, 0xFE]) == "bad\\xFF\\xFE")
        #expect(MessageQuote.clipped(bytes: [0x32, 0xFF]) == "2\\xFF")
        #expect(MessageQuote.clipped(bytes: Array("café\u{1B}".utf8)) == "café\\x1B")
        // A truncated sequence (é without its second byte) and a lone continuation byte.
        #expect(MessageQuote.clipped(bytes: [0x61, 0xC3, 0x62, 0x80]) == "a\\xC3b\\x80")
        #expect(MessageQuote.clipped(bytes: Array("abc".utf8) + [0xFF] + Array("def".utf8), limit: 4) == "abc\\xFF…")
        #expect(MessageQuote.clipped(bytes: [0xFF, 0xFF, 0xFF], limit: 2) == "\\xFF\\xFF…")
        #expect(MessageQuote.clipped(bytes: Array(repeating: 0x61, count: 61)) == String(repeating: "a", count: 60) + "…")
        #expect(MessageQuote.clipped(bytes: [UInt8]()) == "")
    }

    @Test func controlCharactersAreSpeltOut() {
        #expect(MessageQuote.clipped("score\u{1B}[2J") == "score\\x1B[2J")
        #expect(!MessageQuote.clipped("a\nb\r\u{202E}c").contains { $0.isNewline })
    }

    /// One letter with 30,000 combining marks is one character: cut by code points too,
    /// so the message stays short (it was echoed whole, about 60 KB).
    @Test func charactersOfManyCodePointsAreCutByCodePoints() {
        let zalgo = "e" + String(repeating: "\u{0301}", count: 30_000)
        #expect(zalgo.count == 1)
        let quoted = MessageQuote.clipped(zalgo)
        #expect(quoted.unicodeScalars.count == 4 * 60 + 1)
        #expect(quoted.hasSuffix("…"))
        // Decomposed letters (two code points each) under the budget are kept whole.
        let decomposed = String(repeating: "e\u{0301}", count: 60)
        #expect(MessageQuote.clipped(decomposed) == decomposed)
    }

    /// Where input is echoed by its own cut (a CSV field that is not a number, cut after
    /// 40 characters); a profile's unknown key and the other quotes go through `clipped`.
    @Test func errorsQuotingInputStayShort() {
        let zalgo = "x" + String(repeating: "\u{0301}", count: 30_000)
        let error = CSVTestFiles.error(reading: "a,b\n1,\(zalgo)\n", columns: [ColumnRequest("b", type: .numeric)])
        let message = error?.message ?? ""
        // By code points: "x" and its marks are one character.
        #expect(message.unicodeScalars.starts(with: "expected a number, found \"x".unicodeScalars))
        #expect(message.unicodeScalars.suffix(2).map(String.init) == ["…", "\""])
        #expect(message.unicodeScalars.count < 300)
    }
}
