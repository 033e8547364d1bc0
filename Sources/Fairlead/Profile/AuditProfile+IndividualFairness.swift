import FairleadCore

extension AuditProfile {
    /// The `individual_fairness:` section: consistency and the counterfactual check on the
    /// model's features (docs/mitigation.md). Needs `model:`. A rule on `consistency` or
    /// `counterfactual_flip_rate` turns it on with the defaults.
    public struct IndividualFairnessSpec: Sendable, Equatable {
        /// k, the nearest leads each lead is compared with (AIF360's `n_neighbors`, 5).
        public var neighbours = 5
        /// The most leads measured; more stop the audit naming this key (the neighbour
        /// search takes time n² · features).
        public var maximumRows = 200_000

        public init() {}
    }

    static func decodeIndividualFairness(_ node: ProfileNode?) throws -> IndividualFairnessSpec? {
        guard let node else { return nil }
        var mapping = try ProfileMapping(node, path: "individual_fairness")
        var spec = IndividualFairnessSpec()
        if let neighbours = try mapping.integer("neighbours", atLeast: 1) {
            guard neighbours <= 100 else {
                throw ProfileMapping.error("expected at most 100 neighbours, found \(neighbours)",
                                           path: mapping.path(of: "neighbours"), at: node.location)
            }
            spec.neighbours = neighbours
        }
        if let rows = try mapping.integer("max_rows", atLeast: 1) { spec.maximumRows = rows }
        try mapping.finish(allowed: ["neighbours", "max_rows"])
        return spec
    }

    /// The individual-fairness settings in force: the section's, or the defaults when a
    /// rule needs them; `nil` when neither.
    var individualFairnessInForce: IndividualFairnessSpec? {
        individualFairness ?? (rules.contains { $0.metric.definition.family == .individual } ? IndividualFairnessSpec() : nil)
    }
}
