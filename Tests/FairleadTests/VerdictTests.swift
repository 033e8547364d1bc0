import Foundation
import Testing
@testable import Fairlead

/// "Never a verdict about what was not checked": no rules, no rows, decisions that select
/// everyone or no one, scores on another scale, interval verdicts, one status.
@Suite struct VerdictTests {
    static func rule(_ expression: String) throws -> AuditProfile.RuleSpec {
        try AuditProfile.rule(expression, source: "test")
    }

    static func run(_ profile: AuditProfile, csv: String = AuditBehaviourTests.csv) throws -> AuditReport {
        let path = try AuditFixtures.temporaryCSV(csv)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        return try Audit(profile: profile, dataPath: path, threads: 1, clock: AuditFixtures.fixedClock).run()
    }

    @Test func anAuditWithoutRulesIsNotAPass() throws {
        let report = try Self.run(AuditBehaviourTests.profile())
        #expect(report.status == .noRules)
        #expect(report.judgement.rules == 0 && report.judgement.rulesJudged == 0)
        #expect(TerminalRendering.render(report).hasPrefix("NO RULES  t: no rules, nothing judged"))
    }

    @Test func noUsableRowsIsAnErrorWithTheExclusions() throws {
        let csv = "score,y,g\n,1,a\nNA,0,b\n,1,b\n"
        let error = #expect(throws: FairleadError.self) {
            try Self.run(AuditBehaviourTests.profile(rules: [try Self.rule("disparate_impact >= 0.8")]), csv: csv)
        }
        #expect(error?.kind == .invalidData)
        #expect(error?.message == "no usable rows: all 3 rows read were excluded (3 missing score); check the score and label columns and data.missing_markers")
        let headerOnly = #expect(throws: FairleadError.self) {
            try Self.run(AuditBehaviourTests.profile(), csv: "score,y,g\n")
        }
        #expect(headerOnly?.message == "the data has a header but no rows; there is nothing to audit")
        // With a named reference group, the missing rows are still what is said: not that
        // the reference is not among no groups.
        let named = AuditBehaviourTests.profile(rules: [try Self.rule("disparate_impact >= 0.8")], reference: .group("a"))
        let noRowsNamed = #expect(throws: FairleadError.self) { try Self.run(named, csv: "score,y,g\n") }
        #expect(noRowsNamed?.message == "the data has a header but no rows; there is nothing to audit", "\(noRowsNamed?.message ?? "")")
        let excludedNamed = #expect(throws: FairleadError.self) { try Self.run(named, csv: csv) }
        #expect(excludedNamed?.message.hasPrefix("no usable rows: all 3 rows read were excluded") == true, "\(excludedNamed?.message ?? "")")
    }

    @Test(arguments: [(AuditProfile.DecisionSpec.Kind.threshold(0.95), "selects none of the 8 rows used"),
                      (.threshold(0.05), "selects every one of the 8 rows used"),
                      (.topCount(100_000), "selects every one of the 8 rows used")])
    func aDecisionThatSelectsEveryoneOrNoOneDecidesNothing(kind: AuditProfile.DecisionSpec.Kind, words: String) throws {
        var profile = AuditBehaviourTests.profile(rules: [try Self.rule("disparate_impact >= 0.8"),
                                                          try Self.rule("demographic_parity_difference <= 0.1")])
        profile.decisions = [.init(name: "d", kind: kind)]
        let report = try Self.run(profile)
        #expect(!report.findings.isEmpty)
        #expect(report.findings.allSatisfy { $0.verdict == .insufficientEvidence })
        #expect(report.findings.allSatisfy { $0.reason.contains(words) && $0.reason.contains("it compares no groups") })
        #expect(report.status == .insufficientEvidence)
    }

    @Test func statusLineSaysHowManyRulesWereJudged() throws {
        let report = try Self.run(AuditBehaviourTests.profile(rules: [try Self.rule("disparate_impact >= 0.5"),
                                                                      try Self.rule("theil_index <= 0.5")]))
        #expect(report.judgement.rules == 2)
        #expect(report.judgement.rulesJudged == 2)
        #expect(TerminalRendering.render(report).hasPrefix("PASS  t: 2 of 2 rules judged · 3 passed, 0 failed, 0 insufficient evidence\n"))
        #expect(MarkdownRendering.render(report).contains("- Verdict: 2 of 2 rules judged · 3 passed, 0 failed, 0 insufficient evidence\n"))
    }

    // MARK: - The score's scale

    /// Scores 0–100: a 0.5 threshold selects nearly everyone.
    static let percentCSV = """
        score,y,g
        90,1,a
        80,0,a
        20,1,a
        10,0,a
        70,1,b
        30,0,b
        0.2,0,b

        """

    @Test func aThresholdOutsideTheDeclaredRangeIsAnErrorBeforeAnyRow() throws {
        var profile = AuditBehaviourTests.profile()
        profile.data.scoreRange = 0...100
        profile.decisions = [.init(name: "d", kind: .threshold(150))]
        let error = #expect(throws: FairleadError.self) { try AuditPreflight.check(profile, dataPath: "/no/such/file.csv") }
        #expect(error?.message == "the threshold 150.0 of decision 'd' lies outside data.score_range [0.0, 100.0]; a threshold inside the score's scale was expected")
    }

    @Test func withoutADeclaredRangeAThresholdOutsideTheObservedOneIsAnError() throws {
        var profile = AuditBehaviourTests.profile(rules: [try Self.rule("disparate_impact >= 0.8")])
        profile.data.scoreRange = nil
        profile.decisions = [.init(name: "d", kind: .threshold(0.95))]
        let error = #expect(throws: FairleadError.self) { try Self.run(profile) }
        #expect(error?.message == "the threshold 0.95 of decision 'd' lies outside the scores' observed range 0.1–0.9: it selects no lead; give a threshold inside it, or declare data.score_range")
    }

    /// A fraction on scores of 0–90 that selects nearly every lead is refused, not a
    /// PASS with a note — with a score below 0 among them too (it passed as "log-odds").
    /// One that selects fewer, a whole threshold, or a fraction on log-odds is noted; a
    /// declared scale is meant.
    @Test func aProbabilityThresholdOnAnObservedScaleIsRefusedOrNoted() throws {
        var profile = AuditBehaviourTests.profile(rules: [try Self.rule("disparate_impact >= 0.8")])
        profile.data.scoreRange = nil
        let nearlyAll = Self.percentCSV + "40,1,a\n50,0,b\n60,1,b\n65,0,a\n"
        let error = #expect(throws: FairleadError.self) { try Self.run(profile, csv: nearlyAll) }
        #expect(error?.message == "the threshold 0.5 of decision 't05' looks like a probability, but the scores run 0.2–90 and it selects 90.9% of the 11 rows used (10): give a threshold on their scale (50 on a 0–100 scale), or declare data.score_range (--score-range) if 0.5 is meant on it")
        let belowZero = #expect(throws: FairleadError.self) {
            try Self.run(profile, csv: nearlyAll.replacingOccurrences(of: "\n0.2,0,b", with: "\n-0.01,0,b"))
        }
        #expect(belowZero?.message.hasPrefix("the threshold 0.5 of decision 't05' looks like a probability, but the scores run -0.01–90 and it selects 90.9% of the 11 rows used (10): ") == true)

        // 6 of 7 selected: noted.
        let fewer = try Self.run(profile, csv: Self.percentCSV)
        #expect(fewer.data.scoreScale == AuditReport.ScoreScaleInfo(range: [0.2, 90], source: "observed", probabilities: false))
        #expect(fewer.notes == ["decision t05: the threshold 0.5 looks like a probability, but the scores run 0.2–90; declare data.score_range if this is the intended scale"])
        #expect(TerminalRendering.render(fewer).contains("\nnote: decision t05: the threshold 0.5 looks like a probability"))

        profile.decisions = [.init(name: "t1", kind: .threshold(1))]
        let whole = try Self.run(profile, csv: nearlyAll)
        #expect(whole.notes == ["decision t1: the threshold 1 looks like a probability, but the scores run 0.2–90; declare data.score_range if this is the intended scale"])

        profile.decisions = [.init(name: "t05", kind: .threshold(0.5))]
        let logOdds = "score,y,g\n2.5,1,a\n-1,0,a\n0.7,1,a\n-3,0,a\n1.8,1,b\n-0.4,0,b\n0.1,0,b\n"
        #expect(try Self.run(profile, csv: logOdds).notes == ["decision t05: the threshold 0.5 looks like a probability, but the scores run -3–2.5; declare data.score_range if this is the intended scale"])

        profile.data.scoreRange = 0...100
        #expect(try Self.run(profile, csv: nearlyAll).notes == nil)
    }

    /// A decision that leaves out (or selects) fewer rows than a group needs, under 1%
    /// of them, is noted: a prediction column of ones but one passed unremarked. So is a
    /// score or prediction column that is the label on every labelled row.
    @Test func aLopsidedDecisionAndAnOutcomeCopyAreNoted() throws {
        var profile = AuditBehaviourTests.profile(rules: [try Self.rule("disparate_impact >= 0.8")], minimumGroupSize: 30)
        profile.decisions = [.init(name: "called", kind: .predictionColumn("called")), .init(name: "t05", kind: .threshold(0.5))]
        // 400 rows: `called` leaves out row 0 alone; the score is 0.9 or 0.1, the label
        // 1 or 0 as the score is high, but for row 7 (so the score is not the label).
        var csv = "score,y,g,called\n"
        for row in 0..<400 {
            let high = row % 3 == 0
            csv += "\(high ? 0.9 : 0.1),\(high != (row == 7) ? 1 : 0),\(row % 2 == 0 ? "a" : "b"),\(row == 0 ? 0 : 1)\n"
        }
        let lopsided = try Self.run(profile, csv: csv)
        #expect(lopsided.notes == ["decision called selects 399 of the 400 rows used: the 1 row it leaves out is fewer than min_group_size (30), "
            + "so its groups' selection rates are all near 1 and can hardly differ: rules on them pass whatever the groups; is this the decision made?"])
        #expect(TerminalRendering.render(lopsided).contains("\nnote: decision called selects 399 of the 400 rows used"))

        // Three rows of 400 selected, a smaller minimum (2 rows), and 4% of the rows: no notes.
        let three = csv.split(separator: "\n").enumerated().map { index, line in
            index == 0 ? String(line) : String(line.dropLast()) + (index <= 3 ? "1" : "0")
        }.joined(separator: "\n") + "\n"
        #expect(try Self.run(profile, csv: three).notes?.first == "decision called selects 3 of the 400 rows used: the 3 rows it selects are fewer than min_group_size (30), "
            + "so its groups' selection rates are all near 0: rules on their differences pass whatever the groups, and their ratios rest on 3 selected rows; is this the decision made?")
        profile.settings.minimumGroupSize = 3
        #expect(try Self.run(profile, csv: three).notes == nil)
        profile.settings.minimumGroupSize = 30
        let sixteen = csv.split(separator: "\n").enumerated().map { index, line in
            index == 0 ? String(line) : String(line.dropLast()) + (index <= 16 ? "0" : "1")
        }.joined(separator: "\n") + "\n"
        #expect(try Self.run(profile, csv: sixteen).notes == nil)

        // The score is the label (row 7 mended), and so is the prediction column.
        var copied = "score,y,g,called\n"
        for row in 0..<400 {
            let high = row % 3 == 0
            copied += "\(high ? 1 : 0),\(high ? 1 : 0),\(row % 2 == 0 ? "a" : "b"),\(high ? 1 : 0)\n"
        }
        #expect(try Self.run(profile, csv: copied).notes == [
            "the score column score equals the label column y on every labelled row (400): scores that are the outcomes make every separation and calibration metric perfect; is data.score the label?",
            "the prediction column called equals the label column y on every labelled row (400): a decision that is the outcome makes every error rate (TPR, FPR, precision) perfect in every group; is it the decision made?",
        ])
    }

    /// A scale wider than a number can hold made the sweep's step infinite and its
    /// thresholds NaN ("thresholds must be finite numbers, found -nan"): declared, it is
    /// refused; observed, the sweep runs over it.
    @Test func aScaleWiderThanANumberIsRefusedOrSweptWithoutOverflow() throws {
        let error = #expect(throws: FairleadError.self) {
            try AuditProfile.parse("name: t\ndata: {score: s, score_range: [-1e308, 1e308]}\ndecisions: [{top_k: 2}]\nsensitive: [g]\n", file: "p.yaml")
        }
        #expect(error?.description == "p.yaml:2:31 (data.score_range): expected a range whose width is a finite number, found [-1e+308, 1e+308], wider than a number can hold",
                "\(error?.description ?? "")")
        var profile = AuditBehaviourTests.profile(rules: [try Self.rule("disparate_impact >= 0.8")])
        profile.data.scoreRange = nil
        profile.decisions = [.init(name: "top_2", kind: .topCount(2))]
        let csv = Self.percentCSV.replacingOccurrences(of: "\n90,1,a", with: "\n1e308,1,a").replacingOccurrences(of: "\n0.2,0,b", with: "\n-1e308,0,b")
        let report = try Self.run(profile, csv: csv)
        #expect(report.data.scoreScale?.range == [-1e308, 1e308])
        guard case .values(let grid) = ScoreScale(range: -1e308...1e308, isDeclared: false).sweepGrid else {
            Issue.record("no grid")
            return
        }
        #expect(grid.count == 101 && grid.allSatisfy(\.isFinite) && grid.first == -1e308 && grid.last == 1e308 && grid[50] == 0)
    }

    @Test func calibrationIsNotApplicableToScoresThatAreNotProbabilities() throws {
        var profile = AuditBehaviourTests.profile(rules: [try Self.rule("expected_calibration_error <= 0.1"),
                                                          try Self.rule("brier_score_difference <= 0.1")])
        profile.data.scoreRange = 0...100
        profile.decisions = [.init(name: "d", kind: .threshold(50))]
        let report = try Self.run(profile, csv: Self.percentCSV)
        let queue = try #require(report.queue?["g"])
        #expect(queue.groups["a"]?["expected_calibration_error"] == AuditReport.Estimate(value: nil, undefinedReason: "not_probabilities"))
        #expect(queue.groups["a"]?["auc"]?.value == 0.75)   // ranking metrics still apply: 3 of 4 pairs in order
        #expect(queue.calibrationBins["a"] == [])
        let calibration = report.findings.filter { $0.metric.contains("calibration") || $0.metric.contains("brier") }
        #expect(calibration.count == 3)   // ECE for a and b, the Brier difference once
        #expect(calibration.allSatisfy { $0.verdict == .insufficientEvidence
            && $0.reason.hasSuffix("is not applicable: scores are declared on 0–100, not probabilities in [0, 1]; only probability scores (a score_range within [0, 1]) can decide it") })
    }

    @Test func theThresholdSweepRunsOverTheScoresScale() throws {
        var profile = AuditBehaviourTests.profile(rules: [try Self.rule("disparate_impact >= 0.8")])
        profile.data.scoreRange = 0...100
        profile.decisions = [.init(name: "d", kind: .threshold(50))]
        let report = try Self.run(profile, csv: Self.percentCSV)
        let ranges = try #require(report.queue?["g"]?.thresholdRanges["disparate_impact >= 0.8"])
        // On 0–1 every threshold above 0.2 would select no one from b: the sweep must see 0–100.
        #expect(ranges.contains { $0[0] <= 25 && $0[1] >= 25 })
        #expect(ranges.allSatisfy { $0[0] >= 0 && $0[1] <= 100 })
        #expect(ranges.contains { $0[1] > 1 })
    }

    // MARK: - Interval verdicts

    /// 100 rows per group; a selects 50, b selects 36: disparate impact 0.72.
    static func twoGroupsCSV(aSelected: Int = 50, bSelected: Int = 36, rows: Int = 100) -> String {
        var lines = ["score,y,g"]
        for index in 0..<rows { lines.append("\(index < aSelected ? 0.9 : 0.1),\(index % 2),a") }
        for index in 0..<rows { lines.append("\(index < bSelected ? 0.9 : 0.1),\(index % 2),b") }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func intervalVerdictsFailOnlyWhenTheWholeIntervalFails() throws {
        var profile = AuditBehaviourTests.profile(rules: [try Self.rule("disparate_impact >= 0.8"),
                                                          try Self.rule("selection_rate >= 0.3")],
                                                  reference: .group("a"), minimumGroupSize: 30)
        profile.settings.bootstrapReplicates = 400
        profile.settings.seed = 11
        let point = try Self.run(profile, csv: Self.twoGroupsCSV())
        let pointDI = try #require(point.findings(.disparateImpact, group: "b").first)
        #expect(pointDI.verdict == .fail)
        #expect(abs((pointDI.value ?? 0) - 0.72) < 1e-12)

        profile.settings.verdict = .interval
        let judged = try Self.run(profile, csv: Self.twoGroupsCSV())
        let di = try #require(judged.findings(.disparateImpact, group: "b").first)
        // The interval of 0.72 with 100 rows a group straddles 0.8: undecided, and it says how many rows would decide it.
        #expect(di.verdict == .insufficientEvidence)
        #expect(di.reason.contains("straddles 0.8"))
        #expect(di.reason.contains("× the rows compared"))
        // The selection rate of b, 0.36 with a Wilson interval at 1 − 0.05/2 (two groups): [0.26, 0.47] > 0.3? No: it straddles too.
        let b = try #require(judged.findings(.selectionRate, group: "b").first)
        let wilson = try #require(ConfidenceInterval.wilson(proportion: 0.36, sampleSize: 100, level: 0.975))
        #expect(b.verdictInterval == [wilson.lower, wilson.upper])
        #expect(b.verdict == .insufficientEvidence)
        let a = try #require(judged.findings(.selectionRate, group: "a").first)
        #expect(a.verdict == .pass)     // 0.5, Wilson [0.38, 0.62] at 97.5%: wholly ≥ 0.3
        #expect(judged.status == .insufficientEvidence)

        // Ten times the rows: b's disparate impact interval clears 0.8 on the failing side.
        let large = try Self.run(profile, csv: Self.twoGroupsCSV(aSelected: 500, bSelected: 360, rows: 1000))
        #expect(large.findings(.disparateImpact, group: "b").first?.verdict == .fail)
        #expect(large.status == .fail)
    }

    @Test func undecidedFindingsSayWhatWouldDecideThem() throws {
        // b has one actual positive... make a group with no positives: c.
        let csv = AuditBehaviourTests.csv + "11,0.9,0,c\n12,0.2,0,c\n13,0.2,0,d\n14,0.1,1,d\n"
        let report = try Self.run(AuditBehaviourTests.profile(rules: [try Self.rule("true_positive_rate >= 0.5")]), csv: csv)
        let c = try #require(report.findings(.truePositiveRate, group: "c").first)
        #expect(c.verdict == .insufficientEvidence)
        #expect(c.reason == "undefined: group 'c' has 2 rows but no actual positives (label 1), which true_positive_rate needs; labelled leads that converted (label 1) in 'c' would decide it")
        // d selects no one: disparate impact against it divides by zero.
        let versusD = try Self.run(AuditBehaviourTests.profile(rules: [try Self.rule("disparate_impact >= 0.8")], reference: .group("d")), csv: csv)
        let a = try #require(versusD.findings(.disparateImpact, group: "a").first)
        #expect(a.reason == "undefined: zero_divisor; a reference group with a rate above 0 would decide it")
        let unlabelled = try Self.run(AuditBehaviourTests.profile(label: nil, rules: [try Self.rule("equal_opportunity_difference <= 0.1")]))
        #expect(unlabelled.findings.first?.reason == "equal_opportunity_difference needs labels; the data has no label column; a label column (or `fairlead history label` once outcomes arrive) would decide it")
    }

    @Test func simultaneousLevelsAreBonferroni() {
        #expect(VerdictEvidence.simultaneousLevel(0.95, comparisons: 20) == 1 - 0.05 / 20)
        let widened = VerdictEvidence.widened([0.6, 0.8], value: 0.7, level: 0.95, comparisons: 10)
        let factor = StandardNormal.upperQuantile(0.0025) / StandardNormal.upperQuantile(0.025)
        #expect(abs((widened?[0] ?? 0) - (0.7 - 0.1 * factor)) < 1e-12)
        #expect(abs((widened?[1] ?? 0) - (0.7 + 0.1 * factor)) < 1e-12)
    }

    /// 0.7 − 0.4 is 0.29999999999999993 in floating point: a value a rounding error from
    /// its bound would need more rows to decide than an Int holds (the audit crashed
    /// counting them).
    @Test func aValueARoundingErrorFromItsBoundNeedsNoCountOfRows() throws {
        var lines = ["score,y,g"]
        for index in 0..<10 { lines.append("\(index < 7 ? 0.9 : 0.1),\(index % 2),a") }
        for index in 0..<10 { lines.append("\(index < 4 ? 0.9 : 0.1),\(index % 2),b") }
        let report = try Self.run(AuditBehaviourTests.profile(rules: [try Self.rule("demographic_parity_difference <= 0.3")]),
                                  csv: lines.joined(separator: "\n") + "\n")
        let finding = try #require(report.findings(.demographicParityDifference).first)
        #expect(finding.value == 0.7 - 0.4 && finding.verdict == .pass, "\(finding)")
        let words = VerdictEvidence.rowsToDecide(value: 0.1 + 0.2, interval: [0.2, 0.4], rule: try Self.rule("selection_rate >= 0.3"),
                                                 rows: 100, scope: .group("a"))
        #expect(words == "the value is 5.6e-17 from the bound; no practical number of rows (over 10¹²) would decide it")
    }

    /// The small-group mark is explained only where a group carries it: with a minimum of
    /// 1 row the pages said "* marks groups under 1 rows" over tables that marked none.
    @Test func theSmallGroupMarkIsExplainedOnlyWhereUsed() throws {
        let none = try Self.run(AuditBehaviourTests.profile(rules: [try Self.rule("disparate_impact >= 0.8")], minimumGroupSize: 1))
        let some = try Self.run(AuditBehaviourTests.profile(rules: [try Self.rule("disparate_impact >= 0.8")], minimumGroupSize: 4))
        #expect(!MarkdownRendering.render(none).contains("Groups marked *"))
        #expect(!ReportFormatting.intervalLegend(none).contains("* marks groups"))
        #expect(MarkdownRendering.render(some).contains("Groups marked * have fewer rows than the minimum group size"))
        #expect(ReportFormatting.intervalLegend(some).contains("* marks groups under 4 rows"))
    }

    // MARK: - One status

    @Test func theLibrarysStatusIncludesDrift() throws {
        let report = try Self.run(AuditBehaviourTests.profile(rules: [try Self.rule("disparate_impact >= 0.5")]))
        #expect(report.status == .pass)
        var drifted = report
        drifted.drift = AuditReport.DriftReport(
            status: .fail, baseline: nil,
            settings: .init(tolerance: 0.05, psi: 0.25, shareShift: 0.05, bins: 10, confidence: 0.99, tests: 1,
                            fairness: [], groupMetrics: []),
            findings: [.init(kind: .psi, metric: "psi", attribute: "g", group: "a", baseline: nil, current: nil,
                             change: 0.4, tolerance: 0.25, verdict: .fail, reason: "PSI 0.400 beyond 0.25")],
            notes: [])
        drifted.aggregateStatus()
        #expect(drifted.status == .fail)
    }

    @Test func typedAccessReachesEveryFamilyOfTheReport() throws {
        var profile = AuditFixtures.goldenProfile()
        profile.decisions.append(.init(name: "top_500", kind: .topCount(500)))
        let report = try Audit(profile: profile, threads: 1, clock: AuditFixtures.fixedClock).run()
        let decision = "threshold_0.3"
        #expect(report.estimate(.positivePredictiveValue, decision: decision, attribute: "ethnicity", group: "black")?.value
                == report.decisions[decision]?.attributes["ethnicity"]?.groups["black"]?.metrics["positive_predictive_value"]?.value)
        #expect(abs((report.estimate(.disparateImpact, decision: decision, attribute: "ethnicity", group: "black")?.value ?? 0) - 0.38024) < 1e-4)
        #expect(report.estimate(.disparateImpact, decision: decision, attribute: "ethnicity")
                == report.decisions[decision]?.attributes["ethnicity"]?.fairness["disparate_impact"])
        #expect(report.estimate(.equalizedOddsDifference, decision: decision, attribute: "ethnicity")?.value != nil)
        let odds = try #require(report.estimate(.averageOddsDifference, decision: decision, attribute: "ethnicity", group: "black"))
        #expect(odds.value == report.findings(.averageOddsDifference).first?.value
                || report.findings(.averageOddsDifference).isEmpty)
        #expect(abs((odds.value ?? 0) - (-0.2131)) < 1e-3)   // (FPR_b − FPR_w + TPR_b − TPR_w) / 2 from the tables
        #expect(report.estimate(.averageOddsDifference, decision: decision, attribute: "ethnicity")
                == report.decisions[decision]?.attributes["ethnicity"]?.fairness["average_odds_difference"])
        #expect(report.estimate(.auc, attribute: "ethnicity", group: "black")?.value != nil)
        #expect(report.estimate(.aucDifference, attribute: "ethnicity")?.value != nil)
        #expect(report.estimate(.skewAtK, decision: "top_500", attribute: "ethnicity", group: "black")?.value != nil)
        #expect(report.estimate(.ndkl, decision: "top_500", attribute: "ethnicity")?.value != nil)
    }
}

