@testable import FairleadServe
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The body's charset: JSON is UTF-8 (RFC 8259), so a Content-Type naming another charset
/// is answered 415 naming it, instead of its bytes being read as UTF-8; no charset, or
/// `utf-8` in any case and quoted or not, is read.
@Suite struct ServeCharsetTests {
    private let key = "explain-key-0123456789"

    private func headers(_ contentType: String) -> HTTPFields {
        [.authorization: "Bearer \(key)", .contentType: contentType]
    }

    @Test(arguments: [
        ("application/json; charset=utf-16", "utf-16"),
        ("application/json;charset=UTF-16LE", "utf-16le"),
        ("application/json; charset=\"utf-32\"", "utf-32"),
        ("application/json; Charset=ISO-8859-1", "iso-8859-1"),
        ("application/problem+json; charset=windows-1252", "windows-1252"),
    ])
    func anotherCharsetIs415NamingIt(contentType: String, charset: String) async throws {
        let app = ServeFixture.application(try ServeFixture.service())
        let values = try ServeFixture.leadValues("L0000042")
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/explain", method: .post, headers: headers(contentType),
                                     body: try ServeFixture.body(values)) { response in
                #expect(response.status == .unsupportedMediaType)
                let problem = ServeFixture.object(response)
                #expect(problem["type"] as? String == "urn:fairlead:problem:unsupported-media-type")
                #expect(problem["detail"] as? String
                        == "the body's charset is \(charset); send JSON in UTF-8 (Content-Type: application/json, with charset=utf-8 or none)")
            }
        }
    }

    @Test(arguments: ["application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8",
                      "application/json; charset=\"utf-8\"", "application/json; profile=x; charset=Utf-8"])
    func utf8OrNoCharsetIsRead(contentType: String) async throws {
        let app = ServeFixture.application(try ServeFixture.service())
        let values = try ServeFixture.leadValues("L0000042")
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/explain", method: .post, headers: headers(contentType),
                                     body: try ServeFixture.body(values)) { response in
                #expect(response.status == .ok, "\(contentType)")
            }
        }
    }

    @Test func theCharsetParameterIsReadAsWritten() {
        #expect(ServeHandlers.charset(ofContentType: "application/json") == nil)
        #expect(ServeHandlers.charset(ofContentType: "application/json; charset = \"UTF-16\" ") == "utf-16")
        #expect(ServeHandlers.charset(ofContentType: "application/json; foo=bar") == nil)
        // Given twice, a charset other than UTF-8 in either is the body's (it was the first only).
        #expect(ServeHandlers.charset(ofContentType: "application/json; charset=utf-8; charset=latin1") == "latin1")
        #expect(ServeHandlers.charset(ofContentType: "application/json; charset=utf-8; charset=UTF-8") == "utf-8")
    }
}
