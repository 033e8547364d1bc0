import Foundation
import Testing
@testable import Fairlead

/// The terminal report: a first screen with the verdict, the failing rules and their worst
/// groups with real values; every line within 100 display columns; a legend for every
/// mark and abbreviation; groups in their natural order; every finding behind `verbose`.
@Suite struct TerminalRenderingTests {
    static let predeployment = AuditFixtures.root.appendingPathComponent("fixtures/profiles/leads-predeployment.yaml").path

    /// The bundled audit (README's first command).
    static let bundled: AuditReport = {
        do {
            return try Audit(profile: try AuditProfile.load(path: predeployment), threads: 2, clock: AuditFixtures.fixedClock).run()
        } catch {
            preconditionFailure("the bundled audit runs: \(error)")
        }
    }()

    /// Week 2 against week 1 (drift), completed with late labels.
    static let drift: AuditReport = {
        do {
            var report = try HistoryDriftTests.audit(HistoryDriftTests.week2, against: HistoryDriftTests.baseline)
            report.lateLabels = .init(source: "fixtures/leads/leads-week2-outcomes.csv", sha256: String(repeating: "a", count: 64),
                                      idColumn: "lead_id", labelColumn: "converted", labelled: 4040, unlabelled: 960, unmatched: 0,
                                      completes: .init(entry: 2, reportSha256: String(repeating: "b", count: 64)))
            return report
        } catch {
            preconditionFailure("the week 2 audit runs: \(error)")
        }
    }()

    static let explanations: AuditReport = {
        do { return try ExplanationsAuditTests.audit() } catch { preconditionFailure("the explanations audit runs: \(error)") }
    }()

    static let longName = "Région Auvergne-Rhône-Alpes et collectivités d’outre-mer rattachées et zone"
    static let wideName = "東京都港区六本木一丁目の非常に長いグループの名前です"

    /// 36 groups, most with names far wider than a column, some in a wide script, some
    /// small; and a numeric age column cut into bins.
    static let manyGroups: AuditReport = {
        var csv = "id,score,y,g,age\n"
        var row = 0
        for group in 0..<36 {
            let name = group % 6 == 0 ? "\(wideName)\(group)" : "\(longName) \(group)"
            let rows = group % 7 == 3 ? 12 : 40
            for index in 0..<rows {
                row += 1
                let score = Double((row * 37 + group * 11) % 100) / 100 * (group % 5 == 1 ? 0.5 : 1)
                csv += "\(row),\(score),\(index % 3 == 0 ? 1 : 0),\(name),\(18 + (row * 13) % 60)\n"
            }
        }
        var profile = AuditBehaviourTests.profile(rules: [], minimumGroupSize: 30)
        profile.sensitive = [.init(column: "g"), .init(column: "age", bins: SensitiveBins(edges: [25, 35, 45, 55, 65]))]
        do {
            profile.rules = [try AuditProfile.rule("disparate_impact >= 0.8", source: "test"),
                             try AuditProfile.rule("demographic_parity_difference <= 0.1", source: "test")]
            return try VerdictTests.run(profile, csv: csv)
        } catch {
            preconditionFailure("the many-groups audit runs: \(error)")
        }
    }()

    static let reports: [(String, AuditReport)] = [
        ("bundled", bundled), ("drift and late labels", drift), ("explanations", explanations), ("many long groups", manyGroups),
    ]

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test(arguments: [0, 1, 2, 3])
    func everyLineFitsAHundredColumns(_ index: Int) {
        let (name, report) = Self.reports[index]
        for verbose in [false, true] {
            for line in Self.lines(TerminalRendering.render(report, verbose: verbose)) {
                #expect(TerminalWidth.columns(line) <= 100, "\(name), verbose \(verbose): \(line)")
            }
        }
    }

