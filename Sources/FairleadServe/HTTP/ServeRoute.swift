import Hummingbird

/// Every route of `fairlead serve`, declared once: the router registers them from here,
/// the auth middleware reads their scope from here, and a test checks them against the
/// committed OpenAPI document (docs/openapi.json).
public enum ServeRoute: String, Sendable, CaseIterable {
    case explain
    case card
    case leadExplanation
    case leadCard
    case health
    case ready
    case metrics
    case openAPI

    /// The method.
    public var method: HTTPRequest.Method {
        switch self {
        case .explain, .card: return .post
        default: return .get
        }
    }

    /// The path as the OpenAPI document writes it (`{id}` for a parameter).
    public var path: String {
        switch self {
        case .explain: return "/v1/explain"
        case .card: return "/v1/card"
        case .leadExplanation: return "/v1/leads/{id}/explanation"
        case .leadCard: return "/v1/leads/{id}/card"
        case .health: return "/healthz"
        case .ready: return "/readyz"
        case .metrics: return "/metrics"
        case .openAPI: return "/openapi.json"
        }
    }

    /// The path as Hummingbird's router writes it (`:id`).
    var routerPath: RouterPath {
        RouterPath(path.replacingOccurrences(of: "{id}", with: ":id"))
    }

    /// The scope a key needs (nil: open to every caller, key or none).
    public var scope: APIScope? {
        switch self {
        case .explain, .card: return .explain
        case .leadExplanation, .leadCard: return .leads
        case .metrics: return .metrics
        case .health, .ready, .openAPI: return nil
        }
    }

    /// The token bucket of a caller that a request of the route takes from, when the route
    /// needs a scope: `/metrics` has one of its own, so that a scraper is answered while
    /// the caller's API requests (without keys: every caller's) have spent theirs, and
    /// never spends theirs (docs/service.md#limits).
    public var rateBucket: RateBucket {
        self == .metrics ? .metrics : .api
    }

    /// The label in logs and metrics (never the lead id a path carries).
    public var label: String { rawValue }
}
