import Fairlead
import FairleadCore
@testable import FairleadServe
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A posted lead whose category the model has no feature for: the answer says so under
/// `warnings` and gives no reason from that column (it read "Lead source is WEB_FORM").
@Suite struct ServeUnseenLevelsTests {
    private let key = "reader-key-0123456789"

    @Test func aPostedUnseenCategoryIsCountedAndNoReason() async throws {
        let app = ServeFixture.application(try ServeFixture.service())
        var cells = try ServeFixture.leadValues("L0000001")
        #expect(cells["lead_source"] == "web_form")
        cells["lead_source"] = "WEB_FORM"
        let body = try ServeFixture.body(cells)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/explain", method: .post, headers: ServeFixture.jsonHeaders(key),
                                     body: body) { response in
                #expect(response.status == .ok)
                let answer = ServeFixture.object(response)
                let unseen = answer["unseen_levels"] as? [[String: Any]] ?? []
                #expect(unseen.count == 1)
                #expect(unseen.first?["column"] as? String == "lead_source")
                #expect(unseen.first?["rows"] as? Int == 1)
                #expect(unseen.first?["examples"] as? [String] == ["WEB_FORM"])
                #expect(answer["warnings"] as? [String] == [
                    "lead_source: 1 row holds a value the model has no feature for (\"WEB_FORM\"): read as none of the lead_source "
                        + "levels the model knows (all its lead_source features 0); not given as a reason for that lead"])
                let lead = (answer["leads"] as? [[String: Any]])?.first ?? [:]
                #expect(abs((lead["score"] as? Double ?? 0) - 0.223) < 0.0005)
                let reasons = (lead["raising"] as? [[String: Any]] ?? []) + (lead["lowering"] as? [[String: Any]] ?? [])
                // Two raising and three lowering: a third raising factor moves it by under
                // 0.05 pts, which is no reason.
                #expect(reasons.count == 5)
                #expect(reasons.allSatisfy { abs($0["points"] as? Double ?? 0) >= 0.05 })
                #expect(!reasons.contains { $0["feature"] as? String == "lead_source" })
            }
        }
    }

    /// A sensitive attribute the model reads, holding a value it has no feature for: the
    /// score moved (every age_band indicator 0) and the answer was silent, since a column
    /// withheld from reps is not listed. It is counted now, naming neither column nor value.
    @Test func anUnseenValueOfAWithheldColumnIsSaidWithoutNamingIt() async throws {
        let app = ServeFixture.application(try ServeFixture.service())
        var cells = try ServeFixture.leadValues("L0000001")
        cells["age_band"] = "zzz-secret"
        let body = try ServeFixture.body(["leads": [cells, cells]])
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/explain", method: .post, headers: ServeFixture.jsonHeaders(key),
                                     body: body) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                let answer = ServeFixture.object(response)
                #expect(answer["unseen_levels"] == nil, "\(text)")
                #expect(answer["warnings"] as? [String] == [
                    "2 values of columns withheld from reps are ones the model has no feature for: read as none of their levels "
                        + "the model knows (neither is named in an output reps may read)"])
                #expect(!text.contains("age_band") && !text.contains("zzz-secret"), "\(text)")
            }
        }
    }

    /// From Swift: the lead names the column whose value the model never saw.
    @Test func theLibraryNamesTheColumnPerLead() throws {
        let profile = try AuditProfile.load(path: ServeFixture.profilePath)
        let explanations = try LeadExplanations(profile: profile, threads: 1)
        var cells = try ServeFixture.leadValues("L0000001")
        cells["lead_source"] = "WEB_FORM"
        let record = LeadRecord(id: "L0000001", values: cells.mapValues { LeadRecord.Value.text($0) })
        let lead = try #require(try explanations.explain(records: [record]).first)
        #expect(lead.unseen == ["lead_source"])
        #expect(!(lead.raising + lead.lowering).contains { $0.feature == "lead_source" })
        let known = try #require(try explanations.explain(records: [LeadRecord(id: "L0000001", values: try ServeFixture.leadValues("L0000001").mapValues { .text($0) })]).first)
        #expect(known.unseen.isEmpty)
        #expect(abs(lead.score - known.score) > 0.01, "the model reads WEB_FORM as none of its levels, not as web_form")
    }
}
