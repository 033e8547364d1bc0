import FairleadCore

extension AuditProfile {
    /// The `mitigation:` section: which of `fairlead mitigate`'s results an audit adds to
    /// its report (docs/profiles.md, docs/mitigation.md). Needs `data.label`: options are
    /// chosen by the conversions they keep.
    ///
    ///     mitigation:
    ///       thresholds: true        # single and group-specific threshold options (default true)
    ///       reweighing: true        # AIF360's reweighing factors w(g, y) (default false)
    ///       reweigh_by: ethnicity   # an attribute or intersection (default: the first attribute)
    public struct MitigationSpec: Sendable, Equatable {
        /// Whether the report gets each decision's threshold options.
        public var thresholds = true
        /// Whether the report gets the reweighing factors of ``reweighBy``.
        public var reweighing = false
        /// The attribute or intersection (`a*b`) to reweigh by; `nil` is the first sensitive attribute.
        public var reweighBy: String?

        public init(thresholds: Bool = true, reweighing: Bool = false, reweighBy: String? = nil) {
            self.thresholds = thresholds
            self.reweighing = reweighing
            self.reweighBy = reweighBy
        }
    }

    static func decodeMitigation(_ node: ProfileNode?, data: DataSpec, sensitive: [SensitiveSpec],
                                 intersections: [[String]]) throws -> MitigationSpec? {
        guard let node else { return nil }
        var mapping = try ProfileMapping(node, path: "mitigation")
        var spec = MitigationSpec()
        if let value = mapping.node("thresholds") { spec.thresholds = try ProfileMapping.boolean(value, path: mapping.path(of: "thresholds")) }
        if let value = mapping.node("reweighing") { spec.reweighing = try ProfileMapping.boolean(value, path: mapping.path(of: "reweighing")) }
        if let attribute = try mapping.string("reweigh_by") {
            let known = sensitive.map(\.column) + intersections.map { $0.joined(separator: "*") }
            guard known.contains(attribute) else {
                let hint = typoNames(of: attribute, in: known, limit: 1).first.map { " (did you mean '\($0)'?)" } ?? ""
                throw ProfileMapping.error("expected one of the profile's attributes or intersections (\(known.joined(separator: ", "))), found '\(MessageQuote.clipped(attribute, limit: 80))'\(hint)",
                                           path: mapping.path(of: "reweigh_by"), at: node.location)
            }
            spec.reweighBy = attribute
        }
        try mapping.finish(allowed: ["thresholds", "reweighing", "reweigh_by"])
        guard spec.thresholds || spec.reweighing else {
            throw ProfileMapping.error("expected thresholds: true or reweighing: true; with both false the section asks for nothing",
                                       path: "mitigation", at: node.location)
        }
        guard data.label != nil else {
            throw ProfileMapping.error("mitigation options need a label column (data.label): they are chosen by the conversions they keep, and reweighing weighs each group's labels",
                                       path: "mitigation", at: node.location)
        }
        return spec
    }
}
