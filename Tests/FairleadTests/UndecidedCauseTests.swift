import Foundation
import Testing
@testable import Fairlead

/// Every undecided finding carries the cause ``FindingJudge`` gave it, each cause on a
/// real audit; the terminal summary groups by that cause, never by the reason's words; a
/// saved report without causes still renders, and one whose causes no audit writes is
/// refused.
@Suite struct UndecidedCauseTests {
    static func rule(_ expression: String) throws -> AuditProfile.RuleSpec {
        try AuditProfile.rule(expression, source: "test")
    }

    /// Two groups of 100 rows (see ``VerdictTests/twoGroupsCSV(aSelected:bSelected:rows:)``)
    /// and a group c of 5 rows, half of them selected.
    static let withSmallGroup = VerdictTests.twoGroupsCSV() + "0.9,1,c\n0.1,0,c\n0.9,0,c\n0.1,1,c\n0.1,0,c\n"

    /// The terminal text with its wrapped lines joined: runs of spaces and line breaks as one space.
    static func unwrapped(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ") + " "
    }

    /// The rule's undecided findings of an audit that gives `cause`, and the report.
    static func audit(giving cause: AuditReport.UndecidedCause) throws -> (report: AuditReport, undecided: [AuditReport.Finding]) {
        func profile(_ rules: [String], minimumGroupSize: Int = 1) throws -> AuditProfile {
            AuditBehaviourTests.profile(rules: try rules.map(Self.rule), minimumGroupSize: minimumGroupSize)
        }
        var report: AuditReport
        switch cause {
        case .tooFewRows:
            // c has one actual positive: 1 row for the true positive rate, under the minimum
            // of 2. (With none, its rate is undefined: value_undefined.)
            let csv = AuditBehaviourTests.csv + "11,0.9,1,c\n12,0.2,0,c\n"
            report = try VerdictTests.run(try profile(["true_positive_rate >= 0.5"], minimumGroupSize: 2), csv: csv)
        case .smallGroupsSetAside:
            // 0.5 − 0.36 = 0.14 between a and b holds; c's 5 rows could change it.
            report = try VerdictTests.run(try profile(["demographic_parity_difference <= 0.5"], minimumGroupSize: 30), csv: withSmallGroup)
        case .nothingToCompare:
            report = try VerdictTests.run(try profile(["demographic_parity_difference <= 0.5"]),
                                          csv: "score,y,g\n0.9,1,a\n0.1,0,a\n0.8,0,a\n")
        case .noLabels:
            report = try VerdictTests.run(AuditBehaviourTests.profile(label: nil, rules: [try Self.rule("equal_opportunity_difference <= 0.1")]))
        case .selectsAllOrNone:
            var selectsNone = try profile(["disparate_impact >= 0.8"])
            selectsNone.decisions = [.init(name: "d", kind: .threshold(0.95))]
            report = try VerdictTests.run(selectsNone)
        case .tiedAtCutoff:
            // Rows 1 (group a) and 9 (group b) tie at 0.9: the top 1 takes row 1 by row order.
            var tied = try profile(["disparate_impact >= 0.8"])
            tied.decisions = [.init(name: "d", kind: .topCount(1))]
            report = try VerdictTests.run(tied)
            #expect(report.decisions["d"]?.tieAtCutoff == .init(score: 0.9, tied: 2, selected: 1))
        case .notApplicable:
            var percent = try profile(["expected_calibration_error <= 0.1"])
            percent.data.scoreRange = 0...100
            percent.decisions = [.init(name: "d", kind: .threshold(50))]
            report = try VerdictTests.run(percent, csv: VerdictTests.percentCSV)
        case .valueUndefined:
            // d selects no one: disparate impact against it divides by zero.
            var versusD = AuditBehaviourTests.profile(rules: [try Self.rule("disparate_impact >= 0.8")], reference: .group("d"))
            versusD.settings.minimumGroupSize = 1
            report = try VerdictTests.run(versusD, csv: AuditBehaviourTests.csv + "13,0.2,0,d\n14,0.1,1,d\n")
        case .scoreGrid:
            let data = StatisticsGridTests.randomRows(seed: 12, count: 1_000, lattice: nil, weighted: false)
            var grid = StatisticsGridTests.randomProfile(weighted: false, bins: 100)
            grid.rules = [.init(metric: .precisionAtK, comparison: .atLeast, bound: 0, attributes: ["region"])]
            grid.settings.verdict = .interval
            report = try StatisticsGridTests.audits(profile: grid, header: data.header, rows: data.rows, cuts: [400]).grid
        case .noInterval:
            // The queue's AUC carries no interval.
            var interval = try profile(["auc >= 0.5"], minimumGroupSize: 30)
            interval.settings.verdict = .interval
            report = try VerdictTests.run(interval, csv: VerdictTests.twoGroupsCSV())
        case .intervalStraddles:
            // b's selection rate 0.36, its Wilson interval at 97.5% [0.27, 0.46] around 0.3.
            var interval = try profile(["selection_rate >= 0.3"], minimumGroupSize: 30)
            interval.settings.verdict = .interval
            report = try VerdictTests.run(interval, csv: VerdictTests.twoGroupsCSV())
        case .noise:
            // Drift checks only, whose findings carry no cause: no rule finding has it.
            return (try VerdictTests.run(try profile([])), [])
        case .withheld:
            // c's 5 rows are under min_cell: its undecided selection rate loses its numbers and reason.
            let full = try VerdictTests.run(try profile(["selection_rate >= 0.3"], minimumGroupSize: 30), csv: withSmallGroup)
            #expect(full.findings(.selectionRate, group: "c").first?.undecidedCause == .tooFewRows)
            report = try PublishedReport.suppressed(full, policy: PrivacyPolicy(minimumCell: 10))
        }
        return (report, report.findings.filter { $0.verdict == .insufficientEvidence })
    }