    /// The Markdown and HTML findings tables show the value a between-groups verdict rests
    /// on, as the terminal does: "0.330†" without an interval, the distance measured from it.
    /// They showed the value over every group (1.000, from groups the verdict set aside)
    /// and its interval beside "short by 0.230" measured from 0.330.
    @Test func everyRenderingShowsTheJudgedValue() throws {
        let report = Self.bundled
        let finding = try #require(report.findings.first {
            $0.rule == "equal_opportunity_difference <= 0.1" && $0.attribute == "ethnicity*gender" && $0.decision == "threshold_0.3"
        })
        let judged = try #require(finding.judgedValue), value = try #require(finding.value)
        #expect(abs(judged - value) > 0.1)
        let shown = String(format: "%.3f†", judged)
        let markdown = MarkdownRendering.render(report)
        let row = try #require(markdown.split(separator: "\n").first {
            $0.contains("`equal_opportunity_difference <= 0.1`") && $0.contains("| threshold\\_0.3 | ethnicity\\*gender |")
        })
        #expect(row.contains("| \(shown) | no CI |"), "\(row)")
        #expect(markdown.contains("† = the value among groups with 30+ rows for the rates compared (smaller ones set aside; the value over every group is in the decision's section)"))
        let html = HTMLRendering.render(report)
        #expect(html.contains("<td class=\"n\">\(shown)</td><td class=\"n\">no CI</td>"), "judged value in the HTML tables")
        #expect(html.contains(String(format: "short by %.3f", judged - 0.1)))
        #expect(!html.contains("<td class=\"n\">\(ReportFormatting.number(value))</td><td class=\"n\">\(ReportFormatting.interval(finding.interval))</td>"))
    }

    @Test func theFirstScreenCarriesTheVerdictAndTheWorstGroups() throws {
        let report = Self.bundled
        let text = TerminalRendering.render(report)
        let screen = Self.lines(text).prefix(30)
        let judgement = report.judgement
        #expect(screen[0] == "FAIL  leads-predeployment: \(judgement.rulesJudged) of \(judgement.rules) rules judged · "
                + "\(judgement.passed) passed, \(judgement.failed) failed, \(judgement.insufficientEvidence) insufficient evidence")
        #expect(judgement.failed == 21 && judgement.passed == 33 && judgement.insufficientEvidence == 20)
        #expect(screen.contains("Failed: 3 rules, worst first (value, 95% CI, distance to the limit)"))
        // The four-fifths rule: its failing groups counted, the worst one first, with real values.
        let impact = report.findings.filter { $0.rule == "disparate_impact >= 0.8" }
        let failing = impact.filter { $0.verdict == .fail }
        let heading = try #require(screen.firstIndex { $0.hasPrefix("  disparate_impact >= 0.8: ") })
        // 13 findings fail: 10 groups, some at both decisions, counted once each.
        let groupsFailing = Set(failing.map { [$0.attribute, $0.group ?? ""] }).count
        #expect(groupsFailing == 10 && Set(failing.map(\.decision)).count == 2)
        #expect(screen[heading] == "  disparate_impact >= 0.8: \(failing.count) fail (\(groupsFailing) groups across 2 decisions), "
                + "\(impact.filter { $0.verdict == .pass }.count) pass, "
                + "\(impact.filter { $0.verdict == .insufficientEvidence }.count) insufficient evidence")
        #expect(failing.count == 13)
        let worst = try #require(failing.min { ($0.value ?? 1) < ($1.value ?? 1) })
        #expect(worst.decision == "top_10pct" && worst.group == "black & female")
        let value = try #require(worst.value), interval = try #require(worst.interval)
        let row = screen[heading + 1]
        #expect(row.hasPrefix("    top_10pct / ethnicity*gender / black & female"))
        #expect(row.contains(String(format: "%.3f", value)))
        #expect(row.contains(String(format: "95%% CI %.3f–%.3f", interval[0], interval[1])))
        #expect(row.hasSuffix(String(format: "%.3f below 0.8", 0.8 - value)))
        // A between-groups rule whose small groups were set aside: the value it was judged on, marked.
        let opportunity = try #require(report.findings.first {
            $0.rule == "equal_opportunity_difference <= 0.1" && $0.attribute == "ethnicity*gender" && $0.decision == "threshold_0.3"
        })
        let judged = try #require(opportunity.judgedValue)
        #expect(screen.contains { $0.contains("threshold_0.3 / ethnicity*gender") && $0.contains(String(format: "%.3f†", judged))
                && $0.hasSuffix(String(format: "%.3f above 0.1", judged - 0.1)) })
        #expect(screen.contains("† = the value among groups with 30+ rows for the rates compared (smaller ones set aside)"))
        // What lacked evidence, with the groups' rows against the minimum.
        #expect(screen.contains("Insufficient evidence: 20 findings; what would decide each: --verbose"))
        #expect(screen.contains("  disparate_impact >= 0.8: 16 findings, 8 ethnicity*gender groups under 30 rows (7–22 rows)"))
        #expect(screen.contains { $0.hasPrefix("    asian & nonbinary 7, other & nonbinary 9, ") })
        #expect(screen.contains("All 74 rule findings, each with its reason: --verbose, or --format json|markdown"))
        #expect(screen.contains("95% CI = confidence interval: Wilson for rates, bootstrap (1000 replicates) for disparities"))
        // The first screen ends before the first table.
        let firstTable = try #require(Self.lines(text).firstIndex { $0.hasPrefix("Decision ") })
        #expect(firstTable <= 30)
    }

    @Test func driftAndProxyFailuresAreOnTheFirstScreen() throws {
        let drift = Self.lines(TerminalRendering.render(Self.drift))
        let firstTable = try #require(drift.firstIndex { $0.hasPrefix("Decision ") })
        let screen = drift.prefix(firstTable)
        // Wrapped lines joined again, to read what the screen says.
        let said = screen.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(said.contains("labels fixtures/leads/leads-week2-outcomes.csv joined on lead_id: 4040 rows labelled, 960 not yet · completes entry 2"))
        #expect(screen.contains { $0.hasPrefix("DRIFT  leads-weekly against entry 1 (as of 2026-03-02): 2 drifted, ") })
        let psi = try #require(Self.drift.drift?.findings.first { $0.kind == .psi && $0.verdict == .fail })
        #expect(screen.contains(String(format: "  score PSI at ethnicity / hispanic: PSI %.3f (p < 0.0001), %.3f beyond 0.25",
                                       psi.change ?? 0, (psi.change ?? 0) - 0.25)))
        let difference = try #require(Self.drift.drift?.findings.first { $0.kind == .groupDifference && $0.verdict == .fail })
        #expect(said.contains(String(format: "selection_rate difference to the reference at threshold_0.3 / ethnicity / hispanic: "
                                     + "%.3f → %.3f, changed by %.3f (99%% simultaneous CI %.3f to %.3f), %.3f beyond ±0.05",
                                     difference.baseline ?? 0, difference.current ?? 0, difference.change ?? 0,
                                     difference.interval?[0] ?? 0, difference.interval?[1] ?? 0, abs(difference.change ?? 0) - 0.05)))

        let explanations = Self.lines(TerminalRendering.render(Self.explanations))
        let proxies = try #require(Self.explanations.explanations?.findings)
        let failed = proxies.filter { $0.verdict == .fail }
        #expect(failed.count == 3)
        let heading = try #require(explanations.firstIndex { $0 == "FAIL  proxy checks: 3 of \(proxies.count) failed" })
        #expect(heading < 30)
        #expect(explanations[heading + 1].hasPrefix("  postal_area stands in for ethnicity"))
    }

    @Test func everyMarkAndAbbreviationHasALegend() {
        for (name, report) in Self.reports {
            let text = TerminalRendering.render(report)
            let lines = Self.lines(text)
            if lines.contains(where: { $0.contains("†") && !$0.hasPrefix("†") }) {
                #expect(lines.contains { $0.hasPrefix("† = the value among groups") }, "\(name)")
            }
            // A group table's mark column holds `*` for small groups.
            if lines.contains(where: { $0.range(of: #"  \*  +[0-9]"#, options: .regularExpression) != nil }) {
                #expect(text.contains("* = fewer than \(report.settings.minimumGroupSize) rows"), "\(name)")
            }
            if lines.contains(where: { $0.hasSuffix(" n/a") || $0.contains(" n/a ") }) {
                #expect(text.contains("n/a = undefined"), "\(name)")
            }
            for (abbreviation, meaning) in [("sel", "selection rate"), ("TPR", "true positive rate"), ("prec", "precision"),
                                            ("CITL", "calibration in the large"), ("KS", "Kolmogorov–Smirnov")] {
                if lines.contains(where: { $0.range(of: "(^| )\(abbreviation)( |$)", options: .regularExpression) != nil
                                           && $0.contains("──") == false && !$0.contains(" = ") }) {
                    #expect(text.contains("\(abbreviation) = \(meaning)"), "\(name): \(abbreviation)")
                }
            }
        }
        #expect(TerminalRendering.render(Self.manyGroups).contains("* = fewer than 30 rows"))
    }

    @Test func longGroupNamesAreShortenedWithAnEllipsis() {
        let lines = Self.lines(TerminalRendering.render(Self.manyGroups))
        #expect(lines.contains { $0.contains("Région Auvergne-Rhône-Alpes") && $0.contains("…") })
        #expect(lines.contains { $0.contains("東京都港区") && $0.contains("…") })
        #expect(!lines.contains { $0.contains(Self.longName) })
    }

    @Test func binsAndGroupsComeInTheirNaturalOrder() throws {
        let lines = Self.lines(TerminalRendering.render(Self.manyGroups))
        let heading = try #require(lines.firstIndex { $0.hasPrefix("  age, reference") })
        let rows = lines[(heading + 3)...].prefix { !$0.hasPrefix("  (overall)") }.map { $0.split(separator: " ").first.map(String.init) ?? "" }
        #expect(rows == ["<25", "25-34", "35-44", "45-54", "55-64", "65+"])
        #expect(ReportFormatting.orderedNames(["65+", "unknown", "25-34", "<25", "0.5 to <1.5"], counts: [:], reference: nil)
                == ["<25", "0.5 to <1.5", "25-34", "65+", "unknown"])
        #expect(ReportFormatting.orderedNames(["white", "black", "asian", "unknown"], counts: ["white": 5, "black": 9, "asian": 1],
                                              reference: "white") == ["white", "black", "asian", "unknown"])
        // The bundled age bands: in order, the reference 25-34 second, unknown last.
        let bundled = Self.lines(TerminalRendering.render(Self.bundled))
        let ages = try #require(bundled.firstIndex { $0 == "  age_band, reference 25-34" })
        #expect(bundled[(ages + 3)...].prefix(6).map { $0.split(separator: " ").first.map(String.init) ?? "" }
                == ["18-24", "25-34", "35-44", "45-54", "55+", "unknown"])
    }

    @Test func verboseListsEveryFinding() {
        for (name, report) in Self.reports {
            let brief = TerminalRendering.render(report)
            let verbose = TerminalRendering.render(report, verbose: true)
            #expect(verbose.hasPrefix(brief.prefix { $0 != "\n" }), "\(name)")
            // Each finding's reason is there, whole, once the wrapped lines are joined.
            let joined = Self.lines(verbose).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            for finding in report.findings {
                #expect(joined.contains(TerminalEscaping.visible(finding.reason)), "\(name): \(finding.reason)")
            }
            for finding in report.explanations?.findings ?? [] {
                #expect(joined.contains(finding.reason), "\(name): \(finding.reason)")
            }
            let verdicts = Self.lines(verbose).filter { $0.hasPrefix("    PASS  ") || $0.hasPrefix("    FAIL  ")
                || $0.hasPrefix("    INSUFFICIENT EVIDENCE  ") }
            #expect(verdicts.count == report.findings.count, "\(name)")
            #expect(!brief.contains("Every finding"))
        }
    }

    @Test func colourIsOnlyOnWordsThatSayItToo() {
        let plain = TerminalRendering.render(Self.bundled)
        let coloured = TerminalRendering.render(Self.bundled, colour: true)
        #expect(!plain.contains("\u{1B}"))
        #expect(coloured.contains("\u{1B}[1;31mFAIL\u{1B}[0m  leads-predeployment"))
        let stripped = coloured.replacingOccurrences(of: #"\x{1B}\[[0-9;]*m"#, with: "", options: .regularExpression)
        #expect(stripped == plain)
    }

    @Test func wrappingKeepsEveryCharacter() {
        let text = "  " + (0..<40).map { "word\($0)" }.joined(separator: " ") + " " + String(repeating: "x", count: 150)
        let lines = TerminalWidth.wrapped(text, width: 30, continuation: "      ")
        #expect(lines.allSatisfy { TerminalWidth.columns($0) <= 30 })
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("      ") })
        #expect(lines.joined().filter { $0 != " " } == text.filter { $0 != " " })
        #expect(TerminalWidth.columns("東京 ab") == 7)
        #expect(TerminalWidth.truncated("東京都港区", to: 6) == "東京…")
    }
}
