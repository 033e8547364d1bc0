import Testing
@testable import FairleadCore

/// Wilson intervals (values from scipy.stats.norm.ppf and the Wilson formula) and the
/// bootstrap's reproducibility and calibration.
@Suite struct IntervalTests {
    @Test(arguments: [
        (0.975, 1.959963984540054), (0.995, 2.5758293035489004), (0.95, 1.6448536269514722),
        (0.9, 1.2815515655446004), (0.5, 0.0), (0.001, -3.090232306167813), (1e-10, -6.361340902404056),
    ])
    func normalQuantileMatchesScipy(p: Double, expected: Double) {
        #expect(abs(_NormalQuantile.quantile(p) - expected) <= 1e-14 * max(1, abs(expected)))
    }

    @Test(arguments: [
        (0.5, 10.0, 0.95, 0.236593090512564, 0.7634069094874361),
        (0.0, 10.0, 0.95, 0.0, 0.2775327998628892),
        (1.0, 3.0, 0.95, 0.43850296824495455, 1.0),
        (0.3, 1000.0, 0.99, 0.26409079192026474, 0.3385456740410979),
    ])
    func wilsonMatchesTheFormula(p: Double, n: Double, level: Double, lower: Double, upper: Double) throws {
        let interval = try #require(ConfidenceInterval.wilson(proportion: p, sampleSize: n, level: level))
        #expect(abs(interval.lower - lower) <= 1e-14)
        #expect(abs(interval.upper - upper) <= 1e-14)
        #expect(ConfidenceInterval.wilson(proportion: p, sampleSize: 0) == nil)
    }

    @Test func everyRateOfAFrameHasAWilsonIntervalAroundIt() throws {
        let frame = try frame(randomColumns(rows: 2_000, seed: 5, weighted: false), attributes: ["a"])
        for metric in GroupMetric.allCases where metric.isRate {
            for group in frame.groups.indices {
                guard let value = frame.value(metric, group: group).number else { continue }
                let interval = try #require(frame.wilsonInterval(metric, group: group))
                #expect(interval.lower <= value && value <= interval.upper)
            }
        }
        #expect(frame.wilsonInterval(.count, group: 0) == nil)
        #expect(frame.wilsonInterval(.meanScore, group: 0) == nil)
        // Unweighted, n is the denominator's row count: selection rate of group 0.
        let rows = Double(frame.stats.cells[0].count)
        let rate = try #require(frame.value(.selectionRate, group: 0).number)
        #expect(frame.wilsonInterval(.selectionRate, group: 0) == ConfidenceInterval.wilson(proportion: rate, sampleSize: rows))
    }

    @Test func weightedRatesUseTheEffectiveSampleSize() throws {
        // Weights 1 and 3: n_eff = (1 + 3)² / (1 + 9) = 1.6.
        let frame = try frame(columns(scores: [0.9, 0.1], labels: [1, 0], groups: ["A", "A"], weights: [1, 3]))
        #expect(frame.wilsonInterval(.selectionRate, group: 0) == ConfidenceInterval.wilson(proportion: 0.25, sampleSize: 1.6))
    }

    @Test(arguments: [(50, 0.3), (1_000, 0.02), (1_000_000, 0.4), (7, 0.9)])
    func binomialDrawsHaveTheRightMeanAndVariance(n: Int, p: Double) {
        var generator = SeededGenerator(seed: UInt64(n))
        let draws = (0..<20_000).map { _ in Double(_BinomialSampler.binomial(n, p, using: &generator)) }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let variance = draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(draws.count - 1)
        let expectedVariance = Double(n) * p * (1 - p)
        // Five standard errors of the mean; the variance within 5%.
        #expect(abs(mean - Double(n) * p) <= 5 * (expectedVariance / Double(draws.count)).squareRoot())
        #expect(abs(variance / expectedVariance - 1) <= 0.05)
        #expect(draws.allSatisfy { $0 >= 0 && $0 <= Double(n) })
    }

    @Test func multinomialKeepsTheGroupSize() {
        var generator = SeededGenerator(seed: 1)
        for n in [0, 1, 9, 10_000] {
            let counts = _BinomialSampler.multinomial(n, [0.1, 0.2, 0.3, 0.4], using: &generator)
            #expect(counts.reduce(0, +) == n)
        }
        #expect(_BinomialSampler.multinomial(5, [0, 1, 0, 0], using: &generator) == [0, 5, 0, 0])
    }

