/// The named fairness metrics: thin wrappers over ``MetricFrame/difference(_:method:)``,
/// ``MetricFrame/ratio(_:method:)`` (Fairlearn's functions of the same names, same
/// semantics) and the signed versus-reference disparities (AIF360's
/// `ClassificationMetric`, with the compared group as AIF360's unprivileged group and the
/// reference as its privileged group).
extension MetricFrame {
    // MARK: Fairlearn: between_groups / to_overall

    /// Selection-rate difference (Fairlearn `demographic_parity_difference`).
    public func demographicParityDifference(method: DisparityMethod = .betweenGroups) -> MetricValue {
        difference(.selectionRate, method: method)
    }

    /// Selection-rate ratio (Fairlearn `demographic_parity_ratio`).
    public func demographicParityRatio(method: DisparityMethod = .betweenGroups) -> MetricValue {
        ratio(.selectionRate, method: method)
    }

    /// The true and false positive rate differences combined: their maximum (`worst_case`)
    /// or mean (Fairlearn `equalized_odds_difference`); undefined if either is.
    public func equalizedOddsDifference(method: DisparityMethod = .betweenGroups,
                                        aggregation: OddsAggregation = .worstCase) -> MetricValue {
        Self.combine(difference(.truePositiveRate, method: method), difference(.falsePositiveRate, method: method),
                     aggregation == .worstCase ? max : { ($0 + $1) / 2 })
    }

    /// The true and false positive rate ratios combined: their minimum (`worst_case`) or
    /// mean (Fairlearn `equalized_odds_ratio`); undefined if either is.
    public func equalizedOddsRatio(method: DisparityMethod = .betweenGroups,
                                   aggregation: OddsAggregation = .worstCase) -> MetricValue {
        Self.combine(ratio(.truePositiveRate, method: method), ratio(.falsePositiveRate, method: method),
                     aggregation == .worstCase ? min : { ($0 + $1) / 2 })
    }

    /// True-positive-rate difference (Fairlearn `equal_opportunity_difference`).
    public func equalOpportunityDifference(method: DisparityMethod = .betweenGroups) -> MetricValue {
        difference(.truePositiveRate, method: method)
    }

    /// True-positive-rate ratio (Fairlearn `equal_opportunity_ratio`).
    public func equalOpportunityRatio(method: DisparityMethod = .betweenGroups) -> MetricValue {
        ratio(.truePositiveRate, method: method)
    }

    /// Precision (positive predictive value) difference: predictive parity.
    public func predictiveParityDifference(method: DisparityMethod = .betweenGroups) -> MetricValue {
        difference(.positivePredictiveValue, method: method)
    }

    /// Precision (positive predictive value) ratio: predictive parity.
    public func predictiveParityRatio(method: DisparityMethod = .betweenGroups) -> MetricValue {
        ratio(.positivePredictiveValue, method: method)
    }

    /// False-negative-rate difference: false negative rate parity.
    public func falseNegativeRateDifference(method: DisparityMethod = .betweenGroups) -> MetricValue {
        difference(.falseNegativeRate, method: method)
    }

    /// False-negative-rate ratio: false negative rate parity.
    public func falseNegativeRateRatio(method: DisparityMethod = .betweenGroups) -> MetricValue {
        ratio(.falseNegativeRate, method: method)
    }

    /// False-omission-rate difference: false omission rate parity.
    public func falseOmissionRateDifference(method: DisparityMethod = .betweenGroups) -> MetricValue {
        difference(.falseOmissionRate, method: method)
    }

    /// False-omission-rate ratio: false omission rate parity.
    public func falseOmissionRateRatio(method: DisparityMethod = .betweenGroups) -> MetricValue {
        ratio(.falseOmissionRate, method: method)
    }

    // MARK: AIF360 / Aequitas: a group versus a reference group

    /// Selection rate of `group` ÷ the reference's (AIF360 `disparate_impact`; the
    /// four-fifths rule asks for at least 0.8).
    public func disparateImpact(group: GroupKey, reference: ReferenceGroup) throws -> MetricValue {
        try ratio(.selectionRate, group: group, reference: reference)
    }

    /// Selection rate of `group` − the reference's (AIF360 `statistical_parity_difference`).
    public func statisticalParityDifference(group: GroupKey, reference: ReferenceGroup) throws -> MetricValue {
        try difference(.selectionRate, group: group, reference: reference)
    }

    /// True positive rate of `group` − the reference's (AIF360 `equal_opportunity_difference`).
    public func equalOpportunityDifference(group: GroupKey, reference: ReferenceGroup) throws -> MetricValue {
        try difference(.truePositiveRate, group: group, reference: reference)
    }

    /// ½[(FPR_g − FPR_ref) + (TPR_g − TPR_ref)] (AIF360 `average_odds_difference`), with
    /// the reference resolved for the true positive rate.
    public func averageOddsDifference(group: GroupKey, reference: ReferenceGroup) throws -> MetricValue {
        let (falsePositive, truePositive) = try oddsGaps(group: group, reference: reference)
        return Self.combine(falsePositive, truePositive) { ($0 + $1) / 2 }
    }

    /// ½[|FPR_g − FPR_ref| + |TPR_g − TPR_ref|] (AIF360 `average_abs_odds_difference`).
    public func averageAbsoluteOddsDifference(group: GroupKey, reference: ReferenceGroup) throws -> MetricValue {
        let (falsePositive, truePositive) = try oddsGaps(group: group, reference: reference)
        return Self.combine(falsePositive, truePositive) { (abs($0) + abs($1)) / 2 }
    }

    /// Accuracy of `group` − the reference's (AIF360 `error_rate_difference` with the sign flipped).
    public func accuracyDifference(group: GroupKey, reference: ReferenceGroup) throws -> MetricValue {
        try difference(.accuracy, group: group, reference: reference)
    }

    /// The four-fifths rule: the disparate impact of `group` is at least `threshold` (0.8).
    /// Insufficient evidence when either group has fewer than `minimumGroupSize` rows or
    /// the ratio is undefined.
    public func fourFifthsRule(group: GroupKey, reference: ReferenceGroup,
                               threshold: Double = 0.8, minimumGroupSize: Int) throws -> Verdict {
        let evidence = try self.evidence(.selectionRate, group: group, reference: reference,
                                         minimumGroupSize: minimumGroupSize)
        if case .insufficient = evidence { return .insufficientEvidence(evidence) }
        let ratio = try disparateImpact(group: group, reference: reference)
        guard let value = ratio.number else { return .undefined(ratio.undefinedReason ?? .notFinite) }
        return value >= threshold ? .pass : .fail
    }

    /// FPR and TPR of `group` minus the reference's, the reference resolved once.
    private func oddsGaps(group: GroupKey, reference: ReferenceGroup) throws -> (MetricValue, MetricValue) {
        let index = try groupIndex(group)
        let referenceIndex = try referenceIndex(reference, for: .truePositiveRate)
        func gap(_ metric: GroupMetric) -> MetricValue {
            Self.signedDifference(value(metric, group: index), referenceIndex.map { value(metric, group: $0) })
        }
        return (gap(.falsePositiveRate), gap(.truePositiveRate))
    }

    static func combine(_ first: MetricValue, _ second: MetricValue,
                        _ operation: (Double, Double) -> Double) -> MetricValue {
        guard let a = first.number, let b = second.number else { return .undefined(.undefinedOperand) }
        return .value(operation(a, b))
    }
}
