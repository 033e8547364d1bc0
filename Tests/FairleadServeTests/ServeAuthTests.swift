@testable import FairleadServe
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct ServeAuthTests {
    @Test func aRequestWithoutAKeyIs401WithAProblem() async throws {
        let app = ServeFixture.application(try ServeFixture.service())
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/leads/L0000042/explanation", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
                let problem = ServeFixture.object(response)
                #expect(problem["type"] as? String == "urn:fairlead:problem:unauthorized")
                #expect(problem["status"] as? Int == 401)
                #expect((problem["instance"] as? String)?.hasSuffix(response.headers[.init("X-Request-Id")!] ?? "?") == true)
            }
        }
    }

    @Test func aKeyNotInTheFileIs401() async throws {
        let app = ServeFixture.application(try ServeFixture.service())
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/leads/L0000042/explanation", method: .get,
                                     headers: ServeFixture.bearer("explain-key-0123456788")) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/leads/L0000042/explanation", method: .get,
                                     headers: [.init("X-API-Key")!: "reader-key-0123456789"]) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func aKeyWithoutTheRoutesScopeIs403() async throws {
        let app = ServeFixture.application(try ServeFixture.service())
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/leads/L0000042/explanation", method: .get,
                                     headers: ServeFixture.bearer("explain-key-0123456789")) { response in
                #expect(response.status == .forbidden)
                #expect(ServeFixture.object(response)["detail"] as? String == "this request needs the scope 'leads'")
            }
            try await client.execute(uri: "/metrics", method: .get, headers: ServeFixture.bearer("reader-key-0123456789")) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/metrics", method: .get, headers: ServeFixture.bearer("scraper-key-0123456789")) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func probesAndTheDocumentNeedNoKey() async throws {
        let app = ServeFixture.application(try ServeFixture.service())
        try await app.test(.router) { client in
            for path in ["/healthz", "/readyz", "/openapi.json"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok, "\(path)")
                }
            }
        }
    }

    @Test func withoutAKeysFileEveryRouteIsOpen() async throws {
        let app = ServeFixture.application(try ServeFixture.service(keys: nil))
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/leads/L0000042/explanation", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func keysFileErrorsNameTheLine() throws {
        #expect(throws: (any Error).self) { try APIKeys(text: "a explain sha256:00") }
        do {
            _ = try APIKeys(text: "# keys\n\nx reads \(APIKeys.hashText(of: "k"))", file: "keys.txt")
            Issue.record("an unknown scope was accepted")
        } catch {
            #expect("\(error)".contains("keys.txt"))
            #expect("\(error)".contains("2") || "\(error)".contains("3"))
            #expect("\(error)".contains("unknown scope 'reads'"))
        }
        let keys = try APIKeys(text: ServeFixture.keysText)
        #expect(keys.entry(for: "reader-key-0123456789")?.name == "reader")
        // CRLF line ends (a file written on Windows) give the same keys.
        let crlf = try APIKeys(text: ServeFixture.keysText.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n")
        #expect(crlf.entries.map(\.name) == ["explainer", "reader", "scraper"])
        #expect(crlf.entry(for: "scraper-key-0123456789")?.scopes == [.metrics])
        #expect(keys.entry(for: "reader-key-012345678") == nil)
        #expect(keys.entry(for: "") == nil)
    }

    @Test func serviceBeyondLoopbackNeedsKeys() async throws {
        var configuration = ServeConfiguration(profilePath: ServeFixture.profilePath)
        configuration.host = "0.0.0.0"
        await #expect(throws: (any Error).self) {
            try await FairleadServer.run(configuration, logger: .init(label: "test"))
        }
    }
}