    @Test func bootstrapIsReproducibleAndSeedDependent() throws {
        let frame = try frame(randomColumns(rows: 5_000, seed: 21), attributes: ["a", "b"])
        let first = try frame.bootstrap(BootstrapConfiguration(replicates: 200, seed: 42))
        let again = try frame.bootstrap(BootstrapConfiguration(replicates: 200, seed: 42))
        let other = try frame.bootstrap(BootstrapConfiguration(replicates: 200, seed: 43))
        let disparity = Disparity.difference(.betweenGroups)
        let interval = try #require(first.interval(.selectionRate, disparity))
        #expect(interval == again.interval(.selectionRate, disparity))
        #expect(interval != other.interval(.selectionRate, disparity))
        #expect(interval.replicates == 200)
        let largest = try #require(try frame.referenceIndex(.largest, for: .selectionRate))
        #expect(first.referenceGroups[.selectionRate] == frame.groups[largest])
        #expect(first.intervals(for: .truePositiveRate).count == 4 + 2 * frame.groups.count)
    }

    @Test func bootstrapWidthMatchesTheBinomialStandardError() throws {
        // Two groups of 4,000 and 1,000 rows with selection rates 0.3 and 0.5: the SD of the
        // difference is √(0.21/4000 + 0.25/1000) = 0.01741; a 95% interval spans ≈ 3.92 SD.
        func group(_ name: String, rows: Int, selected: Int) -> [(Double, Double, String)] {
            (0..<rows).map { ($0 < selected ? 0.9 : 0.1, Double($0 % 2), name) }
        }
        let rows = group("A", rows: 4_000, selected: 1_200) + group("B", rows: 1_000, selected: 500)
        let frame = try frame(columns(scores: rows.map(\.0), labels: rows.map(\.1), groups: rows.map(\.2)))
        let intervals = try frame.bootstrap(BootstrapConfiguration(replicates: 1_000, seed: 7), reference: .named(["A"]))
        let interval = try #require(intervals.interval(.selectionRate, .differenceToReference(["B"])))
        let standardError = (0.21 / 4_000 + 0.25 / 1_000).squareRoot()
        #expect(abs((interval.upper - interval.lower) / (2 * 1.959964 * standardError) - 1) < 0.1)
        #expect(interval.lower < 0.2 && 0.2 < interval.upper)
        #expect(interval.definedReplicates == 1_000)
        // The reference's own difference is 0 in every replicate.
        #expect(intervals.interval(.selectionRate, .differenceToReference(["A"])) ==
                BootstrapInterval(lower: 0, upper: 0, level: 0.95, definedReplicates: 1_000, replicates: 1_000))
    }

    @Test func bootstrapSkipsUndefinedReplicatesAndCountsThem() throws {
        // Group B has a single actual positive: replicates that draw none leave its TPR undefined.
        let frame = try frame(columns(scores: [0.9, 0.2, 0.8, 0.1, 0.7, 0.3, 0.9, 0.1, 0.2],
                                      labels: [1, 1, 0, 0, 1, 0, 1, 0, 0],
                                      groups: ["A", "A", "A", "A", "A", "B", "B", "B", "B"]))
        let intervals = try frame.bootstrap(BootstrapConfiguration(replicates: 300, seed: 1), reference: .named(["A"]))
        let interval = try #require(intervals.interval(.truePositiveRate, .differenceToReference(["B"])))
        #expect(interval.definedReplicates < 300)
        #expect(interval.definedReplicates > 150)
    }

    /// A bootstrap gives no interval from fewer defined replicates than its level needs:
    /// ⌈2 / (1 − level)⌉. One replicate once made a point "interval" that passed a rule.
    @Test func tooFewDefinedReplicatesGiveNoInterval() throws {
        #expect(BootstrapInterval.minimumDefinedReplicates(level: 0.95) == 40)
        #expect(BootstrapInterval.minimumDefinedReplicates(level: 0.99) == 200)
        #expect(BootstrapInterval.minimumDefinedReplicates(level: 0.9) == 20)
        let frame = try frame(columns(scores: [0.9, 0.8, 0.2, 0.7, 0.1, 0.6, 0.3, 0.4], labels: [1, 1, 0, 0, 1, 0, 1, 0],
                                      groups: ["A", "A", "A", "A", "B", "B", "B", "B"]))
        for (replicates, expectsInterval) in [(1, false), (39, false), (40, true), (200, true)] {
            let intervals = try frame.bootstrap(BootstrapConfiguration(replicates: replicates, seed: 1), metrics: [.selectionRate])
            #expect((intervals.interval(.selectionRate, .difference(.betweenGroups)) != nil) == expectsInterval, "\(replicates)")
        }
    }

    @Test func percentileInterpolatesLikeNumpy() throws {
        // numpy.percentile([1, 2, 3, 4, nan-dropped], [2.5, 97.5]) on [1, 2, 3, 4] = 1.075, 3.925.
        let interval = try #require(BootstrapInterval.percentile([4, .nan, 1, 3, 2], level: 0.95, replicates: 5))
        #expect(abs(interval.lower - 1.075) < 1e-12)
        #expect(abs(interval.upper - 3.925) < 1e-12)
        #expect(interval.definedReplicates == 4)
        #expect(BootstrapInterval.percentile([.nan], level: 0.95, replicates: 1) == nil)
    }
}
