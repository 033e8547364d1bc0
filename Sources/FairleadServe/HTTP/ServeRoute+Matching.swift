extension ServeRoute {
    /// What a request path is.
    enum Match: Equatable {
        /// A route, with the `{id}` it carries.
        case route(ServeRoute, id: String?)
        /// A route's path with another method: the methods it takes.
        case wrongMethod(allowed: [String])
        /// No route.
        case none
    }

    /// The route of `method` and `path` (without its query).
    static func match(method: String, path: String) -> Match {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        var allowed: [String] = []
        for route in allCases {
            let pattern = route.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            guard pattern.count == segments.count else { continue }
            var id: String?
            var matches = true
            for (expected, actual) in zip(pattern, segments) {
                if expected == "{id}" {
                    if actual.isEmpty { matches = false; break }
                    id = String(actual)
                } else if expected != actual {
                    matches = false
                    break
                }
            }
            guard matches else { continue }
            if route.method.rawValue == method { return .route(route, id: id) }
            allowed.append(route.method.rawValue)
        }
        return allowed.isEmpty ? .none : .wrongMethod(allowed: allowed)
    }
}
