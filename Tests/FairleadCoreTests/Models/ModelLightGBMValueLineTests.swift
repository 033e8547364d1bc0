import Foundation
import Testing
@testable import FairleadCore

/// A LightGBM value line (`split_feature=30 29 28 …`) is read in place, field by field,
/// and reads as `split(separator: " ")` read it when it made the fields' array: runs of
/// spaces are one separator, a wrong count is said before a field that does not parse,
/// and a space followed by a combining mark is one character, not a separator.
@Suite struct ModelLightGBMValueLineTests {
    static let original = "split_feature=30 29 28 31 30 31 31 12 31 0 3 29 28 28\n"

    /// The leads model with Tree=0's `split_feature=` line (line 15) replaced by `line`.
    static func load(_ line: String) throws -> TreeEnsemble {
        let text = try ModelDeclaredCountsTests.lightGBM { text in
            guard let range = text.range(of: original) else { return text }
            return text.replacingCharacters(in: range, with: line + "\n")
        }
        return try LightGBMModelLoader.load(textData: Data(text.utf8), path: "m.txt")
    }

    @Test func runsOfSpacesAtEitherEndOrBetweenAreOneSeparator() throws {
        let intact = try Self.load(String(Self.original.dropLast()))
        let spaced = try Self.load("split_feature=  30 29  28 31 30 31 31 12 31 0 3 29 28 28  ")
        #expect(spaced.trees[0].nodes.map(\.feature) == intact.trees[0].nodes.map(\.feature))
    }

    @Test(arguments: [
        // A count that is wrong is said first, whatever the fields hold.
        ("split_feature=30 29 28 31 30 31 31 12 31 0 3 29 28 28 x", "Tree=0 split_feature has 15 values, expected 14"),
        ("split_feature=30 29 x 31 30 31 31 12 31 0 3 29", "Tree=0 split_feature has 12 values, expected 14"),
        ("split_feature=", "Tree=0 split_feature has 0 values, expected 14"),
        // Then the first field that does not parse.
        ("split_feature=30 29 x 31 30 31 31 12 31 0 3 29 28 y", "Tree=0 split_feature[2] is \"x\", not a finite number"),
        ("split_feature=30 29 28 31 30 31 31 12 31 0 3 29 28 2.5", "Tree=0 split_feature[13] is \"2.5\", not a finite number"),
        // A tab separates nothing; a space and the combining mark after it are one character.
        ("split_feature=30\t29 28 31 30 31 31 12 31 0 3 29 28 28", "Tree=0 split_feature has 13 values, expected 14"),
        ("split_feature=30 29 \u{301}28 31 30 31 31 12 31 0 3 29 28 28", "Tree=0 split_feature has 13 values, expected 14"),
        ("split_feature=30 29 \u{301}28 31 30 31 31 12 31 0 3 29 28 28 27", "Tree=0 split_feature[1] is \"29 \u{301}28\", not a finite number"),
    ])
    func aValueLineIsRefusedAsWhenItsFieldsWereSplitFirst(line: String, message: String) throws {
        #expect(throws: FairleadError(.invalidModel, message, at: SourceLocation(file: "m.txt", line: 15))) {
            _ = try Self.load(line)
        }
    }

    /// So is one given twice in the header: `objective=regression` before the model's own
    /// `objective=binary` made the model's scores margins.
    @Test func aKeyGivenTwiceInTheHeaderIsRefused() throws {
        let text = try ModelDeclaredCountsTests.lightGBM { $0.replacingOccurrences(of: "\nobjective=binary sigmoid:1\n", with: "\nobjective=regression\nobjective=binary sigmoid:1\n") }
        #expect(throws: FairleadError(.invalidModel, "the header gives objective= twice, on lines 7 and 8; a model's header has one line per key",
                                      at: SourceLocation(file: "m.txt", line: 8))) {
            _ = try LightGBMModelLoader.load(textData: Data(text.utf8), path: "m.txt")
        }
    }

    /// A key given twice in a tree was read from its first line and the other ignored:
    /// which one was meant is not for the reader to guess.
    @Test(arguments: ["split_feature=30 29 28 31 30 31 31 12 31 0 3 29 28 28", "split_feature=0 0 0 0 0 0 0 0 0 0 0 0 0 0"])
    func aKeyGivenTwiceInATreeIsRefused(second: String) throws {
        #expect(throws: FairleadError(.invalidModel, "Tree=0 gives split_feature= twice, on lines 15 and 16; a tree has one line per key",
                                      at: SourceLocation(file: "m.txt", line: 16))) {
            _ = try Self.load(String(Self.original.dropLast()) + "\n" + second)
        }
    }
}
