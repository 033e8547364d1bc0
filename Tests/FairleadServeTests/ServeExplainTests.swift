import Fairlead
import FairleadCore
@testable import FairleadServe
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The service's explanations are `fairlead explain`'s: the same bytes for the same lead,
/// whether the lead is posted as values or named by id, and never a withheld feature.
@Suite struct ServeExplainTests {
    private let key = "reader-key-0123456789"

    /// What `fairlead explain --profile P --format json --ids …` writes, by the calls it makes.
    private static func explainOutput(_ ids: [String]) throws -> String {
        let profile = try AuditProfile.load(path: ServeFixture.profilePath)
        let explanations = try LeadExplanations(profile: profile, threads: 2)
        var bytes: [UInt8] = []
        try explanations.run(format: .json, ids: ids) { bytes += $0 }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func aPostedLeadIsExplainedAsExplainExplainsItsRow() async throws {
        let expected = try Self.explainOutput(["L0000042"])
        #expect(expected.contains("\"id\":\"L0000042\""))
        let app = ServeFixture.application(try ServeFixture.service())
        let cells = try ServeFixture.leadValues("L0000042")
        // The same lead with its numbers as JSON numbers, and a missing cell as null.
        var typed: [String: Any] = cells
        for column in ["web_visits", "email_opens", "pricing_page_views", "days_since_first_touch"] {
            typed[column] = Double(cells[column]!)!
        }
        let bodies = [try ServeFixture.body(cells), try ServeFixture.body(typed)]
        try await app.test(.router) { client in
            for body in bodies {
                try await client.execute(uri: "/v1/explain", method: .post, headers: ServeFixture.jsonHeaders(key),
                                         body: body) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "application/json")
                    #expect(String(buffer: response.body) == expected)
                }
            }
        }
    }

    /// A profile that does not declare age_band, which the model reads: the service never
    /// answers with it as a reason (it said "Age band is 25-34" for lead L0000002).
    @Test func aFeatureNamedLikeASensitiveAttributeIsNoReasonUndeclared() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairlead-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let profilePath = folder.appendingPathComponent("profile.yaml").path
        let root = ServeFixture.packageRoot.path
        try """
            name: undeclared
            data: {path: \(root)/fixtures/leads/leads-sample.csv, score: score, label: converted, id: lead_id}
            model: {path: \(root)/fixtures/explanations/xgb-leads-score.json}
            sensitive: [ethnicity]
            decisions: [{threshold: 0.3}]
            explanations: {top: 2}

            """.write(toFile: profilePath, atomically: true, encoding: .utf8)
        let configuration = ServeConfiguration(profilePath: profilePath)
        let service = ExplanationService(configuration: configuration, loaded: try LoadedProfile(configuration))
        let app = ServeFixture.application(service)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/explain", method: .post, headers: ServeFixture.jsonHeaders(key),
                                     body: try ServeFixture.body(try ServeFixture.leadValues("L0000002"))) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.contains("\"id\":\"L0000002\""), "\(text)")
                #expect(!text.contains("age_band") && !text.contains("Age band"), "\(text)")
            }
        }
    }

    @Test func aBatchIsExplainedInItsOrder() async throws {
        let ids = ["L0000007", "L0000042", "L0000001"]
        let expected = try Self.explainOutput(ids)
        let app = ServeFixture.application(try ServeFixture.service())
        let leads = try ids.map { try ServeFixture.leadValues($0) }
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/explain", method: .post, headers: ServeFixture.jsonHeaders(key),
                                     body: try ServeFixture.body(["leads": leads])) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == expected)
            }
        }
    }

    @Test func aLeadOfTheDataFileIsExplainedById() async throws {
        let expected = try Self.explainOutput(["L0000042"])
        let app = ServeFixture.application(try ServeFixture.service())
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/leads/L0000042/explanation", method: .get,
                                     headers: ServeFixture.bearer(key)) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == expected)
            }
            // Not found, without the closest ids (they are other leads').
            try await client.execute(uri: "/v1/leads/L0000043x/explanation", method: .get,
                                     headers: ServeFixture.bearer(key)) { response in
                #expect(response.status == .notFound)
                #expect(!String(buffer: response.body).contains("L00000"))
            }
        }
    }

    @Test func noReasonIsASensitiveAttributeOrAProxy() async throws {
        let withheld = ServeFixture.loaded.explanations.withheld
        #expect(withheld["age_band"] == .sensitive)
        let ids = (1...60).map { String(format: "L%07d", $0) }
        // Some of these leads would have had a withheld feature among their reasons.
        let marked = try ServeFixture.loaded.explanations.explain(ids: ids).filter { !$0.withheld.isEmpty }
        #expect(!marked.isEmpty)
        let app = ServeFixture.application(try ServeFixture.service())
        let leads = try ids.map { try ServeFixture.leadValues($0) }
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/explain", method: .post, headers: ServeFixture.jsonHeaders(key),
                                     body: try ServeFixture.body(["leads": leads])) { response in
                #expect(response.status == .ok)
                let document = ServeFixture.object(response)
                let explained = document["leads"] as? [[String: Any]] ?? []
                #expect(explained.count == ids.count)
                for lead in explained {
                    for direction in ["raising", "lowering"] {
                        for reason in lead[direction] as? [[String: Any]] ?? [] {
                            let feature = reason["feature"] as? String ?? ""
                            #expect(withheld[feature] == nil, "\(feature) given as a reason")
                        }
                    }
                }
                for name in withheld.keys {
                    #expect(!String(buffer: response.body).contains("\"feature\":\"\(name)\""))
                }
            }
        }
    }

    @Test func theCardIsTheHTMLFragmentOfExplain() async throws {
        let app = ServeFixture.application(try ServeFixture.service())
        let cells = try ServeFixture.leadValues("L0000042")
        try await app.test(.router) { client in
            let byID = try await client.execute(uri: "/v1/leads/L0000042/card", method: .get,
                                                headers: ServeFixture.bearer(key)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                return String(buffer: response.body)
            }
            #expect(byID.hasPrefix("<div class=\"fl-cards\">"))
            #expect(byID.contains("L0000042"))
            try await client.execute(uri: "/v1/card", method: .post, headers: ServeFixture.jsonHeaders(key),
                                     body: try ServeFixture.body(cells)) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == byID)
            }
        }
    }

    @Test func metricsCountRequestsLatenciesAndErrors() async throws {
        let app = ServeFixture.application(try ServeFixture.service())
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/leads/L0000042/explanation", method: .get) { _ in }
            try await client.execute(uri: "/v1/leads/L0000042/explanation", method: .get, headers: ServeFixture.bearer(key)) { _ in }
            try await client.execute(uri: "/metrics", method: .get, headers: ServeFixture.bearer("scraper-key-0123456789")) { response in
                let text = String(buffer: response.body)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                #expect(text.contains(#"fairlead_http_requests_total{route="leadExplanation",status="200"} 1"#))
                #expect(text.contains(#"fairlead_http_requests_total{route="leadExplanation",status="401"} 1"#))
                #expect(text.contains(#"fairlead_http_errors_total{kind="unauthorized"} 1"#))
                #expect(text.contains(#"fairlead_http_request_duration_seconds_bucket{route="leadExplanation",le="+Inf"} 2"#))
                // Answered requests are no longer in flight; this scrape is, until answered.
                #expect(text.contains(#"fairlead_http_requests_in_flight{route="leadExplanation"} 0"#))
                #expect(text.contains(#"fairlead_http_requests_in_flight{route="metrics"} 1"#))
                #expect(!text.contains("L0000042"))
            }
        }
    }

    @Test func readinessNamesTheProfileAndReloads() async throws {
        let app = ServeFixture.application(try ServeFixture.service())
        try await app.test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                let ready = ServeFixture.object(response)
                #expect(ready["status"] as? String == "ready")
                #expect(ready["profile"] as? String == "leads-explanations")
                #expect(ready["reloads"] as? Int == 0)
            }
        }
    }
}
