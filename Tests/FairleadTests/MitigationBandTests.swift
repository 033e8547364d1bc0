import Testing
@testable import Fairlead

/// The band of selection rates the `demographic_parity_within_limits` option may use: the
/// rates it gives must meet the rule when divided or subtracted as the audit does. Exactly
/// on the bound, 0.268 and 0.268 / 0.8 gave a disparate impact of 0.7999999999999998, and
/// the option built for `disparate_impact >= 0.8` was shown failing it.
@Suite struct MitigationBandTests {
    static let lows = (1...999).map { Double($0) / 1000 } + [0.268, 0.1 + 0.2, 1.0 / 3]

    /// Every rule of these forms, over every lowest rate: the top of the band meets it as
    /// the audit computes it (a ratio divides, a difference subtracts).
    @Test(arguments: ["disparate_impact >= 0.8", "demographic_parity_ratio >= 0.8", "disparate_impact > 0.8",
                      "demographic_parity_ratio >= 0.9", "disparate_impact >= 0.7", "demographic_parity_difference <= 0.1",
                      "statistical_parity_difference >= -0.05", "demographic_parity_difference < 0.3"])
    func theBandMeetsItsRuleAsTheAuditComputesIt(rule: String) throws {
        let spec = try AuditProfile.rule(rule, source: "test")
        let band = try #require(OptionRules.selectionRateBand([spec], decision: "d", attribute: "a"))
        for low in Self.lows {
            let high = band(low)
            guard high < 1 else { continue }
            #expect(high > low)
            let value: Double
            switch spec.metric {
            case .disparateImpact, .demographicParityRatio: value = low / high
            case .statisticalParityDifference: value = low - high
            default: value = high - low
            }
            #expect(spec.comparison.holds(value, spec.bound), "\(rule): \(low) and \(high) give \(value)")
        }
    }
}

/// A randomized group rule's probabilities in words: to three decimals, 0.0005 read
/// "with p 0.000", a rule that never applies.
@Suite struct MitigationRuleWordingTests {
    @Test func probabilitiesKeepTheirSignificantDigits() {
        let rule = MitigationReport.GroupRule(upperThreshold: 0.302843, upperProbability: 1, lowerThreshold: 0.212146,
                                              lowerProbability: 0.0005, ignoreProbability: 0, constantRate: 0,
                                              selectionRate: 0.282, truePositiveRate: nil, falsePositiveRate: nil)
        #expect(MitigationRendering.describe(rule) == "score >= 0.302843; 0.212146 <= score < 0.302843 with p 0.0005")
        #expect(MitigationRendering.probability(1.0 / 3) == "0.333333")
        #expect(MitigationRendering.probability(0.000012345678) == "1.23457e-05")
    }
}
