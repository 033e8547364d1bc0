extension AuditProfile {
    /// What some of a profile's rules need and the profile, as written, does not give:
    /// each such rule is insufficient evidence in every audit of it. `fairlead validate`
    /// says so, instead of calling the profile valid and leaving the surprise to the
    /// audit's "not applicable".
    public struct UnmetNeed: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            /// The rules read the model's features (`consistency`, proxy measures) and the
            /// profile names no `model:`: never judged.
            case model
            /// The rules need observed outcomes and the data has no label column: judged
            /// once labels are joined (`data.label`, `fairlead history label`).
            case labels
            /// The rules need probabilities (calibration) and `data.score_range` declares
            /// another scale: never judged.
            case probabilities
        }

        public let kind: Kind
        /// The rules, as written (`consistency >= 0.8`).
        public let rules: [String]

        /// The sentence `validate` prints.
        public var sentence: String {
            let listed = rules.joined(separator: ", ")
            switch kind {
            case .model:
                return "Warning: the profile names no model (model:), and these rules read its features: \(listed); "
                    + "every audit of this profile leaves them insufficient evidence"
            case .labels:
                return "Note: the data has no label column (data.label), and these rules need observed outcomes: \(listed); "
                    + "they are insufficient evidence until labels are joined (data.label, or `fairlead history label`)"
            case .probabilities:
                return "Warning: data.score_range declares scores that are not probabilities, and these rules need "
                    + "probabilities: \(listed); every audit of this profile leaves them insufficient evidence"
            }
        }
    }

    /// The needs of this profile's rules that it does not meet, in the order model,
    /// labels, probabilities; empty when every rule can be judged.
    public var unmetRuleNeeds: [UnmetNeed] {
        let notProbabilities = data.scoreRange.map { $0.lowerBound < 0 || $0.upperBound > 1 } ?? false
        let checks: [(UnmetNeed.Kind, MetricDefinition.Needs, Bool)] = [
            (.model, .model, model == nil), (.labels, .labels, data.label == nil), (.probabilities, .probabilities, notProbabilities),
        ]
        return checks.compactMap { kind, need, unmet in
            guard unmet else { return nil }
            let rules = rules.filter { $0.metric.definition.needs.contains(need) }.map(\.expression)
            return rules.isEmpty ? nil : UnmetNeed(kind: kind, rules: rules)
        }
    }

    /// The values `drift.metrics` names that need observed outcomes, when the data has no
    /// label column: drift compares them only once labels are joined (the audit says so in
    /// a drift note; `fairlead validate` says it first).
    public var driftMetricsNeedingLabels: [String] {
        guard data.label == nil, let named = drift?.metrics else { return [] }
        return named.filter { name in
            (Metric(rawValue: name)?.definition.needs.contains(.labels) ?? false)
                || (GroupMetric(rawValue: name)?.needsLabels ?? false)
        }
    }
}
