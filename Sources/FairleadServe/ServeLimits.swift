/// The bounds `fairlead serve` answers within; each is an option of the command
/// (docs/service.md#limits) and every default suits one CRM calling for one lead at a time.
public struct ServeLimits: Sendable, Equatable {
    /// The largest request body read, in bytes (`--max-body-bytes`); a larger one is 413.
    public var maxBodyBytes = 64 * 1024
    /// The most leads in one `{"leads": [...]}` batch (`--max-batch`); more is 413.
    public var maxBatch = 100
    /// The largest header block, and header field, in bytes (`--max-header-bytes`).
    public var maxHeaderBytes = 16 * 1024
    /// The longest a request may take from its head to its answer, in seconds
    /// (`--request-timeout`); past it the answer is 503 with a problem of kind `timeout`.
    public var requestTimeout = 10.0
    /// Seconds a connection may stay idle before it is closed (`--idle-timeout`).
    public var idleTimeout = 60.0
    /// Requests per second each key (or, without keys, all callers together) may make on
    /// average (`--rate`); 0 turns the rate limit off.
    public var ratePerSecond = 50.0
    /// Requests a key may make at once after a pause (`--burst`): the token bucket's size.
    public var burst = 100

    /// The defaults.
    public init() {}
}
