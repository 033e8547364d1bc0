extension AuditReport {
    /// One decision's individual fairness (docs/mitigation.md): consistency over the k
    /// nearest leads on the model's standardized features, and per sensitive or proxy
    /// feature the share of leads whose decision flips when the feature takes another
    /// group's typical value.
    public struct IndividualFairnessReport: Codable, Sendable, Equatable {
        /// AIF360's consistency of the decision (`consistency` in the catalog).
        public var consistency: Estimate
        /// k.
        public var neighbours: Int
        /// Leads measured (those with a decision).
        public var leads: Int
        /// The model's features, standardized, the neighbours are found on.
        public var features: [String]
        /// Per feature (`F` for a sensitive column the model reads, `F~A` for a proxy F
        /// of attribute A): the counterfactual check.
        public var counterfactual: [String: CounterfactualReport]
    }

    /// The counterfactual check of one feature against one attribute's groups.
    public struct CounterfactualReport: Codable, Sendable, Equatable {
        public var feature: String
        public var attribute: String
        /// Leads with a group and a decision, and those whose decision flips for at least
        /// one other group's typical value.
        public var leads: Int
        public var flipped: Int
        /// flipped ÷ leads (`counterfactual_flip_rate`).
        public var flipRate: Estimate
        /// Per group: leads of the group whose decision flips.
        public var flippedByGroup: [String: Int]
        /// The model-side cutoff a decision was compared at (a probability, or the k-th
        /// highest for top-k).
        public var cutoff: Double
    }
}
