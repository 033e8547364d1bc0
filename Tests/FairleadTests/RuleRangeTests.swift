import Testing
@testable import Fairlead

/// A rule whose bound lies beyond its metric's range judges nothing: every value passes
/// it (`demographic_parity_difference <= 5`, a slip for 0.05) or none does. Checked for
/// every metric a rule may name, at and beyond both ends of its range and inside it.
@Suite struct RuleRangeTests {
    private func decided(_ metric: Metric, _ comparison: AuditProfile.RuleSpec.Comparison, _ bound: Double) -> Bool? {
        AuditProfile.RuleSpec(metric: metric, comparison: comparison, bound: bound).decidedByRange
    }

    @Test func everyMetricsRangeDecidesOnlyTheRulesBeyondIt() {
        let metrics = Metric.allCases.filter(\.definition.isRuleable)
        #expect(metrics.count > 40)
        for metric in metrics {
            let definition = metric.definition
            if let high = definition.highest {
                #expect(decided(metric, .atMost, high) == true, "\(metric) <= its highest value")
                #expect(decided(metric, .atMost, high + 4) == true, "\(metric)")
                #expect(decided(metric, .lessThan, high + 0.5) == true, "\(metric)")
                #expect(decided(metric, .atLeast, high + 0.5) == false, "\(metric)")
                #expect(decided(metric, .greaterThan, high) == false, "\(metric)")
                // At the highest value itself a strict or an inclusive bound can go either way.
                #expect(decided(metric, .lessThan, high) == nil, "\(metric)")
                #expect(decided(metric, .atLeast, high) == nil, "\(metric)")
            } else {
                #expect(decided(metric, .atMost, 1e300) == nil, "\(metric) has no highest value")
                #expect(decided(metric, .atLeast, 1e300) == nil, "\(metric)")
            }
            if let low = definition.lowest {
                #expect(decided(metric, .atLeast, low) == true, "\(metric) >= its lowest value")
                #expect(decided(metric, .greaterThan, low - 0.5) == true, "\(metric)")
                #expect(decided(metric, .atMost, low - 0.5) == false, "\(metric)")
                #expect(decided(metric, .lessThan, low) == false, "\(metric)")
                #expect(decided(metric, .greaterThan, low) == nil, "\(metric)")
                #expect(decided(metric, .atMost, low) == nil, "\(metric)")
            } else {
                #expect(decided(metric, .atLeast, -1e300) == nil, "\(metric) has no lowest value")
            }
            let inside = switch (definition.lowest, definition.highest) {
            case let (low?, high?): (low + high) / 2
            case let (low?, nil): low + 0.5
            case let (nil, high?): high - 0.5
            case (nil, nil): 0.0
            }
            for comparison in AuditProfile.RuleSpec.Comparison.allCases {
                #expect(decided(metric, comparison, inside) == nil, "\(metric) \(comparison.rawValue) \(inside)")
            }
        }
    }

    /// The usual rules of the bundled profiles are all judged by their values.
    @Test func theUsualRulesAreJudged() {
        #expect(decided(.disparateImpact, .atLeast, 0.8) == nil)
        #expect(decided(.demographicParityDifference, .atMost, 0.1) == nil)
        #expect(decided(.demographicParityDifference, .atMost, 5) == true)
        #expect(decided(.disparateImpact, .atLeast, -1) == true)
        #expect(decided(.disparateImpact, .atLeast, 0) == true)
    }
}
