@testable import FairleadServe
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A lead posted without an id gets none in the answer: its position among the leads
/// posted, under `index`, where a made-up id ("1", "2") could be a real lead's.
@Suite struct ServeLeadIndexTests {
    private let key = "explain-key-0123456789"

    private func values(_ id: String, keepingID: Bool) throws -> [String: String] {
        var values = try ServeFixture.leadValues(id)
        if !keepingID { values["lead_id"] = nil }
        return values
    }

    @Test func aLeadWithoutAnIdIsAnsweredByItsIndex() async throws {
        let app = ServeFixture.application(try ServeFixture.service())
        let body = try ServeFixture.body(try values("L0000042", keepingID: false))
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/explain", method: .post, headers: ServeFixture.jsonHeaders(key), body: body) { response in
                #expect(response.status == .ok)
                let leads = ServeFixture.object(response)["leads"] as? [[String: Any]] ?? []
                #expect(leads.count == 1)
                #expect(leads.first?["index"] as? Int == 0)
                #expect(leads.first?["id"] == nil)
                #expect((leads.first?["raising"] as? [Any])?.isEmpty == false)
            }
        }
    }

    @Test func aBatchMixingIdsAndNoneKeepsThemApart() async throws {
        let app = ServeFixture.application(try ServeFixture.service())
        // "1" is an id a real lead may have: it must not be confused with the second lead.
        var first = try values("L0000042", keepingID: true)
        first["lead_id"] = "1"
        let batch: [String: Any] = ["leads": [first, try values("L0000042", keepingID: false), try values("L0000042", keepingID: false)]]
        let body = try ServeFixture.body(batch)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/explain", method: .post, headers: ServeFixture.jsonHeaders(key), body: body) { response in
                #expect(response.status == .ok)
                let leads = ServeFixture.object(response)["leads"] as? [[String: Any]] ?? []
                #expect(leads.map { $0["id"] as? String } == ["1", nil, nil])
                #expect(leads.map { $0["index"] as? Int } == [nil, 1, 2])
                // The same values: the same explanation whatever names the lead.
                #expect(leads.map { $0["margin"] as? Double }.allSatisfy { $0 == leads[0]["margin"] as? Double })
            }
            try await client.execute(uri: "/v1/card", method: .post, headers: ServeFixture.jsonHeaders(key), body: body) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("Lead 1 "))
                #expect(html.contains("Lead at index 1"))
                #expect(html.contains("Lead at index 2"))
                #expect(!html.contains("Lead 2") && !html.contains("Lead 3"))
            }
        }
    }

    @Test func aLeadWithItsIdIsAnsweredAsBefore() async throws {
        let app = ServeFixture.application(try ServeFixture.service())
        let body = try ServeFixture.body(try values("L0000042", keepingID: true))
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/explain", method: .post, headers: ServeFixture.jsonHeaders(key), body: body) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("\n{\"id\":\"L0000042\",\"score\":"), "\(text.prefix(200))")
                #expect(!text.contains("\"index\""))
            }
        }
    }
}
