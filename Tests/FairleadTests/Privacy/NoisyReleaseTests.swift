import Foundation
import Testing
@testable import Fairlead
import FairleadCore

/// The differentially private view: noise of scale Δ/ε on every cell, rates from the
/// noisy cells, intervals wider than the noise-free ones, the verdicts of the full data.
@Suite struct NoisyReleaseTests {
    static let full = PrivacyFixtures.leadsReport
    static let policy = PrivacyPolicy(epsilon: PrivacyBudgetAmount(decimal: "1"), budget: PrivacyBudgetAmount(decimal: "3"))

    static func release(seed: UInt64) throws -> AuditReport {
        var generator = SeededGenerator(seed: seed)
        return try PublishedReport.make(from: full, policy: policy, declaredGroups: PrivacyFixtures.leadsGroups, using: &generator)
    }

    /// 4 attribute tables (age_band, ethnicity, gender, ethnicity*gender) under a threshold
    /// (sensitivity 1 each) and under the top 10% (3 each): Δ = 16, b = Δ/ε = 16.
    @Test func theScaleIsTheSumOfSensitivitiesOverEpsilon() throws {
        let release = try #require(try Self.release(seed: 1).privacy?.release)
        #expect(release.mechanism == "discrete_laplace")
        #expect(release.tables.count == 8)
        #expect(release.tables.filter { $0.decision == "threshold_0.3" }.allSatisfy { $0.sensitivity == 1 })
        #expect(release.tables.filter { $0.decision == "top_10pct" }.allSatisfy { $0.sensitivity == 3 })
        #expect(release.scale == 16)
        #expect(abs(release.tables.reduce(0) { $0 + $1.epsilon } - 1) < 1e-12)
        let r = exp(-1.0 / 16)
        #expect(abs(release.noiseStandardDeviation - (2 * r).squareRoot() / (1 - r)) < 1e-12)
    }

    @Test func countsAreNoisyButClose() throws {
        let released = try Self.release(seed: 2)
        let full = try #require(Self.full.decisions["threshold_0.3"]?.attributes["ethnicity"])
        let noisy = try #require(released.decisions["threshold_0.3"]?.attributes["ethnicity"])
        let sd = try #require(released.privacy?.release?.noiseStandardDeviation)
        var differing = 0
        for (name, group) in full.groups {
            let count = try #require(noisy.groups[name]?.count)
            // A count adds four noisy cells: its standard deviation is 2σ.
            #expect(abs(count - group.count) <= Int(10 * 2 * sd), "\(name): \(count) against \(group.count)")
            if count != group.count { differing += 1 }
            let rate = try #require(noisy.groups[name]?.metrics["selection_rate"])
            let value = try #require(rate.value)
            #expect(value == (rate.numerator ?? -1) / (rate.denominator ?? -1))
            let interval = try #require(rate.interval)
            let wilson = try #require(group.metrics["selection_rate"]?.interval)
            #expect(interval[1] - interval[0] > wilson[1] - wilson[0], "\(name): the noise widens the interval")
        }
        #expect(differing >= 3)
        #expect(noisy.overall.count == noisy.groups.values.reduce(0) { $0 + $1.count })
    }

    @Test func theSameSeedGivesTheSameRelease() throws {
        #expect(try Self.release(seed: 5) == Self.release(seed: 5))
        #expect(try Self.release(seed: 5) != Self.release(seed: 6))
    }

    @Test func verdictsStayAndTheRestIsWithheld() throws {
        let released = try Self.release(seed: 3)
        #expect(released.status == Self.full.status)
        #expect(released.findings.map(\.verdict) == Self.full.findings.map(\.verdict))
        #expect(released.findings.allSatisfy { $0.value == nil })
        #expect(released.queue == nil && released.scoreDistribution == nil)
        #expect(released.privacy?.withheld.map(\.path) == ["queue", "score_distribution"])
        #expect(released.privacy?.method == "differential_privacy")
    }

    /// The intervals' formula on one group, recomputed here: p(1−p)/n + ((1−p)²·2 + p²·2)·σ²/n².
    @Test func theIntervalFollowsItsStatedFormula() throws {
        let released = try Self.release(seed: 4)
        let group = try #require(released.decisions["threshold_0.3"]?.attributes["ethnicity"]?.groups["white"])
        let rate = try #require(group.metrics["selection_rate"])
        let p = try #require(rate.value), n = try #require(rate.denominator)
        let variance = try #require(released.privacy?.release?.noiseStandardDeviation).squared
        let half = 1.959963984540054 * (p * (1 - p) / n + ((1 - p) * (1 - p) * 2 + p * p * 2) * variance / (n * n)).squareRoot()
        let interval = try #require(rate.interval)
        #expect(abs(interval[0] - max(0, p - half)) < 1e-9 && abs(interval[1] - min(1, p + half)) < 1e-9)
    }
}

private extension Double {
    var squared: Double { self * self }
}
