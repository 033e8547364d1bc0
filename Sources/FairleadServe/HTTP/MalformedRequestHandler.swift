import Logging
import NIOCore
import NIOHTTP1

/// Logs and counts each connection whose bytes the HTTP/1.1 parser refused: two
/// `Content-Length` fields, `Content-Length` with `Transfer-Encoding`, bare line feeds, a
/// header block past `--max-header-bytes`, a method that is no token, a chunk size that is
/// no number, …
///
/// Such a request never reaches a route, so neither the middleware's log line nor its
/// metrics see it: Hummingbird answers `400 Bad Request` with `Connection: close` and
/// closes the connection. This handler sits in each connection's pipeline after the
/// parser, sees its error on the way to Hummingbird, and writes one line for the
/// connection (its remote address, the parser's reason and the reason's class) and counts
/// it in `fairlead_http_malformed_requests_total{reason}` (``ServeMetrics``); the error then
/// goes on unchanged, and the answer with it.
///
/// A client that ends its side of the connection in the middle of a request is refused
/// too (the parser's `stream ended at an unexpected time`, class `incomplete`). A
/// connection the service closed itself is left alone: after a 503 at the request
/// timeout, with the rest of a body unread, the parser is left at an unfinished message
/// once the connection is already closed, and that is no request refused.
final class MalformedRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias InboundOut = NIOAny

    private let metrics: ServeMetrics
    private let logger: Logger
    private var reported = false

    init(metrics: ServeMetrics, logger: Logger) {
        self.metrics = metrics
        self.logger = logger
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // After its first error the parser refuses every later byte with another error
        // wrapping the first: one line, and one count, per connection.
        if !reported, context.channel.isActive, let refusal = error as? HTTPParserError {
            reported = true
            let reason = MalformedRequestReason(refusal)
            metrics.record(malformedRequest: reason)
            logger.notice("malformed request", metadata: [
                "remote": "\(Self.text(of: context.channel.remoteAddress))",
                "reason": "\(refusal.debugDescription)",
                "reason_class": "\(reason.rawValue)",
            ])
        }
        context.fireErrorCaught(error)
    }

    /// `127.0.0.1:53012`, `[::1]:53012`, or `-` when the address is unknown.
    static func text(of address: SocketAddress?) -> String {
        guard let address, let ip = address.ipAddress, let port = address.port else { return "-" }
        if case .v6 = address { return "[\(ip)]:\(port)" }
        return "\(ip):\(port)"
    }
}

@available(*, unavailable)
extension MalformedRequestHandler: Sendable {}

/// The class of a parser's refusal: the `reason` label of
/// `fairlead_http_malformed_requests_total`, a short and closed set that an alert can name.
public enum MalformedRequestReason: String, Sendable, CaseIterable {
    /// The body's length is not one thing: two `Content-Length` fields, one with
    /// `Transfer-Encoding`, a length or a chunk size that is no number (the shapes of
    /// request smuggling).
    case framing
    /// The header block, or one header field, is past `--max-header-bytes`, or there are
    /// more than 100 fields.
    case headerSize = "header_size"
    /// The method is no method.
    case method
    /// The request target is no URL path.
    case target
    /// The version is not HTTP/1.x.
    case version
    /// The request line or a header field is malformed: a bare line feed, a character a
    /// field name may not hold, a space where none may be.
    case syntax
    /// The client ended its side of the connection with a request unfinished.
    case incomplete
    /// Any other refusal of the parser (its reason says which; the parser gives one code
    /// to an unknown `Transfer-Encoding` and to a missing carriage return, among others).
    case other

    /// The class of `error`.
    init(_ error: HTTPParserError) {
        switch error {
        case .invalidContentLength, .unexpectedContentLength, .invalidChunkSize: self = .framing
        case .headerOverflow: self = .headerSize
        case .invalidMethod: self = .method
        case .invalidURL: self = .target
        case .invalidVersion: self = .version
        case .lfExpected, .invalidHeaderToken, .invalidCharactersUsed, .invalidConstant, .strictModeAssertion,
             .trailingGarbage: self = .syntax
        case .invalidEOFState: self = .incomplete
        default: self = .other
        }
    }
}