    @Test(arguments: AuditReport.UndecidedCause.allCases.filter { $0 != .noise })
    func eachCauseIsSetWhereTheVerdictIsMade(cause: AuditReport.UndecidedCause) throws {
        let (report, undecided) = try Self.audit(giving: cause)
        #expect(undecided.contains { $0.undecidedCause == cause },
                "\(cause): \(undecided.map { "\($0.undecidedCause?.rawValue ?? "none"): \($0.reason)" })")
        // Every undecided finding has a cause, and no other finding has one.
        #expect(undecided.allSatisfy { $0.undecidedCause != nil })
        #expect(report.findings.allSatisfy { ($0.verdict == .insufficientEvidence) == ($0.undecidedCause != nil) })
        // The JSON writes it as the schema says, and reads it back.
        let json = try report.jsonData()
        #expect(String(decoding: json, as: UTF8.self).contains("\"undecided_cause\" : \"\(cause.rawValue)\""))
        #expect(try AuditReport.decode(json: json).findings == report.findings)
    }

    /// A differentially private release keeps only the verdicts: why a finding is
    /// undecided rests on the full data too, and is withheld as its reason is.
    @Test func aReleaseWithholdsWhyAFindingIsUndecided() throws {
        let full = try VerdictTests.run(AuditBehaviourTests.profile(rules: [try Self.rule("selection_rate >= 0.3")], minimumGroupSize: 30),
                                        csv: Self.withSmallGroup)
        #expect(full.findings(.selectionRate, group: "c").first?.undecidedCause == .tooFewRows)
        var generator = SeededGenerator(seed: 1)
        let released = try PublishedReport.make(from: full, policy: PrivacyPolicy(epsilon: PrivacyBudgetAmount(decimal: "1"),
                                                                                  budget: PrivacyBudgetAmount(decimal: "3")),
                                                declaredGroups: ["g": DeclaredGroups(names: ["a", "b", "c"])], using: &generator)
        #expect(released.findings.map(\.verdict) == full.findings.map(\.verdict))
        #expect(released.findings.contains { $0.verdict == .insufficientEvidence })
        #expect(released.findings.allSatisfy { $0.undecidedCause == ($0.verdict == .insufficientEvidence ? .withheld : nil) },
                "\(released.findings)")
    }

    /// A between-groups value judged under `verdict: interval` with a small group set
    /// aside: its cause is that the metric carries no interval (more rows would not give
    /// it one), though a value among the others was judged.
    @Test func aSetAsideValueWithoutAnIntervalHasNoIntervalToJudge() throws {
        var profile = AuditBehaviourTests.profile(rules: [try Self.rule("auc_difference <= 0.9")], minimumGroupSize: 30)
        profile.settings.verdict = .interval
        let report = try VerdictTests.run(profile, csv: Self.withSmallGroup)
        let finding = try #require(report.findings(.aucDifference).first)
        #expect(finding.verdict == .insufficientEvidence && finding.judgedValue != nil, "\(finding)")
        #expect(finding.undecidedCause == .noInterval, "\(finding)")
        #expect(Self.unwrapped(TerminalRendering.render(report)).contains(" auc_difference <= 0.9: 1 finding, no interval to judge: g at queue "),
                "\(TerminalRendering.render(report))")
    }

    /// The summary groups one rule's undecided places by cause, whatever the reasons say:
    /// a reason reworded (here, every reason replaced) files nothing elsewhere.
    @Test func theTerminalSummaryGroupsByCauseNotByReason() throws {
        var profile = AuditBehaviourTests.profile(rules: [try Self.rule("auc >= 0.5")], minimumGroupSize: 30)
        profile.settings.verdict = .interval
        var report = try VerdictTests.run(profile, csv: Self.withSmallGroup)
        let causes = Dictionary(uniqueKeysWithValues: report.findings.compactMap { finding in finding.group.map { ($0, finding.undecidedCause) } })
        #expect(causes == ["a": .noInterval, "b": .noInterval, "c": .tooFewRows], "\(report.findings)")
        for index in report.findings.indices { report.findings[index].reason = "reworded" }
        let text = Self.unwrapped(TerminalRendering.render(report))
        #expect(text.contains(" auc >= 0.5: 3 findings, no interval to judge: g / a at queue; g / b at queue; too few rows: g / c at queue "),
                "\(text)")
    }

    /// A report saved before `undecided_cause` renders, its undecided places under a
    /// generic cause, not one guessed from their reasons.
    @Test func aReportWithoutCausesRendersUnderAGenericCause() throws {
        var profile = AuditBehaviourTests.profile(rules: [try Self.rule("auc >= 0.5")], minimumGroupSize: 30)
        profile.settings.verdict = .interval
        let report = try VerdictTests.run(profile, csv: Self.withSmallGroup)
        var json = try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
        json["findings"] = (json["findings"] as? [[String: Any]] ?? []).map { finding in
            var finding = finding
            finding["undecided_cause"] = nil
            return finding
        }
        let saved = try AuditReport.decode(json: try JSONSerialization.data(withJSONObject: json))
        #expect(saved.findings.allSatisfy { $0.undecidedCause == nil })
        let text = Self.unwrapped(TerminalRendering.render(saved))
        #expect(text.contains(" auc >= 0.5: 3 findings, cause not recorded in this report: g / a at queue; g / b at queue; g / c at queue"),
                "\(text)")
        #expect(!MarkdownRendering.render(saved).isEmpty && !HTMLRendering.render(saved).isEmpty)
    }

    /// A cause no audit writes — an unknown one, or one on a finding that passed or
    /// failed — is refused when the report is read, naming the finding.
    @Test func aReportWithACauseNoAuditWritesIsRefused() throws {
        var profile = AuditBehaviourTests.profile(rules: [try Self.rule("selection_rate >= 0.3")], minimumGroupSize: 30)
        profile.settings.verdict = .interval
        let report = try VerdictTests.run(profile, csv: VerdictTests.twoGroupsCSV())
        let passed = try #require(report.findings.firstIndex { $0.verdict == .pass })
        let undecided = try #require(report.findings.firstIndex { $0.verdict == .insufficientEvidence })
        func edited(_ index: Int, cause: String) throws -> Data {
            var json = try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
            var findings = json["findings"] as? [[String: Any]] ?? []
            findings[index]["undecided_cause"] = cause
            json["findings"] = findings
            return try JSONSerialization.data(withJSONObject: json)
        }
        let unknown = #expect(throws: FairleadError.self) { try AuditReport.decode(json: try edited(undecided, cause: "too_few_leads")) }
        #expect(unknown?.message == "not a valid Fairlead report of schema version 2: bad value at findings[\(undecided)].undecided_cause: "
                + "'too_few_leads' is not a cause of an undecided finding (one of "
                + AuditReport.UndecidedCause.allCases.map(\.rawValue).joined(separator: ", ") + ")", "\(unknown?.message ?? "")")
        let onPass = #expect(throws: FairleadError.self) { try AuditReport.decode(json: try edited(passed, cause: "too_few_rows")) }
        #expect(onPass?.message == "not a report as `fairlead audit` writes it: findings[\(passed)] (selection_rate >= 0.3, t05 / g / a) "
                + "says pass, but has undecided_cause too_few_rows: only an insufficient_evidence finding has a cause; it was changed "
                + "after the audit wrote it (audit the data again, or restore the report)", "\(onPass?.message ?? "")")
    }
}
