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

    @Test func aNumericColumnSentAsPaddedTextIsReadAsTheFileReadsIt() throws {
        let sources = try FeatureSources(featureNames: ["x"], header: ["x"])
        let batch = try LeadBatch(records: [LeadRecord(values: ["x": .text(" 6 ")]), LeadRecord(values: ["x": .text("-.5e1")])],
                                  sources: sources)
        #expect(batch.features.values == [6, -5])
    }
}
