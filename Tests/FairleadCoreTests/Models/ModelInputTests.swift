import Foundation
import Testing
@testable import FairleadCore

@Suite("Model input from CSV")
struct ModelInputTests {
    /// Writes `text` to a temporary in.csv and reads it; errors name the file "in.csv".
    func read(_ text: String, features: [String], id: String? = nil) throws -> ModelInput {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("model-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("in.csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        do {
            return try ModelInput(csvAt: path, featureNames: features, idColumn: id)
        } catch var error as FairleadError {
            if error.location?.file == path { error.location?.file = "in.csv" }
            throw error
        }
    }

    @Test func columnsByNameWithMissingValues() throws {
        let input = try read("id,b,a,unused\nr1,2,1,x\nr2,NA,3.5,y\nr3,,-1e3,z\n", features: ["a", "b"], id: "id")
        #expect(input.ids == ["r1", "r2", "r3"])
        #expect(input.features.rows == 3 && input.features.columns == 2)
        #expect(input.features[0, 0] == 1 && input.features[0, 1] == 2)
        #expect(input.features[1, 0] == 3.5 && input.features[1, 1].isNaN)
        #expect(input.features[2, 0] == -1000 && input.features[2, 1].isNaN)
    }

    @Test func oneHotFeaturesAreDerivedFromTheirColumn() throws {
        let input = try read("industry,x\nretail,1\nsoftware,2\n,3\n", features: ["industry=retail", "industry=software", "x"])
        #expect(input.features.values == [1, 0, 1, 0, 1, 2, 0, 0, 3])
        #expect(input.ids == ["1", "2", "3"])
    }

    @Test func quotedFieldsCRLFAndByteOrderMark() throws {
        let text = "\u{FEFF}id,note,v\r\n\"a,1\",\"said \"\"hi\"\"\nthen left\",4\r\nb,plain,5\r\n"
        let input = try read(text, features: ["v"], id: "id")
        #expect(input.ids == ["a,1", "b"])
        #expect(input.features.values == [4, 5])
    }

    @Test func missingColumnIsNamedWithTheClosest() {
        #expect {
            try read("web_visit,b\n1,2\n", features: ["b", "web_visits"])
        } throws: { error in
            (error as? FairleadError)?.description == "in.csv:1 (web_visits): no column \"web_visits\"; closest: \"web_visit\", \"b\""
        }
    }

    @Test func nonNumericValueNamesLineAndColumn() {
        #expect {
            try read("a,b\n1,2\n3,n/a\n", features: ["a", "b"])
        } throws: { error in
            (error as? FairleadError)?.description == "in.csv:3:2 (b): expected a number, found \"n/a\""
        }
    }

    @Test func raggedRowAndUnclosedQuote() {
        #expect {
            try read("a,b\n1,2\n3\n", features: ["a"])
        } throws: { error in
            (error as? FairleadError)?.description == "in.csv:3: ragged row: expected 2 fields, found 1"
        }
        #expect {
            try read("a,b\n1,\"2\n", features: ["a"])
        } throws: { error in
            (error as? FairleadError)?.description == "in.csv:2:2 (b): unterminated quoted field: the quote that opens it is never closed"
        }
        #expect(throws: FairleadError.self) { try read("", features: ["a"]) }
    }
}
