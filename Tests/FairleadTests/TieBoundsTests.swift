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
        // No decision moves these: decided as they are (mean_score apart, in a test below: the
        // splits here move scores).
        "base_rate >= 0.3", "share >= 0.1",
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

    @Test(arguments: [(UInt64(1), 60, 3), (2, 60, 1), (3, 80, 5), (4, 40, 1), (5, 120, 10), (6, 30, 1), (7, 24, 1)])
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
        let profile = try Self.profile(k: above + taken, minimumGroupSize: minimumGroupSize)
        let report = try Self.checkEverySplit(data, tied: tied, taken: taken, score: cutScore, profile: profile)
        // Rules on rates whose denominators move with the split are never bounded.
        for finding in report.findings where ["positive_predictive_value", "predictive_parity_difference", "theil_index"].contains(finding.metric) {
            #expect(finding.tieRange == nil && finding.verdict == .insufficientEvidence, "\(finding)")
        }
        // And the bounds decide something: the tie no longer leaves every rule open.
        #expect(report.findings.contains { $0.tieRange != nil && $0.verdict != .insufficientEvidence },
                "\(report.findings.map { "\($0.rule) \($0.attribute) \($0.group ?? "") \($0.verdict) \($0.reason)" }.joined(separator: "\n"))")
    }

    /// The audit of `data` (its top k cutting through the `tied` rows at `score`, taking
    /// `taken`) against the audit of every choice of `taken` of them, each its own file with
    /// the chosen rows just above the tie and the others just below: each decided verdict is
    /// every choice's, and each choice's value lies in the finding's range. The tie's report.
    @discardableResult
    static func checkEverySplit(_ data: (header: String, rows: [[String]]), tied: [Int], taken: Int, score: Double,
                                profile: AuditProfile) throws -> AuditReport {
        let report = try VerdictTests.run(profile, csv: Self.csv(data.header, data.rows))
        let decision = try #require(profile.decisions.first?.name)
        #expect(report.decisions[decision]?.tieAtCutoff == .init(score: score, tied: tied.count, selected: taken))
        var verdicts: [Key: AuditReport.Finding] = [:]
        for finding in report.findings { verdicts[Key(rule: finding.rule, attribute: finding.attribute, group: finding.group)] = finding }
        var splitsDisagree = Set<Key>()
        var seen: [Key: AuditReport.Verdict] = [:]
        for chosen in Self.subsets(tied, taken) {
            var split = data.rows
            for index in tied { split[index][1] = chosen.contains(index) ? "\(score + 0.001)" : "\(score - 0.001)" }
            let splitReport = try VerdictTests.run(profile, csv: Self.csv(data.header, split))
            #expect(splitReport.decisions[decision]?.tieAtCutoff == nil)
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
        // Whatever the splits disagree on stays undecided.
        for key in splitsDisagree { #expect(verdicts[key]?.verdict == .insufficientEvidence, "\(key)") }
        // A saved report of the tie reads back: every range holds its value.
        #expect(report.inconsistency == nil, "\(report.inconsistency ?? "")")
        return report
    }

    /// A profile of columns id, score (0–10), y, g (reference a), top `k`, `rules`, every group judged.
    static func smallProfile(k: Int, rules: [String]) throws -> AuditProfile {
        var profile = try AuditProfile.parse("""
            name: small
            data: {score: score, label: y, score_range: [0, 10]}
            decisions: [{top_k: \(k)}]
            sensitive: [{column: g, reference: a}]
            rules: [\(rules.map { "\"\($0)\"" }.joined(separator: ", "))]
            settings: {min_group_size: 1, bootstrap: 0}
            """)
        profile.sourceFiles = []
        return profile
    }

    static let equalizedOddsRows: [[String]] = [
        ["1", "5", "1", "a"], ["2", "5", "0", "a"], ["3", "5", "1", "b"], ["4", "5", "0", "b"],
        ["5", "3", "1", "a"], ["6", "3", "0", "a"], ["7", "3", "1", "b"], ["8", "3", "0", "b"],
        ["9", "1", "1", "a"], ["10", "1", "0", "a"], ["11", "1", "1", "b"], ["12", "1", "0", "b"], ["13", "1", "0", "c"],
    ]

    /// Group c has label-0 rows only: equalized odds takes it into the false positive rates
    /// alone. Its range was built over the groups with both rates (a and b): [0.5, 1] for a
    /// ratio of 0 in every split, which passed `>= 0.2`.
    @Test func equalizedOddsTakesEachRateOverItsOwnGroups() throws {
        let profile = try Self.smallProfile(k: 6, rules: ["equalized_odds_ratio >= 0.2", "equalized_odds_difference <= 0.6", "true_positive_rate >= 0.1"])
        let report = try Self.checkEverySplit(("id,score,y,g", Self.equalizedOddsRows), tied: [4, 5, 6, 7], taken: 2, score: 3, profile: profile)
        let ratio = try #require(report.findings(.equalizedOddsRatio).first)
        #expect(ratio.verdict == .fail && ratio.tieRange == [0, 0], "\(ratio)")
        #expect(report.findings(.equalizedOddsDifference).first?.verdict == .insufficientEvidence)
        // c has no actual positives in any split: undefined, said as undefined.
        let rateC = try #require(report.findings(.truePositiveRate, group: "c").first)
        #expect(rateC.undecidedCause == .valueUndefined, "\(rateC)")
    }

    /// A row with no label holds a tied place: the split that takes it alone selects none
    /// of the rows counted, and compares nothing; so no verdict holds for every split.
    @Test func aSplitThatSelectsNoneLeavesTheRulesUndecided() throws {
        let profile = try Self.smallProfile(k: 1, rules: ["selection_rate <= 0.6", "demographic_parity_difference <= 0.6", "count >= 1"])
        let rows = [["1", "5", "1", "a"], ["2", "5", "NA", "b"], ["3", "5", "0", "b"], ["4", "1", "0", "a"], ["5", "1", "1", "b"], ["6", "1", "0", "a"]]
        let report = try Self.checkEverySplit(("id,score,y,g", rows), tied: [0, 1, 2], taken: 1, score: 5, profile: profile)
        #expect(report.findings.allSatisfy { $0.verdict == .insufficientEvidence && $0.undecidedCause == .tiedAtCutoff && $0.tieRange == nil },
                "\(report.findings)")
        #expect(report.findings.allSatisfy { $0.reason.contains("can select none of the rows counted for g or all of them, and compare nothing") },
                "\(report.findings.map(\.reason))")
    }

    /// A range written into a saved report by hand is checked as every reader checks values:
    /// on a decision with no tie, or one that does not hold the finding's value, it is refused.
    @Test func aForgedRangeIsRefused() throws {
        let report = try VerdictTests.run(AuditBehaviourTests.profile(rules: [try VerdictTests.rule("disparate_impact >= 0.8")],
                                                                      reference: .group("a")))
        let index = try #require(report.findings.firstIndex { $0.metric == "disparate_impact" })
        var forged = report
        forged.findings[index].tieRange = [0.9, 1]
        forged.findings[index].verdict = .pass
        forged.findings[index].undecidedCause = nil
        #expect(forged.inconsistency?.contains("has a tie_range [0.9, 1.0] that does not hold its value") == true, "\(forged.inconsistency ?? "")")
        let value = try #require(report.findings[index].value)
        forged.findings[index].tieRange = [value, value]
        forged.findings[index].verdict = report.findings[index].verdict
        forged.findings[index].undecidedCause = report.findings[index].undecidedCause
        #expect(forged.inconsistency?.contains("has a tie_range, but its decision t05 has no tie_at_cutoff") == true, "\(forged.inconsistency ?? "")")
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
                                   rules: [try VerdictTests.rule("disparate_impact >= 0.8"), try VerdictTests.rule("selection_rate >= 0.1"),
                                           try VerdictTests.rule("mean_score >= 20"), try VerdictTests.rule("demographic_parity_difference <= 0.04")],
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
        // No split moves a mean score: a's 27.92 passes, b's 15.04 fails, each its own range.
        let meanA = try #require(report.findings(.meanScore, group: "a").first)
        let meanB = try #require(report.findings(.meanScore, group: "b").first)
        #expect(meanA.verdict == .pass && meanA.tieRange.map { abs($0[0] - 27.92) < 1e-9 && $0[0] == $0[1] } == true, "\(meanA)")
        #expect(meanB.verdict == .fail && meanB.tieRange.map { abs($0[0] - 15.04) < 1e-9 && $0[0] == $0[1] } == true, "\(meanB)")
        #expect(report.status == .fail)
        // Between groups: 16/75 − 0 at most, 13/75 − 3/25 at least; the decision's fairness
        // table gives the range the verdict holds over.
        let parity = try #require(report.findings(.demographicParityDifference).first)
        #expect(parity.verdict == .fail && parity.tieRange.map { abs($0[0] - (13.0 / 75 - 3.0 / 25)) < 1e-12 && abs($0[1] - 16.0 / 75) < 1e-12 } == true,
                "\(parity)")
        let text = TerminalRendering.render(report)
        #expect(text.contains("<= 0.04: FAIL (tie splits: 0.053 to 0.213)"), "\(text)")

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

    /// Tied at the largest finite score: nothing lies above it, and its next score up is
    /// infinite (a threshold there was refused, and the whole audit with it).
    @Test func aTieAtTheLargestScoreIsBounded() throws {
        var profile = try Self.smallProfile(k: 1, rules: ["selection_rate <= 0.9"])
        profile.data.scoreRange = nil
        let rows = [["1", "1.7976931348623157e308", "1", "a"], ["2", "1.7976931348623157e308", "0", "b"],
                    ["3", "1", "0", "a"], ["4", "1", "1", "b"]]
        let report = try VerdictTests.run(profile, csv: Self.csv("id,score,y,g", rows))
        #expect(report.decisions["top_1"]?.tieAtCutoff == .init(score: .greatestFiniteMagnitude, tied: 2, selected: 1))
        #expect(report.findings.allSatisfy { $0.verdict == .pass && $0.tieRange != nil }, "\(report.findings)")
    }
}
