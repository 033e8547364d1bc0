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
    /// average (`--rate`) to the API's routes, and as many again to `/metrics`, from a
    /// bucket of its own (``RateBucket``); 0 turns the rate limit off.
    public var ratePerSecond = 50.0
    /// Requests a key may make at once after a pause (`--burst`): each token bucket's size.
    public var burst = 100

    /// The defaults.
    public init() {}

    /// The longest `requestTimeout` and `idleTimeout`: a day.
    public static let longestSeconds = 86_400.0
    /// The range of a non-zero `ratePerSecond`: from one request in a day (a slower rate
    /// would ask a caller to retry after more than a day) to a million a second.
    public static let rates = (1.0 / 86_400)...1_000_000

    /// Each limit outside its range, as the option that sets it (`--request-timeout must be
    /// above 0 and at most 86400 seconds, found inf`); empty when all are in range. Seconds
    /// become whole milliseconds of a timer: an infinite or huge one is refused here, not
    /// trapped on when it is converted.
    public var problems: [String] {
        var problems: [String] = []
        func check(_ ok: Bool, _ option: String, _ range: String, _ value: CustomStringConvertible) {
            if !ok { problems.append("\(option) must be \(range), found \(value)") }
        }
        check(maxBodyBytes >= 1, "--max-body-bytes", "at least 1", maxBodyBytes)
        check(maxBatch >= 1, "--max-batch", "at least 1", maxBatch)
        check(maxHeaderBytes >= 256, "--max-header-bytes", "at least 256", maxHeaderBytes)
        check(burst >= 1, "--burst", "at least 1", burst)
        let seconds = "above 0 and at most \(Int(Self.longestSeconds)) seconds"
        check(requestTimeout > 0 && requestTimeout <= Self.longestSeconds, "--request-timeout", seconds, requestTimeout)
        check(idleTimeout > 0 && idleTimeout <= Self.longestSeconds, "--idle-timeout", seconds, idleTimeout)
        check(ratePerSecond == 0 || Self.rates.contains(ratePerSecond), "--rate",
              "0 (no limit) or from 1/86400 to 1000000 requests a second", ratePerSecond)
        return problems
    }
}
