import Hummingbird
import NIOCore

/// The request context of `fairlead serve`: Hummingbird's, with the request id.
///
/// Which answers close their connection is decided on the connection, for every answer
/// alike (``OneAnswerHandler``), not by the route or middleware that answers.
public struct ServeRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The id in `X-Request-Id`, problem details and the log.
    public var requestID = ""

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
    }
}
