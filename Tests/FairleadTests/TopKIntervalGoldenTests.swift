import Foundation
import Testing
@testable import Fairlead

/// The top-k rates' Wilson intervals in the report, and the simultaneous ones an interval
/// verdict rests on, against statsmodels' `proportion_confint(method="wilson")`
/// (fixtures/ranking/top-k-intervals.json, made by fixtures/ranking/make_interval_goldens.py).
@Suite struct TopKIntervalGoldenTests {
    struct Golden: Decodable {
        struct Rate: Decodable {
            var value: Double?
            var numerator: Double
            var denominator: Double
            var interval: [Double]?
            var verdict_interval: [Double]?
        }
        struct Row: Decodable {
            var id: Int
            var score: Double
            var y: Int
            var g: String
            var w: Double
        }
        struct Case: Decodable {
            var name: String
            var attribute: String
            var decision: String
            var weighted: Bool
            var k: Int
            var verdict_level: Double
            var groups: [String: [String: Rate]]
            var rows: [Row]?
            var tie_at_cutoff: Bool?
        }
        var cases: [Case]
    }

    static let rates: [Metric] = [.selectionRateAtK, .precisionAtK, .recallAtK, .shareOfTopK]

    static func golden() throws -> Golden {
        let url = AuditFixtures.root.appendingPathComponent("fixtures/ranking/top-k-intervals.json")
        return try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
    }

    static func expectClose(_ actual: [Double]?, _ expected: [Double]?, _ place: String) {
        guard let expected else {
            #expect(actual == nil, "\(place): \(String(describing: actual)) where statsmodels gives none")
            return
        }
        guard let actual, actual.count == 2 else {
            Issue.record("\(place): no interval, statsmodels gives \(expected)")
            return
        }
        #expect(abs(actual[0] - expected[0]) <= 1e-9 && abs(actual[1] - expected[1]) <= 1e-9,
                "\(place): \(actual) vs \(expected)")
    }

    /// Every interval of `entry` in `report`, and, when `verdicts` holds findings of rules
    /// `metric >= 0.001` under `verdict: interval`, their simultaneous intervals.
    static func check(_ entry: Golden.Case, in report: AuditReport, verdicts: Bool) throws {
        let top = try #require(report.queue?[entry.attribute]?.topK[entry.decision], "\(entry.name)")
        #expect(top.k == entry.k)
        #expect(Set(top.groups.keys) == Set(entry.groups.keys), "\(entry.name)")
        for (group, expected) in entry.groups {
            for metric in rates {
                let place = "\(entry.name) \(group) \(metric)"
                let want = try #require(expected[metric.rawValue], "\(place)")
                let estimate = top.groups[group]?[metric.rawValue]
                if let value = want.value {
                    #expect(abs((estimate?.value ?? .nan) - value) <= 1e-12, "\(place)")
                }
                expectClose(estimate?.interval, want.interval, place)
                // Weighted Σw of the rows counted and of the rows the rate is a proportion of.
                #expect(estimate?.numerator.map { abs($0 - want.numerator) <= 1e-9 } == true
                        && estimate?.denominator.map { abs($0 - want.denominator) <= 1e-9 } == true,
                        "\(place): \(String(describing: estimate?.numerator)) of \(String(describing: estimate?.denominator)), the golden \(want.numerator) of \(want.denominator)")
                if verdicts {
                    let finding = report.findings(metric, decision: entry.decision, attribute: entry.attribute, group: group).first
                    expectClose(finding?.verdictInterval, want.verdict_interval, place + " (verdict)")
                }
            }
        }
    }

    @Test func leadsSampleIntervalsEqualStatsmodels() throws {
        let cases = try Self.golden().cases.filter { !$0.weighted }
        #expect(cases.count == 3)
        var profile = AuditFixtures.goldenProfile()
        profile.settings.verdict = .interval
        profile.rules = try Self.rates.map { try VerdictTests.rule("\($0.rawValue) >= 0.001") }
        let report = try Audit(profile: profile, threads: 2, clock: AuditFixtures.fixedClock).run()
        for entry in cases { try Self.check(entry, in: report, verdicts: true) }
    }

    /// The terminal's lead-queue table shows each group's top-k share with its Wilson
    /// interval in a column of its own, as the fairness values' intervals are shown: the
    /// leads sample's gender at the top 10%, statsmodels' intervals at three decimals.
    @Test func theTerminalQueueTableShowsTheTopKSharesIntervals() throws {
        let report = try Audit(profile: AuditFixtures.goldenProfile(), threads: 2, clock: AuditFixtures.fixedClock).run()
        let text = TerminalRendering.render(report)
        let queue = try #require(text.range(of: "Lead queue (threshold-free; top-k columns at top_10pct, the default: no top-k decision)"))
        // With a top-k decision, the columns are cut there and the heading says so.
        var ranked = try AuditFixtures.goldenProfile()
        ranked.decisions.append(.init(name: "top_25", kind: .topCount(25)))
        let rankedText = TerminalRendering.render(try Audit(profile: ranked, threads: 2, clock: AuditFixtures.fixedClock).run())
        #expect(rankedText.contains("Lead queue (threshold-free; top-k columns at top_25, a top-k decision)\n"), "\(rankedText)")
        let lines = text[queue.upperBound...].split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        let gender = try #require(lines.firstIndex { $0 == ["gender,", "reference", "male"] }, "\(text[queue.upperBound...])")
        #expect(lines[gender + 1].suffix(4) == ["top", "95%", "CI", "skew"], "\(lines[gender + 1])")
        func row(_ group: String) -> [String] { lines[(gender + 2)...].first { $0.first == group } ?? [] }
        // share of the top 10%, its 95% Wilson interval (fixtures/ranking/top-k-intervals.json)
        #expect(row("female").suffix(3).prefix(2) == ["0.448", "0.405–0.492"], "\(row("female"))")
        #expect(row("male").suffix(3).prefix(2) == ["0.516", "0.472–0.560"], "\(row("male"))")
        #expect(row("nonbinary").suffix(3).prefix(2) == ["0.012", "0.006–0.026"], "\(row("nonbinary"))")
        #expect(row("unknown").suffix(3).prefix(2) == ["0.024", "0.014–0.041"], "\(row("unknown"))")
    }

    @Test func weightedIntervalsUseTheEffectiveSize() throws {
        let entry = try #require(try Self.golden().cases.first { $0.weighted })
        let rows = try #require(entry.rows)
        #expect(entry.tie_at_cutoff == true)
        let csv = (["id,score,y,g,w"] + rows.map { "\($0.id),\($0.score),\($0.y),\($0.g),\($0.w)" }).joined(separator: "\n") + "\n"
        var profile = AuditProfile(name: "weighted", data: .init(id: "id", score: "score", label: "y", weight: "w", scoreRange: 0...1),
                                   decisions: [.init(name: entry.decision, kind: .topCount(entry.k))],
                                   sensitive: [.init(column: entry.attribute)],
                                   rules: try Self.rates.map { try VerdictTests.rule("\($0.rawValue) >= 0.001") },
                                   settings: .init(minimumGroupSize: 1, bootstrapReplicates: 0))
        profile.settings.verdict = .interval
        let report = try VerdictTests.run(profile, csv: csv)
        try Self.check(entry, in: report, verdicts: true)
    }
}
