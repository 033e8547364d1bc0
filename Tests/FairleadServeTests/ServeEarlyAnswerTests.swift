@testable import FairleadServe
import FairleadTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A request answered before its body is read — 421, 415, 413, 401, 403, 404, 405, 429 —
/// whose body is malformed (a chunk size that is no number) or is followed by bytes that are
/// no HTTP: the connection carries that one answer, with `Connection: close`, and then its
/// end. Without the close, the parser refused the body once the answer was written and a
/// second answer, `400 Bad Request`, followed on the same connection: a response to no
/// request the client sent, which a client or a proxy reusing the connection takes for
/// the answer to its next one. Sent over raw sockets to a live service.
@Suite struct ServeEarlyAnswerTests {
    struct EarlyAnswer: Sendable, CustomTestStringConvertible {
        let name: String
        /// The request: its head and the body, malformed or followed by what is no HTTP.
        let request: String
        /// The status of the one answer.
        let status: Int
        var keys: String? = nil
        var limits = ServeLimits()
        /// A request sent first, on a connection of its own (to spend a rate limit).
        var before: String? = nil
        var testDescription: String { name }
    }

    private static let json = "Content-Type: application/json\r\n"
    private static let chunked = "Transfer-Encoding: chunked\r\n"
    /// A chunk of two bytes, then a chunk size that is no number.
    private static let badChunks = "2\r\n{}\r\nzz\r\n\r\n"
    /// Bytes after a whole body that begin no request.
    private static let notHTTP = "\u{01}\u{02}\u{03} this is no request\r\n\r\n"

