extension TopKMetrics {
    /// The per-group values at k that are proportions of rows, and so carry a Wilson
    /// interval (``Group/wilsonInterval(_:level:)``).
    public enum Rate: String, CaseIterable, Sendable, Hashable {
        /// T_g / Σ_h T_h, of the counted rows in the top k.
        case shareOfTopK
        /// T_g / W_g, of the group's counted rows.
        case selectionRate
        /// Positives among the group's top-k rows / T_g, of those rows.
        case precision
        /// The group's positives in the top k / its positives, of those positives.
        case recall
    }

    /// Σw and Σw² of a set of rows; their effective number is (Σw)² / Σw² (Kish).
    public struct WeightSums: Sendable, Hashable {
        /// Σw.
        public var weight: Double
        /// Σw².
        public var squaredWeight: Double

        /// The sums of a set of rows.
        public init(weight: Double, squaredWeight: Double) {
            self.weight = weight
            self.squaredWeight = squaredWeight
        }
    }
}

extension TopKMetrics.Group {
    /// The value of `rate`.
    public func value(_ rate: TopKMetrics.Rate) -> MetricValue {
        switch rate {
        case .shareOfTopK: shareOfTopK
        case .selectionRate: selectionRate
        case .precision: precision
        case .recall: recall
        }
    }

    /// The numerator and denominator of `rate`, weighted as the decisions' group rates
    /// report theirs: Σw of the rows it counts over Σw of the rows it is a proportion of
    /// (``denominators``), e.g. T_g and W_g for the selection rate; 0 of 0 when the
    /// denominator is empty. `nil` for precision and recall without labels.
    ///
    ///     // 50 of a group's 200 rows in the top k, unweighted:
    ///     group.fraction(.selectionRate)   // (numerator: 50, denominator: 200)
    public func fraction(_ rate: TopKMetrics.Rate) -> (numerator: Double, denominator: Double)? {
        guard let denominator = denominators[rate]?.weight else { return nil }
        switch rate {
        case .shareOfTopK, .selectionRate: return (weightInTopK, denominator)
        case .precision, .recall: return positiveWeightInTopK.map { ($0, denominator) }
        }
    }

    /// The Wilson score interval of `rate` at `level`, computed as the decisions' group
    /// rates are (``ConfidenceInterval/wilson(proportion:weight:squaredWeight:level:)``):
    /// n the effective size of the rate's denominator rows, the row count when
    /// unweighted. A tie at the cutoff is split by row index, so every row is wholly in
    /// the top k or out of it, and n counts whole rows. `nil` for an undefined value and
    /// for a denominator of weight-0 rows only.
    ///
    ///     // 50 of a group's 200 rows in the top k, unweighted:
    ///     group.wilsonInterval(.selectionRate)   // [0.1951, 0.3143] (95%)
    public func wilsonInterval(_ rate: TopKMetrics.Rate, level: Double = 0.95) -> ConfidenceInterval? {
        guard let proportion = value(rate).number, let sums = denominators[rate] else { return nil }
        return ConfidenceInterval.wilson(proportion: proportion, weight: sums.weight,
                                         squaredWeight: sums.squaredWeight, level: level)
    }
}
