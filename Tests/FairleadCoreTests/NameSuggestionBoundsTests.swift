import Foundation
import Testing
@testable import FairleadCore

/// "Did you mean" suggestions cost little whatever the input (``NameSuggestions``): a
/// banded edit distance that stops past the distance that still counts, no suggestion for a
/// name over 64 characters, at most 4,096 candidates. Before, a 300-character id was
/// compared with every id of the file by a full edit distance (6 s for `explain --ids`).
@Suite struct NameSuggestionBoundsTests {
    /// The banded distance agrees with the full one wherever it is within the limit.
    @Test func theBandedDistanceIsTheFullOneWithinItsLimit() {
        var generator = SeededGenerator(seed: 54)
        let alphabet = Array("abcab_")
        for _ in 0..<3000 {
            let a = (0..<Int.random(in: 0...9, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            let b = (0..<Int.random(in: 0...9, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            let full = editDistance(a, b)
            for limit in 0...10 {
                #expect(editDistance(a, b, limit: limit) == (full <= limit ? full : nil), "\(String(a)) / \(String(b)) within \(limit)")
            }
        }
        #expect(editDistance(Array("kitten"), Array("sitting"), limit: 3) == 3)
        #expect(editDistance(Array("kitten"), Array("sitting"), limit: 2) == nil)
        #expect(editDistance(Array("a"), Array(String(repeating: "a", count: 100_000)), limit: 64) == nil)
    }

    @Test func aNameOverSixtyFourCharactersGetsNoSuggestion() {
        let long = String(repeating: "web_visits", count: 7)  // 70 characters
        let candidates = [String(long.dropLast()), "web_visits"]
        #expect(typoNames(of: long, in: candidates).isEmpty)
        #expect(closestNames(to: long, in: candidates).isEmpty)
        let typed: [(name: String, type: ColumnType?)] = candidates.map { ($0, nil) }
        let suggested = closestNames(to: long, in: typed, wanted: .numeric)
        #expect(suggested.isEmpty)
        #expect(!isTypo(candidates[0], of: long))
        let sixtyFour = String(long.prefix(64))
        #expect(typoNames(of: sixtyFour, in: [String(sixtyFour.dropLast())]) == [String(sixtyFour.dropLast())])
    }

    /// The nearest names come first whatever the cutoff skipped; ties keep the file's order.
    @Test func closestNamesKeepTheirOrderUnderTheCutoff() {
        #expect(closestNames(to: "socre", in: ["region", "score", "scores", "sore", "converted"]) == ["sore", "score", "scores"])
        #expect(closestNames(to: "ab", in: ["xy", "zw", "ab", "xx"]) == ["ab", "xy", "zw"])
        let far = String(repeating: "z", count: 200)
        #expect(closestNames(to: "ab", in: [far, "cd"]) == ["cd", far])
    }

    @Test func onlyTheFirstCandidatesAreCompared() {
        let candidates = (0..<5000).map { "column_\($0)" } + ["web_visits"]
        #expect(typoNames(of: "web_visit", in: candidates) == [])  // past the 4,096 compared
        #expect(typoNames(of: "web_visit", in: ["web_visits"] + candidates) == ["web_visits"])
        #expect(closestNames(to: "column_4999x", in: candidates, limit: 1) == ["column_499"])
    }

    /// An id not in the file is answered with ids a typo away; a long one with none.
    @Test func aLongIDGetsNoSuggestionAndAShortOneItsTypos() {
        let long = String(repeating: "A", count: 300)
        var ids = ClosestIDs(missing: [long, "L000042", "L0000001"])
        ids.observe(["L0000001", "L0000042", "X9", "L0000142", String(repeating: "A", count: 299)], found: ["L0000001"])
        #expect(ids.closest(to: long).isEmpty)
        #expect(ids.closest(to: "L000042") == ["L0000042", "L0000142"])  // "X9" is 7 edits away
        #expect(ids.closest(to: "L0000001").isEmpty)
    }
}

/// Every line a message prints is bounded, whichever site quoted a value whole.
@Suite struct MessageLineBoundTests {
    @Test func aLongLineIsCutInItsMiddleSayingHowMuch() {
        let value = String(repeating: "x", count: 900_000)
        let message = "unknown metric '\(value)' in rule '\(value) >= 0.8'"
        let shown = MessageQuote.messageLines(message)
        #expect(shown.count < MessageQuote.messageLineLimit + 60)
        #expect(shown.hasPrefix("unknown metric 'xxx"))
        #expect(shown.hasSuffix("xxx >= 0.8'"))
        #expect(shown.contains(" … (\(message.count - MessageQuote.messageLineLimit) characters left out) … "))
    }

    @Test func shortLinesAndEachLineApartAreKept() {
        let short = "a\nb: " + String(repeating: "y", count: 4_000)
        #expect(MessageQuote.messageLines(short) == short)
        let long = "first line\n" + String(repeating: "z", count: 10_000) + "\nlast line"
        let shown = MessageQuote.messageLines(long).split(separator: "\n")
        #expect(shown.count == 3 && shown[0] == "first line" && shown[2] == "last line")
        #expect(shown[1].contains("(5904 characters left out)"))
    }
}
