import Foundation
import Testing
@testable import FairleadCore

/// Reference groups, signed disparities, evidence and verdicts, hand-checked.
@Suite struct MetricFrameReferenceTests {
    // A: 4 rows, SR 0.5, TPR 0.5, FPR 0.5. B: 3 rows, SR 2/3, TPR 1, FPR 0. C: 2 rows, SR 0.5, TPR undefined.
    let tiny = columns(scores: [0.9, 0.8, 0.2, 0.1, 0.7, 0.6, 0.4, 0.9, 0.3],
                       labels: [1, 0, 1, 0, 1, 1, 0, 0, 0],
                       groups: ["A", "A", "A", "A", "B", "B", "B", "C", "C"])

    @Test func referenceGroupsResolve() throws {
        let frame = try frame(tiny)
        #expect(try frame.referenceIndex(.largest, for: .selectionRate) == 0)
        #expect(try frame.referenceIndex(.bestValued, for: .selectionRate) == 1)
        // FPR is an error rate: best is the lowest (B, 0).
        #expect(try frame.referenceIndex(.bestValued, for: .falsePositiveRate) == 1)
        // TPR: C is undefined and never the reference.
        #expect(try frame.referenceIndex(.bestValued, for: .truePositiveRate) == 1)
        #expect(try frame.referenceIndex(.named(["C"]), for: .selectionRate) == 2)
        #expect(throws: FairleadError(.invalidProfile, "reference group \"D\" is not a group of group; groups: \"A\", \"B\", \"C\"")) {
            try frame.referenceIndex(.named(["D"]), for: .selectionRate)
        }
    }

    @Test func signedDifferencesAndRatiosToTheReference() throws {
        let frame = try frame(tiny)
        #expect(try frame.differences(.selectionRate, from: .named(["B"])).map(\.number) == [0.5 - 2.0 / 3, 0, 0.5 - 2.0 / 3])
        #expect(try frame.ratios(.selectionRate, to: .named(["B"])).map(\.number) == [0.75, 1, 0.75])
        #expect(try frame.disparateImpact(group: ["A"], reference: .named(["B"])) == .value(0.75))
        #expect(try frame.statisticalParityDifference(group: ["A"], reference: .largest) == .value(0))
        #expect(try frame.equalOpportunityDifference(group: ["C"], reference: .named(["A"])) == .undefined(.undefinedOperand))
        // ½[(0.5 − 0) + (0.5 − 1)] = 0; absolute: ½[0.5 + 0.5] = 0.5.
        #expect(try frame.averageOddsDifference(group: ["A"], reference: .named(["B"])) == .value(0))
        #expect(try frame.averageAbsoluteOddsDifference(group: ["A"], reference: .named(["B"])) == .value(0.5))
        // Ratio to a reference of 0: FPR of B is 0.
        #expect(try frame.ratio(.falsePositiveRate, group: ["A"], reference: .named(["B"])) == .undefined(.zeroDivisor))
    }

    @Test func evidenceUsesTheMetricsDenominator() throws {
        let frame = try frame(tiny)
        #expect(frame.evidence(group: 0, minimumGroupSize: 4) == .sufficient)
        #expect(frame.evidence(group: 1, minimumGroupSize: 4) == .insufficient(group: ["B"], rows: 3, minimum: 4))
        // A has 2 actual positives: TPR needs 2 rows at minimum 2, not at 3.
        #expect(frame.evidence(.truePositiveRate, group: 0, minimumGroupSize: 2) == .sufficient)
        #expect(frame.evidence(.truePositiveRate, group: 0, minimumGroupSize: 3) == .insufficient(group: ["A"], rows: 2, minimum: 3))
        #expect(try frame.evidence(.selectionRate, group: ["A"], reference: .named(["C"]), minimumGroupSize: 3)
                == .insufficient(group: ["C"], rows: 2, minimum: 3))
        #expect(frame.insufficientGroups(minimumGroupSize: 3) == [["C"]])
    }

    @Test func fourFifthsRuleVerdicts() throws {
        let frame = try frame(tiny)
        // DI of A against B is 0.75 < 0.8.
        #expect(try frame.fourFifthsRule(group: ["A"], reference: .named(["B"]), minimumGroupSize: 3) == .fail)
        #expect(try frame.fourFifthsRule(group: ["A"], reference: .named(["B"]), threshold: 0.7, minimumGroupSize: 3) == .pass)
        #expect(try frame.fourFifthsRule(group: ["C"], reference: .named(["B"]), minimumGroupSize: 3)
                == .insufficientEvidence(.insufficient(group: ["C"], rows: 2, minimum: 3)))
        let none = try FairleadCoreTests.frame(tiny, rule: .threshold(0.95))
        #expect(try none.fourFifthsRule(group: ["A"], reference: .named(["B"]), minimumGroupSize: 1) == .undefined(.zeroDivisor))
    }

    @Test func generalizedEntropyHandChecked() throws {
        // Benefits: A: TP 1, FP 2, FN 0, TN 1; B: 1, 1, 1; C: FP 2, TN 1 -> 9 rows, μ = 10/9.
        let frame = try frame(tiny)
        let benefits: [Double] = [1, 2, 0, 1, 1, 1, 1, 2, 1]
        let mean = benefits.reduce(0, +) / 9
        let ge2 = benefits.reduce(0) { $0 + (($1 / mean) * ($1 / mean) - 1) } / (9 * 2)
        let theil = benefits.reduce(0) { $0 + ($1 == 0 ? 0 : ($1 / mean) * log($1 / mean)) } / 9
        #expect(close(frame.generalizedEntropyIndex(alpha: 2).number, ge2))
        #expect(close(frame.theilIndex().number, theil))
        #expect(close(frame.coefficientOfVariation().number, (2 * ge2).squareRoot()))
        // A false negative has benefit 0: GE(0) is infinite.
        #expect(frame.generalizedEntropyIndex(alpha: 0) == .undefined(.zeroBenefit))
        // Between groups: group means 1, 1, 1.5.
        let groupMeans: [(Double, Double)] = [(4, 1), (3, 1), (2, 1.5)]
        let between = groupMeans.reduce(0) { $0 + $1.0 * (($1.1 / mean) * ($1.1 / mean) - 1) } / (9 * 2)
        #expect(close(frame.betweenGroupGeneralizedEntropyIndex().number, between))
    }

    @Test func fairlearnNamedMetricsOnTinyData() throws {
        let frame = try frame(tiny)
        // TPR difference 0.5 (A 0.5, B 1); FPR difference 0.5 (A and C 0.5, B 0).
        #expect(frame.equalizedOddsDifference(aggregation: .worstCase) == .value(0.5))
        #expect(frame.equalizedOddsDifference(aggregation: .mean) == .value(0.5))
        // TPR ratio 0.5; FPR ratio 0 / 0.5 = 0.
        #expect(frame.equalizedOddsRatio(aggregation: .worstCase) == .value(0))
        #expect(frame.equalizedOddsRatio(aggregation: .mean) == .value(0.25))
        #expect(frame.predictiveParityDifference() == .value(1))
        #expect(frame.falseNegativeRateDifference() == .value(0.5))
        #expect(frame.falseOmissionRateRatio() == .value(0))
    }
}
