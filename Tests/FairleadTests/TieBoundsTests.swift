import Foundation
import Testing
@testable import Fairlead

/// A top-k cut through tied scores takes some tied rows in row order; a rule is decided
/// only when every other choice of the tied rows would decide it alike (``TieBounds``).
/// Checked against brute force: every split of the tie audited as its own data, with the
/// split's rows moved just above the tied score.
@Suite struct TieBoundsTests {
    /// Every rule of the catalog the bounds cover, over groups, the reference and between groups.
    static let rules = [
        "selection_rate >= 0.3", "true_positive_rate >= 0.5", "false_positive_rate <= 0.3", "accuracy >= 0.6",
        "false_negative_rate <= 0.5", "true_negative_rate >= 0.6",
        "disparate_impact >= 0.8", "statistical_parity_difference >= -0.1", "average_odds_difference >= -0.1",
        "average_abs_odds_difference <= 0.15", "demographic_parity_difference <= 0.2", "demographic_parity_ratio >= 0.7",
        "equalized_odds_difference <= 0.25", "equalized_odds_ratio >= 0.5", "equal_opportunity_difference <= 0.2",
        "equal_opportunity_ratio >= 0.6", "false_negative_rate_difference <= 0.3", "false_negative_rate_ratio >= 0.4",
        // Not bounded: their denominators move with the split, so they stay undecided.
        "positive_predictive_value >= 0.5", "predictive_parity_difference <= 0.2", "theil_index <= 0.2",
    ]

    /// Random rows of groups g (a, b, c) and s (f, m), labels with a few missing, scores
    /// on a coarse grid so that the top `k` cuts through a tie; `tiedLimit` caps the rows
    /// at the cut's score so that brute force stays small.
    static func data(seed: UInt64, rows: Int) -> (header: String, rows: [[String]]) {
        var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let lines: [[String]] = (0..<rows).map { index in
            let g = ["a", "a", "b", "b", "b", "c"][next(6)]
            let s = ["f", "m"][next(2)]
            // Group a scores higher; labels follow the score loosely.
            let score = min(9, next(8) + (g == "a" ? 2 : 0))
            let label = next(12) == 0 ? "NA" : (next(10) < score ? "1" : "0")
            return ["\(index)", "0.\(score)", label, g, s]
        }
        return ("id,score,y,g,s", lines)
    }

    static func profile(k: Int, minimumGroupSize: Int) throws -> AuditProfile {
        var profile = AuditProfile(name: "t", data: .init(score: "score", label: "y", scoreRange: 0...1),
                                   decisions: [.init(name: "d", kind: .topCount(k))],
                                   sensitive: [.init(column: "g", reference: .group("a")), .init(column: "s")],
                                   intersections: [["g", "s"]],
                                   rules: try rules.map(VerdictTests.rule),
                                   settings: .init(minimumGroupSize: minimumGroupSize, bootstrapReplicates: 0))
        profile.settings.verdict = .point
        return profile
    }

    static func csv(_ header: String, _ rows: [[String]]) -> String {
        ([header] + rows.map { $0.joined(separator: ",") }).joined(separator: "\n") + "\n"
    }

    /// The subsets of `count` of `items`.
    static func subsets(_ items: [Int], _ count: Int) -> [[Int]] {
        guard count > 0 else { return [[]] }
        guard items.count >= count else { return [] }
        let rest = Array(items.dropFirst())
        return subsets(rest, count - 1).map { [items[0]] + $0 } + subsets(rest, count)
    }

    struct Key: Hashable { var rule: String, attribute: String, group: String? }

