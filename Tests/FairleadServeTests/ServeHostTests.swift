@testable import FairleadServe
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The `Host` a request names: the service answers for its own names only, so a web page
/// whose name an attacker re-points at 127.0.0.1 (DNS rebinding) reads nothing, keys or
/// none. Requests go over a real connection: the first `Host` header is the request's
/// authority, which the in-process router test cannot set.
@Suite struct ServeHostTests {
    private static let leadPath = "/v1/leads/L0000042/explanation"

    /// The answers of a live service, configured by `configure`, to `requests`
    /// (authority, extra headers), each on the same connection.
    private func answers(keys: String? = nil, configure: @escaping (inout ServeConfiguration) -> Void = { _ in },
                         path: String = leadPath,
                         _ requests: [(authority: String?, headers: HTTPFields)]) async throws -> [TestClient.Response] {
        let service = try ServeFixture.service(keys: keys, configure: { configuration in
            configuration.port = 0
            configure(&configuration)
        })
        let app = ServeFixture.application(service)
        return try await app.test(.live) { client in
            let port = try #require(client.port)
            return try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: ServeFixture.patientClient) { connection in
                var answers: [TestClient.Response] = []
                for request in requests {
                    answers.append(try await connection.execute(
                        TestClient.Request(path, method: .get, authority: request.authority, headers: request.headers)))
                }
                return answers
            }
        }
    }

    private static func problem(_ response: TestClient.Response) -> [String: Any] {
        let data = Data(Array(buffer: response.body ?? ByteBuffer()))
        return ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any]) ?? [:]
    }

    @Test(arguments: ["rebind.attacker.example", "rebind.attacker.example:8080", "127.0.0.1.nip.io", "localhost.attacker.example",
                      "0.0.0.0", "0.0.0.0:8080", "[::]", "127.0.0.2", "LOCALHOST:99999", "localhost:80:80", "[::1", "[::1]x",
                      "local host", "", "evil@localhost", "localhost/x"])
    func aHostThatIsNotTheServicesIs421(host: String) async throws {
        let responses = try await answers([(host, [:])])
        let response = try #require(responses.first)
        #expect(response.status == .misdirectedRequest, "\(host)")
        #expect(response.headers[.contentType] == "application/problem+json")
        let problem = Self.problem(response)
        #expect(problem["type"] as? String == "urn:fairlead:problem:misdirected-request")
        #expect(problem["status"] as? Int == 421)
        #expect(problem["leads"] == nil)
        #expect((problem["detail"] as? String)?.hasPrefix("this service does not answer for the host '") == true, "\(problem)")
    }

    @Test(arguments: ["localhost", "127.0.0.1", "[::1]", "LocalHost:8080", "127.0.0.1:1", "[::1]:65535", "localhost:"])
    func loopbackNamesWithAnyPortOrNoneAreAnswered(host: String) async throws {
        let response = try #require(try await answers([(host, [:])]).first)
        #expect(response.status == .ok, "\(host)")
        #expect(((Self.problem(response)["leads"] as? [[String: Any]])?.first?["id"] as? String) == "L0000042")
    }

    @Test func namesTheOperatorAllowsAndTheBoundAddressAreAnswered() async throws {
        let responses = try await answers(configure: { configuration in
            configuration.host = "127.0.0.1"
            configuration.allowedHosts = ["Fairlead.Example.Internal", "10.0.0.7", "fd00::7"]
        }, [("fairlead.example.internal", [:]), ("FAIRLEAD.example.internal:443", [:]), ("10.0.0.7:8080", [:]),
            ("[fd00::7]", [:]), ("[FD00::7]:8080", [:]), ("other.example.internal", [:])])
        #expect(responses.map(\.status.code) == [200, 200, 200, 200, 200, 421])
    }

    @Test func theKeysDoNotExemptTheHostCheckAndItComesFirst() async throws {
        let responses = try await answers(keys: ServeFixture.keysText, [
            ("rebind.attacker.example", ServeFixture.bearer("reader-key-0123456789")),
            ("rebind.attacker.example", [:]),
            ("127.0.0.1", ServeFixture.bearer("reader-key-0123456789")),
        ])
        #expect(responses.map(\.status.code) == [421, 421, 200])
    }

    @Test func everyRouteAndNoRouteChecksTheHost() async throws {
        for path in ["/healthz", "/readyz", "/openapi.json", "/metrics", "/no/such/route", "/v1/explain"] {
            let response = try #require(try await answers(path: path, [("rebind.attacker.example", [:])]).first)
            #expect(response.status == .misdirectedRequest, "\(path)")
        }
    }

    @Test func noHostOrTwoAre421() async throws {
        let responses = try await answers([(nil, [:]), ("localhost", [HTTPField.Name("Host")!: "rebind.attacker.example"])])
        #expect(responses.map(\.status.code) == [421, 421])
        #expect(Self.problem(responses[0])["detail"] as? String
                == "the request has no Host header; send the name this service is addressed by")
        #expect(Self.problem(responses[1])["detail"] as? String == "the request has more than one Host header")
    }

    @Test func refusalsAreCountedByKind() async throws {
        let service = try ServeFixture.service(keys: nil)
        let app = ServeFixture.application(service)
        try await app.test(.router) { client in
            // The router test's own authority is `localhost`: a second Host is a refusal.
            try await client.execute(uri: "/healthz", method: .get, headers: [HTTPField.Name("Host")!: "rebind.attacker.example"]) {
                #expect($0.status == .misdirectedRequest)
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
        let metrics = String(decoding: service.metrics.text(), as: UTF8.self)
        #expect(metrics.contains("fairlead_http_errors_total{kind=\"misdirected-request\"} 1"), "\(metrics)")
    }

    @Test func theAllowListHoldsNamesAsRequestsSendThem() {
        var configuration = ServeConfiguration(profilePath: ServeFixture.profilePath)
        configuration.host = "0.0.0.0"
        #expect(HostAllowList(configuration).names == ["localhost", "127.0.0.1", "[::1]"])
        configuration.host = "::"
        #expect(HostAllowList(configuration).names == ["localhost", "127.0.0.1", "[::1]"])
        configuration.host = "127.0.0.5"
        configuration.allowedHosts = ["crm-proxy.internal", "[fd00::1]", "fd00::2"]
        #expect(HostAllowList(configuration).names
                == ["localhost", "127.0.0.1", "[::1]", "127.0.0.5", "crm-proxy.internal", "[fd00::1]", "[fd00::2]"])
        for bad in ["", "name:8080", "[fd00::1]:8080", "a b", "evil\u{1B}[31m", "x/y", "*"] {
            #expect(HostAllowList.problem(allowedHost: bad) != nil, "\(bad.debugDescription)")
        }
        #expect(HostAllowList.problem(allowedHost: "crm-proxy.internal") == nil)
    }
}
