@testable import FairleadServe
import FairleadTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// Requests the HTTP/1.1 parser refuses, before a route sees them or while their body is
/// read: each is answered 400 with `Connection: close` and closed, one log line names
/// the remote address and the parser's reason, and
/// `fairlead_http_malformed_requests_total{reason}` counts it. Sent over raw sockets to a
/// live service: no HTTP client sends such bytes.
@Suite struct ServeMalformedRequestTests {
    struct Malformed: Sendable, CustomTestStringConvertible {
        let name: String
        let request: String
        /// The parser's reason, as NIO words it.
        let reason: String
        /// Its class, the metric's label.
        let reasonClass: MalformedRequestReason
        var testDescription: String { name }
    }

    private static let json = "Host: 127.0.0.1\r\nContent-Type: application/json\r\n"

    static let cases: [Malformed] = [
        Malformed(name: "two Content-Length fields",
                  request: "POST /v1/explain HTTP/1.1\r\n\(json)Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
                  reason: "unexpected content-length header", reasonClass: .framing),
        // NIO gives the parser's code for this (HPE_INVALID_TRANSFER_ENCODING) no case of its own.
        Malformed(name: "Content-Length with Transfer-Encoding",
                  request: "POST /v1/explain HTTP/1.1\r\n\(json)Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
                  reason: "unknown (http_parser error)", reasonClass: .other),
        // The parser wants CR LF after the version: a bare LF there is a bad version.
        Malformed(name: "bare line feeds", request: "GET /healthz HTTP/1.1\nHost: 127.0.0.1\n\n",
                  reason: "invalid HTTP version", reasonClass: .version),
        Malformed(name: "a header line past --max-header-bytes",
                  request: "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: \(String(repeating: "a", count: 20_000))\r\n\r\n",
                  reason: "too many header bytes seen; overflow detected", reasonClass: .headerSize),
        Malformed(name: "a method that is no token", request: "G@T /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                  reason: "invalid HTTP method", reasonClass: .method),
        Malformed(name: "an escape in a field name", request: "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-\u{1B}[31m: 1\r\n\r\n",
                  reason: "invalid character in header", reasonClass: .syntax),
        // The head is whole and the route has begun: the parser refuses the body as it is
        // read. (This was answered 500 `internal`, and logged as an internal error.)
        Malformed(name: "a chunk size that is no number",
                  request: "POST /v1/explain HTTP/1.1\r\n\(json)Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\nzz\r\n",
                  reason: "invalid character in chunk size header", reasonClass: .framing),
    ]

    /// What a raw connection was answered, how it ended, its local port, and what
    /// `/metrics` said after it.
    struct Exchange: Sendable {
        var answer: String
        var ending: RawHTTP.Ending
        var localPort: Int?
        var metrics: String
    }

    /// `request` sent on a connection of its own to a live service, then `/metrics`; and
    /// the service's log events.
    private func exchange(_ request: String, limits: ServeLimits = ServeLimits()) async throws -> (Exchange, [LogEvent]) {
        let recorded = ServeLogTests.Recorded()
        let logger = Logger(label: "fairlead.serve.tests") { _ in
            TerminalSafeLogHandler(ServeLogTests.RecordingHandler(recorded: recorded))
        }
        let service = try ServeFixture.service(keys: nil, limits: limits, configure: { $0.port = 0 })
        let app = FairleadServer.application(service, logger: logger)
        let exchange = try await app.test(.live) { client in
            let port = try #require(client.port)
            return try await ServeFixture.onAThreadOfItsOwn {
                let (answer, ending, localPort) = try RawHTTP.exchange(port: port, Data(request.utf8))
                return Exchange(answer: answer, ending: ending, localPort: localPort, metrics: try Self.metrics(port: port))
            }
        }
        return (exchange, recorded.events)
    }

    private static func metrics(port: Int) throws -> String {
        try RawHTTP.exchange(port: port, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    }

    private static func text(_ value: Logger.Metadata.Value?) -> String? {
        value.map { "\($0)" }
    }

    @Test(arguments: cases)
    func isAnswered400ClosedLoggedAndCounted(_ malformed: Malformed) async throws {
        let (seen, events) = try await exchange(malformed.request)
        #expect(seen.answer == "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
                "answered \(seen.answer.prefix(200))")
        #expect(seen.ending == .closed)
        // The service goes on, and counts the refusal by its class, once.
        #expect(seen.metrics.hasPrefix("HTTP/1.1 200"))
        #expect(seen.metrics.contains("\nfairlead_http_malformed_requests_total{reason=\"\(malformed.reasonClass.rawValue)\"} 1\n"),
                "\(seen.metrics)")
        let others = MalformedRequestReason.allCases.filter { $0 != malformed.reasonClass }
        #expect(others.allSatisfy { seen.metrics.contains("\nfairlead_http_malformed_requests_total{reason=\"\($0.rawValue)\"} 0\n") },
                "\(seen.metrics)")

        let lines = events.filter { $0.message.description == "malformed request" }
        #expect(lines.count == 1, "\(lines.map(\.metadata))")
        let metadata = lines.first?.metadata ?? [:]
        #expect(lines.first?.level == .notice)
        #expect(Self.text(metadata["remote"]) == "127.0.0.1:\(seen.localPort ?? -1)")
        #expect(Self.text(metadata["reason"]) == malformed.reason)
        #expect(Self.text(metadata["reason_class"]) == malformed.reasonClass.rawValue)
        // No route answered it, so no request line, and no internal error.
        #expect(!events.contains { $0.level >= .error }, "\(events.map(\.message))")
        #expect(!events.contains { $0.message.description == "request" && Self.text($0.metadata?["route"]) != "metrics" })
        // Nothing the client sent reaches the log (the escape in a field name included).
        let everything = events.map { "\($0.message) \($0.metadata ?? [:])" }.joined(separator: "\n")
        #expect(!everything.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F })
    }

    /// A body the service stops reading at the request timeout leaves the parser at an
    /// unfinished message when the service closes the connection: that is no refusal.
    @Test func aConnectionTheServiceClosesIsNoMalformedRequest() async throws {
        var limits = ServeLimits()
        limits.requestTimeout = 0.2
        let head = "POST /v1/explain HTTP/1.1\r\n\(Self.json)Content-Length: 100\r\n\r\n{\"web_visits\": "
        let (seen, events) = try await exchange(head, limits: limits)
        #expect(seen.answer.hasPrefix("HTTP/1.1 503"), "answered \(seen.answer.prefix(120))")
        // Its body was never read whole: the answer closes the connection (OneAnswerHandler).
        #expect(seen.answer.lowercased().contains("\r\nconnection: close\r\n"), "answered \(seen.answer.prefix(400))")
        #expect(seen.ending == .closed)
        #expect(MalformedRequestReason.allCases.allSatisfy {
            seen.metrics.contains("\nfairlead_http_malformed_requests_total{reason=\"\($0.rawValue)\"} 0\n")
        }, "\(seen.metrics)")
        #expect(!events.contains { $0.message.description == "malformed request" })
    }
}
