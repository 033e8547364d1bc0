import Fairlead
import FairleadCore
@testable import FairleadServe
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A number the file reader would refuse is refused when a lead is posted, with the
/// field it was sent in: a posted lead is read as the same lead in a data file.
@Suite struct ServeNonFiniteTests {
    private let key = "reader-key-0123456789"

    @Test(arguments: [("inf", "expected a finite number"), ("-Infinity", "expected a finite number"),
                      ("1e999", "expected a number"), ("0x10", "expected a number")])
    func aNumericColumnSentAsTextThatIsNoFiniteNumberIsUnprocessable(_ text: String, _ expected: String) async throws {
        let app = ServeFixture.application(try ServeFixture.service())
        var values = try ServeFixture.leadValues("L0000042")
        values["web_visits"] = text
        let body = try ServeFixture.body(values)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/explain", method: .post, headers: ServeFixture.jsonHeaders(key), body: body) { response in
                #expect(response.status == .unprocessableContent)
                let detail = ServeFixture.object(response)["detail"] as? String ?? ""
                #expect(detail.contains("web_visits"), "\(detail)")
                #expect(detail.contains("\(expected), found \"\(text)\""), "\(detail)")
            }
        }
    }

    /// A column withheld from reps sent as text that is no number: the error, which the
    /// caller's reps may read, names the record, not the column, and does not echo the
    /// value (it said `"email_opens": expected a number, found "SECRET-7731"`).
    @Test func aWithheldColumnsBadValueIsNeitherNamedNorEchoed() throws {
        let sources = try FeatureSources(featureNames: ["x", "secret"], header: ["x", "secret"])
        let one = #expect(throws: FairleadError.self) {
            try LeadBatch(records: [LeadRecord(values: ["x": .number(1), "secret": .text("SECRET-7731")])], sources: sources, withheld: ["secret"])
        }
        #expect(one?.message == "expected a number, found text in a column withheld from reps (not shown)")
        #expect(one?.location == nil || one?.location?.field == nil, "\(String(describing: one?.location))")
        let batch = #expect(throws: FairleadError.self) {
            try LeadBatch(records: [LeadRecord(values: ["x": .number(1)]), LeadRecord(values: ["x": .number(2), "secret": .text("inf")])],
                          sources: sources, withheld: ["secret"])
        }
        #expect(batch?.message == "expected a finite number, found text in a column withheld from reps (not shown)")
        #expect(batch?.location?.field == "leads[1]")
        // A column not withheld is named, its value quoted, as before.
        let shown = #expect(throws: FairleadError.self) {
            try LeadBatch(records: [LeadRecord(values: ["x": .text("n/a")])], sources: sources, withheld: ["secret"])
        }
        #expect(shown?.message == "expected a number, found \"n/a\"" && shown?.location?.field == "x")
    }

    @Test func aNumericColumnSentAsPaddedTextIsReadAsTheFileReadsIt() throws {
        let sources = try FeatureSources(featureNames: ["x"], header: ["x"])
        let batch = try LeadBatch(records: [LeadRecord(values: ["x": .text(" 6 ")]), LeadRecord(values: ["x": .text("-.5e1")])],
                                  sources: sources)
        #expect(batch.features.values == [6, -5])
    }
}

/// A number literal beyond a double's range in the body itself: too large or, not zero,
/// too small. Either is refused as the data file's reader refuses it, at its byte, rather
/// than read as ±inf or silently as 0.
@Suite struct ServeNumberRangeTests {
    private let key = "reader-key-0123456789"

