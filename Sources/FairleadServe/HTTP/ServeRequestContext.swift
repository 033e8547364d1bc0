import Hummingbird

/// The request context of `fairlead serve`: Hummingbird's, with the request id.
public struct ServeRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The id in `X-Request-Id`, problem details and the log.
    public var requestID = ""

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
    }
}
