import Testing
@testable import FairleadCore

/// Versus-reference disparities and inequality indices against AIF360's
/// ClassificationMetric (the compared group unprivileged, the reference privileged), to 1e-9.
@Suite struct AIF360GoldenTests {
    @Test(arguments: GoldenCase.aif360())
    func classificationMetric(golden: GoldenCase) throws {
        let expected = golden.file.aif360[golden.index]
        let frame = try golden.file.frame(attributes: expected.attributes, weighted: expected.weighted)
        let group = GroupKey(expected.group)
        let reference = ReferenceGroup.named(GroupKey(expected.reference))
        func gap(_ metric: GroupMetric) throws -> MetricValue { try frame.difference(metric, group: group, reference: reference) }
        var computed: [String: MetricValue] = [
            "disparate_impact": try frame.disparateImpact(group: group, reference: reference),
            "statistical_parity_difference": try frame.statisticalParityDifference(group: group, reference: reference),
            "equal_opportunity_difference": try frame.equalOpportunityDifference(group: group, reference: reference),
            "average_odds_difference": try frame.averageOddsDifference(group: group, reference: reference),
            "average_abs_odds_difference": try frame.averageAbsoluteOddsDifference(group: group, reference: reference),
            // AIF360's error rate is 1 − accuracy.
            "error_rate_difference": try frame.accuracyDifference(group: group, reference: reference).number.map { .value(-$0) }
                ?? .undefined(.undefinedOperand),
            "false_positive_rate_difference": try gap(.falsePositiveRate),
            "false_negative_rate_difference": try gap(.falseNegativeRate),
            "false_omission_rate_difference": try gap(.falseOmissionRate),
            "false_discovery_rate_difference": try gap(.falseDiscoveryRate),
            "generalized_entropy_index_alpha_2": frame.generalizedEntropyIndex(alpha: 2),
            "generalized_entropy_index_alpha_0_5": frame.generalizedEntropyIndex(alpha: 0.5),
            "generalized_entropy_index_alpha_3": frame.generalizedEntropyIndex(alpha: 3),
            "theil_index": frame.theilIndex(),
            "coefficient_of_variation": frame.coefficientOfVariation(),
            "between_group_generalized_entropy_index_alpha_2": frame.betweenGroupGeneralizedEntropyIndex(alpha: 2),
            "between_group_theil_index": frame.betweenGroupTheilIndex(),
        ]
        let perGroup: [String: GroupMetric] = [
            "base_rate": .baseRate, "selection_rate": .selectionRate, "true_positive_rate": .truePositiveRate,
            "false_positive_rate": .falsePositiveRate, "positive_predictive_value": .positivePredictiveValue,
            "negative_predictive_value": .negativePredictiveValue, "accuracy": .accuracy,
        ]
        for (name, metric) in perGroup {
            let unprivileged: MetricValue = try #require(frame.value(metric, group: group))
            let privileged: MetricValue = try #require(frame.value(metric, group: GroupKey(expected.reference)))
            computed["unprivileged_\(name)"] = unprivileged
            computed["privileged_\(name)"] = privileged
        }
        var compared = 0
        for (name, value) in expected.values {
            let mine = try #require(computed[name], "no counterpart for \(name)")
            #expect(matchesGolden(mine, value), "\(name): \(mine) vs \(String(describing: value))")
            compared += 1
        }
        #expect(compared >= 24)
    }

    @Test func betweenGroupIndicesAreCheckedWhereTheGroupsCoverEveryRow() {
        let covered = GoldenCase.aif360().filter {
            $0.file.aif360[$0.index].values["between_group_theil_index"] != nil
        }
        #expect(covered.map(\.description) == ["german-credit#0", "german-credit#2"])
    }
}
