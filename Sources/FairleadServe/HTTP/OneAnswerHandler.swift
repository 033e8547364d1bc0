import Hummingbird
import NIOCore
import NIOHTTPTypes

/// Closes a connection after an answer that may leave bytes of its request unread, and
/// writes nothing on it after that answer: at most one response per request, never one to
/// bytes the client did not send as a request.
///
/// The service answers some requests before it reads their body: 421 for a foreign
/// `Host`, 415 for a body that is not JSON, 413 by `Content-Length`, 401, 403, 404, 405,
/// 429, and 503 when a body stops coming. Hummingbird then reads on to the end of that
/// body to reach the next request; when the body is malformed (a chunk size that is no
/// number) or what follows it is no HTTP, the parser refuses it and Hummingbird answers
/// a second time, `400 Bad Request`, on the same connection. A client, or a proxy that
/// reuses the connection for another caller, reads that 400 as the answer to its next
/// request: the responses are out of step with the requests.
///
/// Which answers close the connection: those written before the parser reached the end of
/// their request (the body is still coming, or was refused), those to a request that
/// carried a body and was refused (status 400 and up: the service may not have read that
/// body, and whatever follows it is then no request the client expects an answer to), and
/// those that say `Connection: close` already (the parser's own 400, the 503 of a body
/// that stopped coming). The answer gets `Connection: close`; once it is written, the
/// output is closed (the client reads the answer, then the end of the stream) and every
/// later write is dropped. An error answer to a request without a body, or an answer
/// after the whole body was read, keeps the connection: the parser has framed the request,
/// so the next bytes are the next request.
///
/// Why here, and not in the middleware or by reading the body: the second answer is
/// written by Hummingbird's connection loop, after every route and middleware has
/// returned, so only the connection's pipeline sees it; a rule kept at each early answer
/// would miss the next one added (and Hummingbird's own answers); reading and discarding
/// the body up to `--max-body-bytes` would not help, as the refusal of a malformed body is
/// what writes the 400. One handler on the connection covers every answer, whoever wrote it.
///
/// After the answer the connection lingers with its input open, for at most
/// ``lingerTime``: what the client still sends is read and dropped (no route sees it, no
/// refusal of it is counted), and the connection closes when the client closes its side.
/// Closing at once with the client's bytes unread would make the kernel reset the
/// connection, and a client may lose the answer to a reset.
final class OneAnswerHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// How long a connection whose output is closed reads on before it is closed.
    static let lingerTime = TimeAmount.seconds(5)

    /// A request read and not yet answered to its end.
    private struct Exchange {
        /// Whether any of its body has been read.
        var carriesBody = false
        /// Whether the parser reached its end.
        var isWhole = false
    }

    private enum State {
        /// Answers go out; the connection may carry more requests.
        case open
        /// The answer being written closes the connection once written.
        case closingAfterAnswer
        /// The output is closed: input is read and dropped until the client closes.
        case lingering
    }

    private var exchanges: [Exchange] = []
    private var state = State.open
    private var lingerClose: Scheduled<Void>?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard state != .lingering else { return }
        switch unwrapInboundIn(data) {
        case .head:
            exchanges.append(Exchange())
        case .body:
            if !exchanges.isEmpty { exchanges[exchanges.count - 1].carriesBody = true }
        case .end:
            if !exchanges.isEmpty { exchanges[exchanges.count - 1].isWhole = true }
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        guard state != .lingering else {
            // Nothing downstream asks for more while it gets nothing: drain here.
            context.read()
            return
        }
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The parser's refusal of bytes after the last answer: no request, nothing to answer.
        guard state != .lingering else { return }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard state != .lingering else {
            promise?.fail(ChannelError.outputClosed)
            return
        }
        switch unwrapOutboundIn(data) {
        case .head(var response) where response.status.kind != .informational:
            if Self.closes(after: response, to: exchanges.first) {
                state = .closingAfterAnswer
                response.headerFields[.connection] = "close"
                context.write(wrapOutboundOut(.head(response)), promise: promise)
                return
            }
        case .end:
            if !exchanges.isEmpty { exchanges.removeFirst() }
            if state == .closingAfterAnswer {
                state = .lingering
                context.writeAndFlush(data, promise: promise)
                context.close(mode: .output, promise: nil)
                let channel = context.channel
                lingerClose = context.eventLoop.scheduleTask(in: Self.lingerTime) { channel.close(promise: nil) }
                context.read()
                return
            }
        case .head, .body:
            break
        }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        lingerClose?.cancel()
        lingerClose = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        lingerClose?.cancel()
        lingerClose = nil
    }

    /// Whether `response`, the answer to `exchange` (nil: to no request the parser framed),
    /// may leave bytes of the request unread, or says it closes the connection.
    private static func closes(after response: HTTPResponse, to exchange: Exchange?) -> Bool {
        guard let exchange, exchange.isWhole else { return true }
        if exchange.carriesBody && response.status.code >= 400 { return true }
        return response.headerFields[.connection]?.lowercased() == "close"
    }
}

@available(*, unavailable)
extension OneAnswerHandler: Sendable {}
