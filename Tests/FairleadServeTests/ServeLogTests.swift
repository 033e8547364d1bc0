@testable import FairleadServe
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// What reaches the log: key names that are plain text by construction (the keys file
/// refuses others, saying where), every field made visible by the handler the command
/// installs, and the key's name on every refusal that knows the key.
@Suite struct ServeLogTests {
    /// Log events as the wrapped handler received them.
    final class Recorded: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [LogEvent] = []
        var events: [LogEvent] { lock.withLock { stored } }
        func append(_ event: LogEvent) { lock.withLock { stored.append(event) } }
    }

    struct RecordingHandler: LogHandler {
        let recorded: Recorded
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            var event = event
            event.metadata = metadata.merging(event.metadata ?? [:]) { _, explicit in explicit }
            recorded.append(event)
        }
    }

    private static func text(_ value: Logger.Metadata.Value?) -> String? {
        value.map { "\($0)" }
    }

    @Test(arguments: [
        ("ev\u{1B}[31mil", "U+001B"), ("a\u{07}b", "U+0007"), ("tab\u{0B}bed", "U+000B"), ("c1\u{9B}x", "U+009B"),
        ("bidi\u{202E}gnp", "U+202E"), ("zero\u{200B}width", "U+200B"), ("nbsp\u{A0}x", "U+00A0"),
        ("key=forged", "U+003D"), ("quo\"te", "U+0022"), ("müller", "U+00FC"), ("del\u{7F}", "U+007F"),
    ])
    func aKeyNameWithAnOddCharacterIsRefusedWithItsLine(name: String, code: String) throws {
        let text = "# keys\nfine explain \(APIKeys.hashText(of: "k1"))\n\(name) explain \(APIKeys.hashText(of: "k2"))\n"
        do {
            _ = try APIKeys(text: text, file: "keys.txt")
            Issue.record("the name \(name.debugDescription) was accepted")
        } catch {
            let message = "\(error)"
            #expect(message.hasPrefix("keys.txt:3: the name '"), "\(message)")
            #expect(message.contains("holds \(code); a key's name is ASCII letters, digits and - _ . @ : + /"), "\(message)")
            #expect(!message.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}" },
                    "the message carries the character raw: \(message.debugDescription)")
        }
    }

    @Test func plainNamesAndTheLongestAreRead() throws {
        let longest = String(repeating: "n", count: APIKeys.longestName)
        let keys = try APIKeys(text: "crm-prod.eu_1 explain \(APIKeys.hashText(of: "a"))\nops@example.com:v2+x/y metrics \(APIKeys.hashText(of: "b"))\n\(longest) leads \(APIKeys.hashText(of: "c"))")
        #expect(keys.entries.map(\.name) == ["crm-prod.eu_1", "ops@example.com:v2+x/y", longest])
        #expect(throws: (any Error).self) { try APIKeys(text: "\(longest)n leads \(APIKeys.hashText(of: "c"))") }
    }

    @Test func everyFieldTheHandlerPassesOnIsVisible() throws {
        struct Failure: Error, CustomStringConvertible { var description: String { "bad\u{1B}]0;title\u{07}\nforged line" } }
        let recorded = Recorded()
        var handler = TerminalSafeLogHandler(RecordingHandler(recorded: recorded, metadata: ["base": "b\u{1B}[2J"]))
        handler[metadataKey: "set\u{0D}"] = "s\u{9B}1m"
        let logger = Logger(label: "test") { _ in handler }
        logger.error("msg\u{1B}[31m\nnext", error: Failure(), metadata: [
            "key": "ev\u{1B}[31mil", "nested": .dictionary(["k\u{0A}": .array(["x\u{202E}y", .stringConvertible(Failure())])]),
        ])
        let event = try #require(recorded.events.first)
        #expect(event.message.description == "msg\\x1B[31m\\nnext")
        let metadata = event.metadata ?? [:]
        #expect(Self.text(metadata["key"]) == "ev\\x1B[31mil")
        #expect(Self.text(metadata["base"]) == "b\\x1B[2J")
        #expect(Self.text(metadata["set\\r"]) == "s\\u{9B}1m")
        #expect(Self.text(metadata["error.message"]) == "bad\\x1B]0;title\\x07\\nforged line")
        #expect(event.error == nil)
        guard case .dictionary(let nested)? = metadata["nested"], case .array(let items)? = nested["k\\n"] else {
            Issue.record("nested metadata lost its shape: \(metadata)")
            return
        }
        #expect(items.map { "\($0)" } == ["x\\u{202E}y", "bad\\x1B]0;title\\x07\\nforged line"])
        let everything = "\(event.message) \(metadata)"
        #expect(!everything.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}" })
    }

    /// The log lines of requests made with `keys`, through the handler the command uses.
    private func logLines(keys: String? = ServeFixture.keysText, limits: ServeLimits = ServeLimits(),
                          _ requests: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws -> [Logger.Metadata] {
        let recorded = Recorded()
        let logger = Logger(label: "fairlead.serve.tests") { _ in TerminalSafeLogHandler(RecordingHandler(recorded: recorded)) }
        let app = FairleadServer.application(try ServeFixture.service(keys: keys, limits: limits), logger: logger)
        try await app.test(.router) { client in try await requests(client) }
        return recorded.events.filter { $0.message.description == "request" }.map { $0.metadata ?? [:] }
    }

    @Test func aKeyLackingTheScopeOrItsRateIsLoggedByName() async throws {
        var limits = ServeLimits()
        limits.burst = 1
        limits.ratePerSecond = 1.0 / 86_400
        let lines = try await logLines(limits: limits) { client in
            try await client.execute(uri: "/v1/leads/L0000042/explanation", method: .get,
                                     headers: ServeFixture.bearer("explain-key-0123456789")) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/metrics", method: .get, headers: ServeFixture.bearer("scraper-key-0123456789")) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/metrics", method: .get, headers: ServeFixture.bearer("scraper-key-0123456789")) {
                #expect($0.status == .tooManyRequests)
            }
            try await client.execute(uri: "/metrics", method: .get, headers: ServeFixture.bearer("no-such-key-0123456789")) {
                #expect($0.status == .unauthorized)
            }
        }
        #expect(lines.map { Self.text($0["key"]) } == ["explainer", "scraper", "scraper", "-"])
        #expect(lines.map { Self.text($0["outcome"]) } == ["forbidden", "ok", "rate-limited", "unauthorized"])
    }
}
