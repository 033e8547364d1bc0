import Foundation
import Testing
@testable import FairleadCore

/// The exact discrete Laplace sampler against its probability mass function (chi-square
/// goodness of fit, fixed seeds) and against OpenDP (fixtures/privacy/make_goldens.py).
@Suite struct DiscreteLaplaceTests {
    struct Goldens: Decodable {
        struct Case: Decodable {
            var epsilon: Double
            var sensitivity: Int
            var opendp_scale: Double
            var opendp_epsilon_at_scale: Double
            var draws: Int
            var opendp_sample_variance: Double
            var exact_variance: Double
        }
        var versions: [String: String]
        var cases: [Case]
        var chi_square_critical_1e_4: [String: Double]

        enum CodingKeys: String, CodingKey {
            case versions, cases
            case chi_square_critical_1e_4 = "chi_square_critical_1e-4"
        }
    }

    static let goldens: Goldens = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let url = root.appendingPathComponent("fixtures/privacy/discrete-laplace.json")
        do {
            return try JSONDecoder().decode(Goldens.self, from: Data(contentsOf: url))
        } catch {
            preconditionFailure("fixtures/privacy/discrete-laplace.json: \(error)")
        }
    }()

    static func epsilon(_ value: Double) -> ExactFraction {
        ExactFraction(decimal: String(value))!
    }

    /// The chi-square statistic of `draws` against the discrete Laplace law of scale
    /// `hypothesis` over the bins −K…K, where each bin expects at least 20 draws, plus the
    /// two pooled tails; and its degrees of freedom.
    static func chiSquare(_ draws: [Int], hypothesis scale: Double) -> (statistic: Double, degreesOfFreedom: Int) {
        let r = exp(-1 / scale)
        func probability(_ x: Int) -> Double { (1 - r) / (1 + r) * pow(r, Double(abs(x))) }
        let n = Double(draws.count)
        var k = 0
        while n * probability(k + 1) >= 20 { k += 1 }
        var observed = [Double](repeating: 0, count: 2 * k + 3)
        for x in draws {
            observed[x < -k ? 0 : x > k ? 2 * k + 2 : x + k + 1] += 1
        }
        var expected = (-k...k).map { n * probability($0) }
        let tail = (n - expected.reduce(0, +)) / 2
        expected = [tail] + expected + [tail]
        let statistic = zip(observed, expected).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) / $1.1 }
        return (statistic, observed.count - 1)
    }

    static func draws(scale: ExactFraction, count: Int, seed: UInt64) -> [Int] {
        let noise = DiscreteLaplace(scale: scale)
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in noise.sample(using: &generator) }
    }

    @Test func goldensNameTheirVersions() {
        #expect(Self.goldens.versions["opendp"] == "0.16.0")
        #expect(Self.goldens.cases.count == 6)
    }

    /// b = Δ/ε, the scale OpenDP's binary search finds, and OpenDP's privacy map gives ε back.
    @Test func scaleMatchesOpenDP() throws {
        for golden in Self.goldens.cases {
            let scale = try #require(DiscreteLaplace.scale(epsilon: Self.epsilon(golden.epsilon), sensitivity: golden.sensitivity))
            #expect(abs(scale.doubleValue - golden.opendp_scale) <= 1e-6 * golden.opendp_scale, "ε \(golden.epsilon), Δ \(golden.sensitivity)")
            #expect(abs(Double(golden.sensitivity) / scale.doubleValue - golden.opendp_epsilon_at_scale) <= 1e-12)
            #expect(abs(DiscreteLaplace(scale: scale).variance - golden.exact_variance) <= 1e-9 * golden.exact_variance)
        }
    }

    /// Our draws' variance and OpenDP's agree within five standard errors (the discrete
    /// Laplace's kurtosis is about 6, so a sample variance's standard error is about
    /// σ²·√(5/N)), and ours is near the exact variance.
    @Test func varianceMatchesOpenDP() throws {
        for (index, golden) in Self.goldens.cases.enumerated() {
            let scale = try #require(DiscreteLaplace.scale(epsilon: Self.epsilon(golden.epsilon), sensitivity: golden.sensitivity))
            let draws = Self.draws(scale: scale, count: golden.draws, seed: 100 + UInt64(index)).map(Double.init)
            let mean = draws.reduce(0, +) / Double(draws.count)
            let variance = draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(draws.count - 1)
            let standardError = golden.exact_variance * (5 / Double(golden.draws)).squareRoot()
            #expect(abs(variance - golden.opendp_sample_variance) <= 5 * 2.0.squareRoot() * standardError,
                    "ε \(golden.epsilon), Δ \(golden.sensitivity): ours \(variance), OpenDP's \(golden.opendp_sample_variance)")
            #expect(abs(variance - golden.exact_variance) <= 5 * standardError)
        }
    }

    /// 50,000 draws fit their own law (chi-square below its 1 − 10⁻⁴ quantile) and reject a
    /// scale 10% larger or smaller.
    static let fitCases: [(ExactFraction, UInt64)] = [(ExactFraction(2, 1)!, 1), (ExactFraction(6, 1)!, 2), (ExactFraction(3, 2)!, 3),
                                                       (ExactFraction(1, 2)!, 4)]

    @Test(arguments: fitCases)
    func drawsFitTheirMassFunction(scale: ExactFraction, seed: UInt64) throws {
        let draws = Self.draws(scale: scale, count: 50_000, seed: seed)
        let fit = Self.chiSquare(draws, hypothesis: scale.doubleValue)
        let critical = try #require(Self.goldens.chi_square_critical_1e_4[String(fit.degreesOfFreedom)])
        #expect(fit.statistic < critical, "scale \(scale): χ² \(fit.statistic) on \(fit.degreesOfFreedom) df, critical \(critical)")
        for wrong in [1.1, 0.9] {
            let misfit = Self.chiSquare(draws, hypothesis: scale.doubleValue * wrong)
            let wrongCritical = try #require(Self.goldens.chi_square_critical_1e_4[String(misfit.degreesOfFreedom)])
            #expect(misfit.statistic > wrongCritical, "scale \(scale) × \(wrong): χ² \(misfit.statistic), critical \(wrongCritical)")
        }
    }

    /// The sampler is symmetric and centred: the mean of 50,000 draws lies within five
    /// standard errors of 0.
    @Test func drawsAreCentred() {
        let scale = ExactFraction(4, 1)!
        let draws = Self.draws(scale: scale, count: 50_000, seed: 9)
        let mean = Double(draws.reduce(0, +)) / Double(draws.count)
        #expect(abs(mean) <= 5 * (DiscreteLaplace(scale: scale).variance / Double(draws.count)).squareRoot())
    }

    @Test(arguments: [(UInt64(0), UInt64(1)), (1, 3), (1, 1), (5, 2), (7, 3)])
    func bernoulliExpMinusHasItsProbability(numerator: UInt64, denominator: UInt64) {
        var generator = SeededGenerator(seed: 77)
        let trials = 200_000
        var hits = 0
        for _ in 0..<trials where ExactBernoulli.sampleExpMinus(numerator: numerator, denominator: denominator, using: &generator) {
            hits += 1
        }
        let p = exp(-Double(numerator) / Double(denominator))
        let frequency = Double(hits) / Double(trials)
        #expect(abs(frequency - p) <= 5 * (p * (1 - p) / Double(trials)).squareRoot() + 1e-12, "exp(−\(numerator)/\(denominator)) = \(p), drew \(frequency)")
    }

    @Test func decimalsAreExact() {
        #expect(ExactFraction(decimal: "0.25") == ExactFraction(1, 4))
        #expect(ExactFraction(decimal: "2") == ExactFraction(2, 1))
        #expect(ExactFraction(decimal: ".5") == ExactFraction(1, 2))
        #expect(ExactFraction(decimal: "0.1")?.description == "1/10")
        for bad in ["", ".", "-1", "1e-3", "0.1234567891", "abc", "1.2.3", "٣"] {
            #expect(ExactFraction(decimal: bad) == nil, "\(bad)")
        }
    }

    /// b = Δ/ε exactly: ε = 0.3 and Δ = 4 give 40/3.
    @Test func scaleIsExact() {
        #expect(DiscreteLaplace.scale(epsilon: ExactFraction(decimal: "0.3")!, sensitivity: 4) == ExactFraction(40, 3))
        #expect(DiscreteLaplace.scale(epsilon: ExactFraction(0, 1)!, sensitivity: 1) == nil)
    }
}
