import Foundation
import Testing
@testable import FairleadCore

/// Key paths in messages: an index right after its key (`findings[1]`, never
/// `findings.[1]`), and a key that is not a plain name quoted in brackets, so that a key
/// holding a dot reads as one key.
@Suite struct JSONKeyPathTests {
    @Test(arguments: [
        ("trees", ".trees"), ("num_class", ".num_class"), ("x-1", ".x-1"),
        ("north.east", "[\"north.east\"]"), ("a[0]", "[\"a[0]\"]"), ("", "[\"\"]"),
        ("say \"hi\"", "[\"say \\\"hi\\\"\"]"), ("back\\slash", "[\"back\\\\slash\"]"), ("région", "[\"région\"]"),
    ])
    func member(key: String, component: String) {
        #expect(JSONKeyPath.member(key) == component)
    }

    /// A decoder's coding path, as JSONDecoder reports it for a value of the wrong type.
    @Test func codingPathOfADecodingError() throws {
        struct Report: Decodable { var findings: [[String: [Int]]] }
        let json = #"{"findings": [{"a": [1]}, {"north.east": [1, "x"]}]}"#
        do {
            _ = try JSONDecoder().decode(Report.self, from: Data(json.utf8))
            Issue.record("decoded a string as a number")
        } catch DecodingError.typeMismatch(_, let context) {
            #expect(JSONKeyPath.text(context.codingPath) == #"findings[1]["north.east"][1]"#)
            #expect(JSONKeyPath.text(context.codingPath, name: { $0.uppercased() }) == #"FINDINGS[1]["NORTH.EAST"][1]"#)
        }
        #expect(JSONKeyPath.text([any CodingKey]()) == "")
    }

    /// The scanner's paths, as a number outside a double's range is placed.
    @Test func scannerPathOfAFault() throws {
        let json = #"{"groups": {"north.east": {"rates": [0.5, 1e400]}}}"#
        let fault = JSONFault.locate(in: Data(json.utf8)) { (try? JSONDecoder().decode([String: [String: [String: [Double]]]].self, from: $0)) != nil }
        #expect(fault?.keyPath == #"groups["north.east"].rates[1]"#)
    }
}
