import Hummingbird
import NIOCore

/// The request context of `fairlead serve`: Hummingbird's, with the request id and the
/// connection the request came on.
public struct ServeRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The id in `X-Request-Id`, problem details and the log.
    public var requestID = ""
    /// The request's connection.
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
    }

    /// Has the connection closed once the response being answered is written, as at
    /// shutdown: Hummingbird's connection handler closes a quiescing connection after the
    /// end of the response in flight. (Closing it now could cut the response.)
    func closeConnectionAfterResponse() {
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
    }
}