    @Test(arguments: [(UInt64(1), 60, 3), (2, 60, 1), (3, 80, 5), (4, 40, 1), (5, 120, 10)])
    func aDecidedRuleIsDecidedAlikeByEverySplit(seed: UInt64, rows: Int, minimumGroupSize: Int) throws {
        var data = Self.data(seed: seed, rows: rows)
        let scores = data.rows.map { Double($0[1])! }
        // A cut inside the run of tied scores nearest the middle of the ranking, the run
        // trimmed (by moving rows away) to at most 9 rows so that brute force stays small.
        let sorted = scores.sorted(by: >)
        let cutScore = try #require(sorted[(rows / 3)...].first { score in scores.filter { $0 == score }.count >= 3 })
        var tied = data.rows.indices.filter { scores[$0] == cutScore }
        for index in tied.dropFirst(9) { data.rows[index][1] = "0.05" }
        tied = Array(tied.prefix(9))
        let above = scores.filter { $0 > cutScore }.count
        let taken = max(1, tied.count / 2)
        let k = above + taken
        let profile = try Self.profile(k: k, minimumGroupSize: minimumGroupSize)

        let report = try VerdictTests.run(profile, csv: Self.csv(data.header, data.rows))
        #expect(report.decisions["d"]?.tieAtCutoff == .init(score: cutScore, tied: tied.count, selected: taken))
        var verdicts: [Key: AuditReport.Finding] = [:]
        for finding in report.findings { verdicts[Key(rule: finding.rule, attribute: finding.attribute, group: finding.group)] = finding }

        var splitsDisagree = Set<Key>()
        var seen: [Key: AuditReport.Verdict] = [:]
        for chosen in Self.subsets(tied, taken) {
            var split = data.rows
            // The chosen tied rows just above the tie, the others just below: the top k is theirs.
            for index in tied { split[index][1] = chosen.contains(index) ? "\(cutScore + 0.001)" : "\(cutScore - 0.001)" }
            let splitReport = try VerdictTests.run(profile, csv: Self.csv(data.header, split))
            #expect(splitReport.decisions["d"]?.tieAtCutoff == nil)
            for finding in splitReport.findings {
                let key = Key(rule: finding.rule, attribute: finding.attribute, group: finding.group)
                let tieFinding = try #require(verdicts[key], "\(key)")
                if let previous = seen[key], previous != finding.verdict { splitsDisagree.insert(key) }
                seen[key] = finding.verdict
                if tieFinding.verdict != .insufficientEvidence {
                    #expect(finding.verdict == tieFinding.verdict,
                            "\(key): split \(chosen) says \(finding.verdict) (\(finding.reason)), the tie \(tieFinding.verdict) (\(tieFinding.reason))")
                }
                if let range = tieFinding.tieRange, let value = finding.judgedValue ?? finding.value {
                    #expect(range[0] - 1e-12 <= value && value <= range[1] + 1e-12,
                            "\(key): split \(chosen) gives \(value), outside the tie's range \(range)")
                }
            }
        }
        // Whatever the splits disagree on stays undecided, for the tie's cause.
        for key in splitsDisagree { #expect(verdicts[key]?.verdict == .insufficientEvidence, "\(key)") }
        // Rules on rates whose denominators move with the split are never bounded.
        for finding in report.findings where ["positive_predictive_value", "predictive_parity_difference", "theil_index"].contains(finding.metric) {
            #expect(finding.tieRange == nil && finding.verdict == .insufficientEvidence, "\(finding)")
        }
        // And the bounds decide something: the tie no longer leaves every rule open.
        #expect(report.findings.contains { $0.tieRange != nil && $0.verdict != .insufficientEvidence },
                "\(report.findings.map { "\($0.rule) \($0.attribute) \($0.group ?? "") \($0.verdict) \($0.reason)" }.joined(separator: "\n"))")
    }

    /// Integer scores 0–100 on 100 leads, the top 16 cut through 25 tied at 52: 6 of group a
    /// above the tie; 22 of a and 3 of b tied; the rest (22 of b, 47 of a) below. b's rate
    /// is 0 to 3/25, a's 13/75 to 16/75 (a keeps at least 10 − 3 tied places): disparate
    /// impact 0 to 0.69 however the tie splits, under 0.8 every time. It fails.
    @Test func aFailureEverySplitSharesIsJudgedThroughATie() throws {
        var lines = ["id,score,g"]
        let runs: [(count: Int, score: Int, group: String)] = [(6, 80, "a"), (22, 52, "a"), (3, 52, "b"), (22, 10, "b"), (47, 10, "a")]
        for run in runs { for _ in 0..<run.count { lines.append("\(lines.count),\(run.score),\(run.group)") } }
        let profile = AuditProfile(name: "t", data: .init(score: "score", scoreRange: 0...100),
                                   decisions: [.init(name: "top", kind: .topCount(16))],
                                   sensitive: [.init(column: "g", reference: .group("a"))],
                                   rules: [try VerdictTests.rule("disparate_impact >= 0.8"), try VerdictTests.rule("selection_rate >= 0.1")],
                                   settings: .init(minimumGroupSize: 10, bootstrapReplicates: 0))
        let report = try VerdictTests.run(profile, csv: lines.joined(separator: "\n") + "\n")
        #expect(report.decisions["top"]?.tieAtCutoff == .init(score: 52, tied: 25, selected: 10))
        let impact = try #require(report.findings(.disparateImpact, group: "b").first)
        #expect(impact.verdict == .fail, "\(impact.reason)")
        let range = try #require(impact.tieRange)
        #expect(range[0] == 0 && abs(range[1] - (3.0 / 25) / (13.0 / 75)) < 1e-12, "\(range)")
        #expect(impact.reason == "0 is not >= 0.8 however the top k splits the 25 rows tied at score 52 (10 of them taken): from 0 to 0.6923",
                "\(impact.reason)")
        // a's selection rate is at least 13/75 whatever the split: a pass. b's runs 0 to 0.12, across 0.1: open.
        let rateA = try #require(report.findings(.selectionRate, group: "a").first)
        #expect(rateA.verdict == .pass && rateA.tieRange.map { abs($0[0] - 13.0 / 75) < 1e-12 && abs($0[1] - 16.0 / 75) < 1e-12 } == true,
                "\(rateA)")
        let rateB = try #require(report.findings(.selectionRate, group: "b").first)
        #expect(rateB.verdict == .insufficientEvidence && rateB.undecidedCause == .tiedAtCutoff, "\(rateB)")
        #expect(rateB.reason.hasPrefix("0 in row order, but the top k's splits of the 25 rows tied at score 52 (10 of them taken) give from 0 to 0.12, on both sides of 0.1"),
                "\(rateB.reason)")
        #expect(report.status == .fail)

        // b's tied rows first in the file: its rate in row order is 3/25, above 0.1, yet some
        // splits give less: still undecided, and a report edited to say pass is refused.
        let reordered = [lines[0]] + lines[29...31] + lines[1...28] + lines[32...]
        let first = try VerdictTests.run(profile, csv: reordered.joined(separator: "\n") + "\n")
        var edited = try #require(first.findings(.selectionRate, group: "b").first)
        #expect(edited.value == 0.12 && edited.verdict == .insufficientEvidence && edited.tieRange == [0, 0.12], "\(edited)")
        edited.verdict = .pass
        edited.undecidedCause = nil
        #expect(edited.inconsistency == "says pass, but its tie range [0.0, 0.12] breaks the rule")
    }
}
