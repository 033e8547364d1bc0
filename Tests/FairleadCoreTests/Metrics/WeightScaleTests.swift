import Testing
@testable import FairleadCore

/// The power of two an audit scales weights by when their sums would leave a double's range.
@Suite struct WeightScaleTests {
    @Test func weightsInRangeAreLeftAsRead() {
        #expect(AuditColumns.weightScale(weights: [0.5, 1, 3], scores: [0.2, 0.9, 0.4]) == nil)
        #expect(AuditColumns.weightScale(weights: [0, 0], scores: [1, 1]) == nil)
        // Large weights with small scores: Σw·score = 1e50 × 1 × 2 stays far from 2¹⁰⁰⁰.
        #expect(AuditColumns.weightScale(weights: [1e50, 1], scores: [1, 0.5]) == nil)
    }

    @Test func tinyWeightsAreBroughtToOneOrAbove() throws {
        let scale = try #require(AuditColumns.weightScale(weights: [1e-320, 5e-321, 0], scores: [0.5, 0.5, 0.5]))
        #expect(scale.largest == 1e-320)
        let scaled = AuditColumns.scaled([1e-320, 5e-321, 0], byPowerOfTwo: scale.exponent)
        #expect(scaled[0] >= 1 && scaled[0] < 2)
        #expect(scaled[2] == 0)
        // A power of two is exact: the ratio of two weights is unchanged.
        #expect(scaled[1] / scaled[0] == 5e-321 / 1e-320)
    }

    @Test func hugeWeightTimesHugeScoreIsScaledDown() throws {
        let scale = try #require(AuditColumns.weightScale(weights: [1e50, 3], scores: [1e290, 0.5]))
        #expect(scale.largest == 1e50)
        #expect(scale.exponent == -Int((1e50).exponent))
        let scaled = AuditColumns.scaled([1e50, 3], byPowerOfTwo: scale.exponent)
        #expect(scaled[0] >= 1 && scaled[0] < 2)
        #expect((scaled[0] * 1e290 + scaled[1] * 0.5).isFinite)
    }
}