/// A rule on a top-k metric in a profile without a top-k decision is judged at the
/// default cutoff, the top 10%: validate and the report say so (it was judged there,
/// `top_10pct / g / b 0.000`, with no word of a cutoff the profile never names).
@Suite struct DefaultCutoffTests {
    @Test func rulesJudgedAtTheDefaultCutoffAreSaid() throws {
        var profile = AuditBehaviourTests.profile(rules: [try VerdictTests.rule("share_of_top_k >= 0.1"),
                                                          try VerdictTests.rule("precision_at_k >= 0.5"),
                                                          try VerdictTests.rule("disparate_impact >= 0.8")])
        let report = try VerdictTests.run(profile)
        #expect(report.notes?.contains("share_of_top_k >= 0.1, precision_at_k >= 0.5 are judged at top_10pct, the default cutoff: the profile has no top-k decision; "
                                       + "add the queue the team works (decisions: - top_k: 500, or - top_k: 5%) to judge them there") == true,
                "\(report.notes ?? [])")
        #expect(profile.summaryLines.contains("  share_of_top_k >= 0.1 (at top_10pct, the default cutoff: the profile has no top-k decision)"),
                "\(profile.summaryLines)")
        #expect(profile.summaryLines.contains("  disparate_impact >= 0.8"))
        // With a top-k decision, its cutoff is named, and nothing is noted.
        profile.decisions.append(.init(name: "top_3", kind: .topCount(3)))
        #expect(try VerdictTests.run(profile).notes?.contains { $0.contains("default cutoff") } != true)
        #expect(profile.summaryLines.contains("  precision_at_k >= 0.5 (at top_3)"), "\(profile.summaryLines)")
    }
}
