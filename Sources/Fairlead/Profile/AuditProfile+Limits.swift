import FairleadCore

extension AuditProfile {
    /// The `limits:` section: raised (or lowered) bounds on what the audit's inputs may
    /// cost, each key a ``Limits/Name``; sizes are bytes, written as a number or with a
    /// binary suffix (`64MiB`, `8G`):
    ///
    ///     limits:
    ///       max_field_bytes: 8MiB
    ///       max_compression_ratio: 500
    ///
    /// A missing section keeps every default; command-line flags override these keys.
    static func decodeLimits(_ node: ProfileNode?) throws -> Limits {
        var limits = Limits()
        guard let node else { return limits }
        var mapping = try ProfileMapping(node, path: "limits")
        for name in Limits.Name.allCases {
            guard let valueNode = mapping.node(name.rawValue) else { continue }
            let path = "limits.\(name.rawValue)"
            let text = try ProfileMapping.scalar(valueNode, path: path, expected: name.expectedValue)
            guard let value = Limits.parse(text, as: name) else {
                throw ProfileMapping.error("expected \(name.expectedValue), found '\(text)'", path: path, at: valueNode.location)
            }
            limits[name] = value
        }
        try mapping.finish(allowed: Limits.Name.allCases.map(\.rawValue))
        return limits
    }
}
