@testable import FairleadServe
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The body's media type is read by its essence (type/subtype before any parameter):
/// `application/json` or `application/<name>+json`, and nothing that merely starts with
/// or contains those letters. `text/plain` in particular is a type a web page may post
/// across origins without a preflight, so no spelling of it is read.
@Suite struct ServeMediaTypeTests {
    private let key = "explain-key-0123456789"

    @Test(arguments: ["application/jsonx", "application/json, text/plain", "text/html; q=+json",
                      "text/plain; x=+json", "text/plain", "text/plain; charset=utf-8; application/json",
                      "application/json-seq", "application/+json", "application/x y+json", "text/json",
                      "multipart/form-data; boundary=+json", "application/x-www-form-urlencoded", "", "application"])
    func aTypeThatIsNotJSONIs415(contentType: String) async throws {
        let app = ServeFixture.application(try ServeFixture.service())
        let values = try ServeFixture.leadValues("L0000042")
        var headers: HTTPFields = [.authorization: "Bearer \(key)"]
        if !contentType.isEmpty { headers[.contentType] = contentType }
        let sent = headers
        try await app.test(.router) { client in
            for route in ["/v1/explain", "/v1/card"] {
                try await client.execute(uri: route, method: .post, headers: sent, body: try ServeFixture.body(values)) { response in
                    #expect(response.status == .unsupportedMediaType, "\(route) \(contentType)")
                    let problem = ServeFixture.object(response)
                    #expect(problem["type"] as? String == "urn:fairlead:problem:unsupported-media-type")
                    #expect(problem["detail"] as? String == "send Content-Type: application/json")
                }
            }
        }
    }

    @Test(arguments: ["application/json", " Application/JSON ", "application/json ; charset=utf-8",
                      "application/vnd.crm.lead+json", "APPLICATION/PROBLEM+JSON;charset=UTF-8"])
    func jsonByItsEssenceIsRead(contentType: String) async throws {
        let app = ServeFixture.application(try ServeFixture.service())
        let values = try ServeFixture.leadValues("L0000042")
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/explain", method: .post,
                                     headers: [.authorization: "Bearer \(key)", .contentType: contentType],
                                     body: try ServeFixture.body(values)) { response in
                #expect(response.status == .ok, "\(contentType)")
                #expect((ServeFixture.object(response)["leads"] as? [Any])?.count == 1)
            }
        }
    }

    @Test(arguments: ["application/json", "application/json; charset=utf-8"])
    func twoContentTypeFieldsAreNotJSON(first: String) async throws {
        let app = ServeFixture.application(try ServeFixture.service())
        var headers: HTTPFields = [.authorization: "Bearer \(key)"]
        headers.append(HTTPField(name: .contentType, value: first))
        headers.append(HTTPField(name: .contentType, value: "text/plain"))
        let sent = headers
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/explain", method: .post, headers: sent,
                                     body: try ServeFixture.body(try ServeFixture.leadValues("L0000042"))) { response in
                #expect(response.status == .unsupportedMediaType)
            }
        }
    }
}
