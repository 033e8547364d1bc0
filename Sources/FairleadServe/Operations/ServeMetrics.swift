import Prometheus

/// The service's Prometheus metrics, in a registry of its own (`GET /metrics`):
///
/// - `fairlead_http_requests_total{route,status}`: requests answered;
/// - `fairlead_http_request_duration_seconds{route}`: their latency, a histogram;
/// - `fairlead_http_requests_in_flight{route}`: requests whose head has arrived and
///   that are not yet answered (a body still coming counts);
/// - `fairlead_http_errors_total{kind}`: problems answered, by kind (``Problem/Kind``);
/// - `fairlead_http_malformed_requests_total{reason}`: connections whose request the HTTP
///   parser refused (400, closed), by class (``MalformedRequestReason``): no route saw them;
/// - `fairlead_reloads_total{outcome}`: SIGHUP reloads, `succeeded` or `failed`.
public final class ServeMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry = PrometheusCollectorRegistry()
    static let buckets: [Duration] = [0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
        .map { Duration.nanoseconds(Int64($0 * 1e9)) }

    /// A registry holding, at 0, every counter whose labels are known in advance: each
    /// problem kind, each class of malformed request and each reload outcome. A series
    /// absent until its first event is no series to `increase(…[5m]) > 0`, which then
    /// misses that first event; with the series at 0 from the start, it sees it.
    /// (`fairlead_http_requests_total` is left out: its statuses are not known in advance.)
    public init() {
        for kind in Problem.Kind.allCases { errorCounter(kind) }
        for reason in MalformedRequestReason.allCases { malformedCounter(reason) }
        for outcome in ReloadOutcome.allCases { reloadCounter(outcome) }
    }

    private static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "fairlead", subsystem: "http", metricName: "requests", unitName: "total",
            helpText: "HTTP requests answered, by route and status.")
    }
    private static var latency: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "fairlead", subsystem: "http", metricName: "request_duration", unitName: "seconds",
            helpText: "Time from a request's head to its answer, by route.")
    }
    private static var inFlight: MetricNameDescriptor {
        MetricNameDescriptor(
            // A count of requests, without a unit suffix (empty parts are left out of the name).
            namespace: "fairlead", subsystem: "http", metricName: "requests_in_flight", unitName: "",
            helpText: "Requests whose head has arrived and that are not yet answered, by route.")
    }
    private static var errors: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "fairlead", subsystem: "http", metricName: "errors", unitName: "total",
            helpText: "Problems answered (RFC 9457), by kind.")
    }
    private static var malformed: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "fairlead", subsystem: "http", metricName: "malformed_requests", unitName: "total",
            helpText: "Connections whose request the HTTP parser refused (answered 400 and closed), by reason class.")
    }
    private static var reloads: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "fairlead", metricName: "reloads", unitName: "total",
            helpText: "Profile and model reloads on SIGHUP, by outcome.")
    }

    /// Counts one request of `route` answered with `status`, taking `duration`.
    func record(route: String, status: Int, duration: Duration) {
        registry.makeCounter(descriptor: Self.requests, labels: [("route", route), ("status", String(status))]).increment()
        registry.makeDurationHistogram(descriptor: Self.latency, labels: [("route", route)], buckets: Self.buckets)
            .record(duration)
    }

    /// Counts a request of `route` in flight from its head on (`change` 1), or no longer
    /// (`change` -1, as it is answered).
    func record(route: String, inFlightChange change: Double) {
        registry.makeGauge(descriptor: Self.inFlight, labels: [("route", route)]).increment(by: change)
    }

    /// Counts one problem answered.
    func record(problem: Problem.Kind) {
        errorCounter(problem).increment()
    }

    /// Counts one connection whose request the parser refused.
    func record(malformedRequest reason: MalformedRequestReason) {
        malformedCounter(reason).increment()
    }

    /// Counts one reload.
    func record(reload outcome: ReloadOutcome) {
        reloadCounter(outcome).increment()
    }

    // The registry gives the same counter for the same name and labels: these make it
    // at 0 the first time (``init()``) and find it every time after.
    @discardableResult
    private func errorCounter(_ kind: Problem.Kind) -> Counter {
        registry.makeCounter(descriptor: Self.errors, labels: [("kind", kind.rawValue)])
    }

    @discardableResult
    private func malformedCounter(_ reason: MalformedRequestReason) -> Counter {
        registry.makeCounter(descriptor: Self.malformed, labels: [("reason", reason.rawValue)])
    }

    @discardableResult
    private func reloadCounter(_ outcome: ReloadOutcome) -> Counter {
        registry.makeCounter(descriptor: Self.reloads, labels: [("outcome", outcome.rawValue)])
    }

    /// The Prometheus text exposition.
    func text() -> [UInt8] {
        registry.emitToBuffer()
    }
}

/// How a SIGHUP reload ended: the `outcome` label of `fairlead_reloads_total`.
public enum ReloadOutcome: String, Sendable, CaseIterable {
    /// The profile, model and keys loaded and are answered from.
    case succeeded
    /// Something failed to load; the service answers from what it loaded before.
    case failed
}