    static let cases: [EarlyAnswer] = {
        var cases = [
            EarlyAnswer(name: "421, a foreign Host, a bad chunk size",
                        request: "POST /v1/explain HTTP/1.1\r\nHost: rebind.attacker.example\r\n\(json)\(chunked)\r\n\(badChunks)",
                        status: 421),
            EarlyAnswer(name: "421, a foreign Host, bytes that are no HTTP after the body",
                        request: "POST /v1/explain HTTP/1.1\r\nHost: rebind.attacker.example\r\n\(json)Content-Length: 2\r\n\r\n{}\(notHTTP)",
                        status: 421),
            EarlyAnswer(name: "415, a body that is not JSON, a bad chunk size",
                        request: "POST /v1/explain HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n\(chunked)\r\n\(badChunks)",
                        status: 415),
            EarlyAnswer(name: "415, bytes that are no HTTP after the body",
                        request: "POST /v1/card HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}\(notHTTP)",
                        status: 415),
            EarlyAnswer(name: "404, no such route, a bad chunk size",
                        request: "POST /no/such/route HTTP/1.1\r\nHost: 127.0.0.1\r\n\(json)\(chunked)\r\n\(badChunks)",
                        status: 404),
            EarlyAnswer(name: "405, a route that takes GET, a bad chunk size",
                        request: "POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\(json)\(chunked)\r\n\(badChunks)",
                        status: 405),
            EarlyAnswer(name: "401, no key, a bad chunk size",
                        request: "POST /v1/explain HTTP/1.1\r\nHost: 127.0.0.1\r\n\(json)\(chunked)\r\n\(badChunks)",
                        status: 401, keys: ServeFixture.keysText),
            EarlyAnswer(name: "403, a key without the scope, a bad chunk size",
                        request: "POST /v1/explain HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer scraper-key-0123456789\r\n"
                            + "\(json)\(chunked)\r\n\(badChunks)",
                        status: 403, keys: ServeFixture.keysText),
        ]
        var small = ServeLimits()
        small.maxBodyBytes = 16
        cases.append(EarlyAnswer(name: "413 by Content-Length, bytes that are no HTTP after the body",
                                 request: "POST /v1/explain HTTP/1.1\r\nHost: 127.0.0.1\r\n\(json)Content-Length: 20\r\n\r\n"
                                     + "{\"web_visits\": 12345}\(notHTTP)",
                                 status: 413, limits: small))
        cases.append(EarlyAnswer(name: "413 once a chunked body is read past the limit, a bad chunk size",
                                 request: "POST /v1/explain HTTP/1.1\r\nHost: 127.0.0.1\r\n\(json)\(chunked)\r\n"
                                     + "14\r\n{\"web_visits\": 12345}\r\n\(badChunks)",
                                 status: 413, limits: small))
        // One token, which the request before spends; the limiter's clock stands still.
        var spent = ServeLimits()
        spent.ratePerSecond = 1.0 / 86_400
        spent.burst = 1
        cases.append(EarlyAnswer(name: "429, the rate limit spent, a bad chunk size",
                                 request: "POST /v1/explain HTTP/1.1\r\nHost: 127.0.0.1\r\n\(json)\(chunked)\r\n\(badChunks)",
                                 status: 429, limits: spent,
                                 before: "GET /v1/leads/L0000042/explanation HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
        return cases
    }()

    /// The status line and header block of each whole response in `text`, in order; what
    /// follows the last whole one is left out.
    static func responses(in text: String) -> [String] {
        var heads: [String] = []
        var rest = Substring(text)
        while let end = rest.range(of: "\r\n\r\n") {
            let head = String(rest[..<end.lowerBound])
            heads.append(head)
            let length = head.split(separator: "\r\n").dropFirst()
                .first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            let body = rest[end.upperBound...]
            guard body.utf8.count >= length else { break }
            rest = Substring(body.utf8.dropFirst(length)) ?? ""
        }
        return heads
    }

    @Test(arguments: cases)
    func isTheOneAnswerThenTheEnd(_ early: EarlyAnswer) async throws {
        let service = try ServeFixture.service(keys: early.keys, limits: early.limits, clock: { 1_000 }, configure: { $0.port = 0 })
        let app = ServeFixture.application(service)
        let (answer, ending) = try await app.test(.live) { client in
            let port = try #require(client.port)
            return try await ServeFixture.onAThreadOfItsOwn {
                if let before = early.before { _ = try RawHTTP.exchange(port: port, before) }
                let (answer, ending, _) = try RawHTTP.exchange(port: port, Data(early.request.utf8))
                return (answer, ending)
            }
        }
        let heads = Self.responses(in: answer)
        #expect(heads.count == 1, "\(heads.count) responses: \(heads)")
        #expect(heads.first?.hasPrefix("HTTP/1.1 \(early.status) ") == true, "\(answer.prefix(300))")
        #expect(heads.first?.lowercased().contains("\r\nconnection: close") == true, "\(heads.first ?? "")")
        #expect(ending == .closed)
    }

    /// The close is kept to the answers that may leave bytes of a request unread: a request
    /// without a body keeps its connection after an error, and so does one whose body was
    /// read and explained.
    @Test func aConnectionGoesOnAfterAnErrorToARequestWithoutABody() async throws {
        let service = try ServeFixture.service(keys: nil, configure: { $0.port = 0 })
        let app = ServeFixture.application(service)
        let values = try ServeFixture.leadValues("L0000042")
        let body = String(decoding: try JSONSerialization.data(withJSONObject: values, options: [.sortedKeys]), as: UTF8.self)
        let requests = "GET /no/such/route HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            + "POST /v1/explain HTTP/1.1\r\nHost: 127.0.0.1\r\n\(Self.json)Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
            + "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        let (answer, ending) = try await app.test(.live) { client in
            let port = try #require(client.port)
            return try await ServeFixture.onAThreadOfItsOwn {
                let (answer, ending, _) = try RawHTTP.exchange(port: port, Data(requests.utf8))
                return (answer, ending)
            }
        }
        let heads = Self.responses(in: answer)
        #expect(heads.map { $0.prefix(12) } == ["HTTP/1.1 404", "HTTP/1.1 200", "HTTP/1.1 200"], "\(heads)")
        #expect(!heads.dropLast().contains { $0.lowercased().contains("connection: close") }, "\(heads)")
        #expect(ending == .closed)
    }
}