    @Test(arguments: ["1e-400", "-1e-400", "2.5E-999", "1e400"])
    func aNumberLiteralBeyondADoublesRangeIs400AtItsByte(literal: String) async throws {
        let app = ServeFixture.application(try ServeFixture.service())
        let body = "{\"lead_id\":\"L0000042\",\"web_visits\":\(literal)}"
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/explain", method: .post, headers: ServeFixture.jsonHeaders(key),
                                     body: ByteBuffer(string: body)) { response in
                #expect(response.status == .badRequest)
                let problem = ServeFixture.object(response)
                #expect(problem["type"] as? String == "urn:fairlead:problem:invalid-json")
                let detail = problem["detail"] as? String ?? ""
                #expect(detail.hasPrefix("the body is not valid JSON: the number \(literal) is out of range"), "\(detail)")
                #expect(detail.hasSuffix(" at byte 35"), "\(detail)")
            }
        }
    }

    @Test func zeroWrittenAnyWayAndTheSmallestDoublesAreRead() throws {
        #expect(try LeadJSONParser.parse(Array("[0e-400, -0.0E999, 0.000e+5, 4.9e-324, 1e-310, 2.2250738585072014e-308]".utf8))
                == .array([.number(0), .number(-0.0), .number(0), .number(4.9e-324), .number(1e-310), .number(2.2250738585072014e-308)]))
        let negativeZero = try LeadJSONParser.parse(Array("-0e-999".utf8))
        guard case .number(let zero) = negativeZero else { Issue.record("not a number"); return }
        #expect(zero == 0 && zero.sign == .minus)
    }
}

/// A body with `leads` and other keys is neither a batch nor a lead: said as such, where
/// it was answered "leads is not a column this profile knows".
@Suite struct ServeBatchShapeTests {
    @Test func aBatchBesideALeadsValuesIsNamed() async throws {
        let app = ServeFixture.application(try ServeFixture.service())
        let body = ByteBuffer(string: #"{"leads":[{"web_visits":1}],"web_visits":2,"email_opens":1}"#)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/explain", method: .post, headers: ServeFixture.jsonHeaders("reader-key-0123456789"),
                                     body: body) { response in
                #expect(response.status == .badRequest)
                let detail = ServeFixture.object(response)["detail"] as? String ?? ""
                #expect(detail == #"a body with "leads" (a batch) holds no other key; found "email_opens", "web_visits": send one lead's columns, or {"leads": [...]}"#,
                        "\(detail)")
            }
        }
    }
}

/// A lead that leaves out a column the model reads is explained with it missing, as
/// `null` is, and the answer's `warnings` say which; one that sends every column, or
/// `null` for it, gets none.
@Suite struct ServeOmittedColumnTests {
    static func warnings(_ values: [String: Any]) async throws -> [String]? {
        let app = ServeFixture.application(try ServeFixture.service())
        let body = try ServeFixture.body(["leads": [values, values]])
        return try await app.test(.router) { client in
            try await client.execute(uri: "/v1/explain", method: .post, headers: ServeFixture.jsonHeaders("reader-key-0123456789"),
                                     body: body) { response in
                #expect(response.status == .ok)
                return ServeFixture.object(response)["warnings"] as? [String]
            }
        }
    }

    @Test func aColumnLeftOutIsReadAsMissingAndSaid() async throws {
        var values: [String: Any] = try ServeFixture.leadValues("L0000042")
        #expect(try await Self.warnings(values) == nil)
        values["web_visits"] = NSNull()
        #expect(try await Self.warnings(values) == nil)
        values["web_visits"] = nil
        values["email_opens"] = nil
        #expect(try await Self.warnings(values) == [
            "2 leads leave out columns the model reads, read as missing: web_visits (2 leads), email_opens (2 leads); send null where a value is unknown",
        ])
        // A column withheld from reps is counted, not named: the answer is for reps.
        values["age_band"] = nil
        values["postal_area"] = nil
        let withheld = try #require(try await Self.warnings(values))
        #expect(withheld == [
            "2 leads leave out columns the model reads, read as missing: web_visits (2 leads), email_opens (2 leads), "
                + "2 columns withheld from reps (2 leads); send null where a value is unknown",
        ])
        #expect(!withheld.joined().contains("age_band") && !withheld.joined().contains("postal_area"))
    }
}
