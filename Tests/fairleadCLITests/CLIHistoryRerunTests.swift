import Foundation
import Testing

/// `fairlead history label` keeps the label-free numbers and intervals; `fairlead audit
/// --history` does not append the same audit twice unless `--rerun`.
@Suite struct CLIHistoryRerunTests {
    /// Every estimate with a value under `decisions.threshold_0.3.attributes.*` of a JSON
    /// report — group metrics, disparities and fairness values — keyed by its path, as
    /// canonical JSON (value, interval, numerator, denominator).
    static func estimates(_ json: String) throws -> [String: String] {
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let decisions = try #require(report["decisions"] as? [String: Any])
        let decision = try #require(decisions["threshold_0.3"] as? [String: Any])
        let attributes = try #require(decision["attributes"] as? [String: [String: Any]])
        var found: [String: String] = [:]
        func collect(_ node: Any, path: String) throws {
            guard let object = node as? [String: Any] else { return }
            if object["value"] != nil, object["interval"] != nil || object["numerator"] != nil {
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                found[path] = String(decoding: data, as: UTF8.self)
                return
            }
            for (key, child) in object { try collect(child, path: path + "." + key) }
        }
        for (name, section) in attributes {
            for key in ["groups", "overall", "disparities", "fairness"] {
                try collect(section[key] ?? [:], path: name + "." + key)
            }
        }
        return found
    }

    @Test func lateLabelsKeepTheLabelFreeNumbersAndTheirIntervals() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let history = folder.appendingPathComponent("audits.sqlite").path
        let profile = try CLIHistory.quick(CLIHistory.reaudit, in: folder)
        // Every lead's outcome: the completed audit leaves no row out.
        let leads = try String(contentsOf: CLIProcess.packageRoot.appendingPathComponent("fixtures/leads/leads-sample.csv"),
                               encoding: .utf8)
        let outcomes = leads.split(separator: "\n").map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            return "\(fields[0]),\(fields[fields.count - 1])"
        }.joined(separator: "\n") + "\n"
        let labels = folder.appendingPathComponent("outcomes.csv").path
        try outcomes.write(toFile: labels, atomically: true, encoding: .utf8)

        let original = try CLIHistory.run(["audit", "--profile", profile, "--history", history, "--as-of", "2026-03-02",
                                           "--threads", "2", "--format", "json"])
        #expect(original.standardError == "fairlead: appended entry 1 to \(history)\n")
        let completed = try CLIHistory.run(["history", "label", "--history", history, "--entry", "1", "--labels", labels,
                                            "--id", "lead_id", "--label", "converted", "--threads", "1", "--format", "json"])
        #expect(completed.standardError == "fairlead: appended entry 2 to \(history), completing entry 1\n")
        #expect(completed.standardOutput.contains("\"labelled\" : 5000"))

        let before = try Self.estimates(original.standardOutput)
        let after = try Self.estimates(completed.standardOutput)
        // Group selection rates and mean scores, their disparities, demographic parity and
        // disparate impact, for three attributes, each with its interval.
        #expect(before.count > 100)
        #expect(before.values.allSatisfy { $0.contains("\"interval\"") })
        for path in ["ethnicity.groups.black.metrics.selection_rate", "ethnicity.disparities.selection_rate.ratio_to_reference.black",
                     "gender.disparities.selection_rate.difference_between_groups", "age_band.fairness.demographic_parity_ratio"] {
            #expect(before[path] != nil, "\(path) is compared")
        }
        for (path, estimate) in before.sorted(by: { $0.key < $1.key }) {
            if path.contains("mean_score") {
                // Score sums are split by label into confusion cells, so they are added in
                // another order: the same up to rounding (the random draws are the same).
                #expect(try Self.numbers(after[path] ?? "{}", closeTo: Self.numbers(estimate)), "\(path) changed with late labels")
            } else {
                #expect(after[path] == estimate, "\(path) changed with late labels")
            }
        }
        // The labels added label-dependent estimates.
        #expect(after.keys.contains { $0.hasSuffix("disparities.true_positive_rate.difference_between_groups") })
    }

    @Test func theSameAuditAsOfTheSameTimeIsAppendedOnlyWithRerun() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let history = folder.appendingPathComponent("audits.sqlite").path
        let profile = try CLIHistory.quick(CLIHistory.reaudit, in: folder)
        let arguments = ["audit", "--profile", profile, "--history", history, "--as-of", "2026-03-02", "--threads", "1", "--format", "json"]
        let first = try CLIHistory.run(arguments)
        #expect(first.exitCode == 1)
        #expect(first.standardError == "fairlead: appended entry 1 to \(history)\n")

        let again = try CLIHistory.run(arguments)
        #expect(again.exitCode == 1)
        #expect(again.standardOutput == first.standardOutput.replacingOccurrences(of: Self.generatedAt(first.standardOutput),
                                                                                   with: Self.generatedAt(again.standardOutput)))
        let digest = try #require(Self.dataDigest(first.standardOutput))
        let profileDigest = try #require(Self.profileDigest(first.standardOutput))
        #expect(again.standardError == "fairlead: entry 1 of \(history) already holds leads-reaudit (profile SHA-256 \(profileDigest.prefix(12))…) on this data (SHA-256 \(digest.prefix(12))…) as of 2026-03-02T00:00:00Z; appended nothing (pass --rerun to append a re-run)\n")
        #expect(try CLIHistory.run(["history", "verify", "--history", history]).standardOutput
                == "INTACT  1 entry: every report, metric row and link checks out\n")

        // Other data as of the same week is another audit.
        let otherData = try CLIHistory.run(arguments + ["--data", CLIHistory.week2])
        #expect(otherData.standardError == "fairlead: appended entry 2 to \(history)\n")

        let rerun = try CLIHistory.run(arguments + ["--rerun"])
        #expect(rerun.exitCode == 1)
        #expect(rerun.standardError == "fairlead: appended entry 3 to \(history), a re-run of entry 1\n")
        let verify = try CLIHistory.run(["history", "verify", "--history", history])
        #expect(verify.standardOutput == "INTACT  3 entries: every report, metric row and link checks out\n")
        #expect(verify.exitCode == 0)
        let rerunAgain = try CLIHistory.run(arguments + ["--rerun"])
        #expect(rerunAgain.standardError == "fairlead: appended entry 4 to \(history), a re-run of entry 3\n")

        let usage = try CLIHistory.run(["audit", "--profile", profile, "--rerun"])
        #expect(usage.exitCode == 2)
        #expect(usage.standardError.contains("--rerun is about the history; give --history too"))
        // Without --as-of an audit is never a re-run: --rerun was ignored, silently.
        let timeless = try CLIHistory.run(["audit", "--profile", profile, "--history", history, "--rerun"])
        #expect(timeless.exitCode == 2)
        #expect(timeless.standardError.contains("without --as-of an audit describes the time it runs and is never a re-run: give --as-of too"))
        // A re-run of nothing (another week, mistyped) is appended, and said not to be one.
        let nothing = try CLIHistory.run(["audit", "--profile", profile, "--history", history, "--as-of", "2026-03-03",
                                          "--threads", "1", "--format", "json", "--rerun"])
        #expect(nothing.standardError == "fairlead: appended entry 5 to \(history), not a re-run: no entry holds leads-reaudit on this data as of 2026-03-03T00:00:00Z\n")
    }

    /// A re-run repeats a week already in the history: trends (text, Markdown, JSON and the
    /// HTML page's charts) show the latest run of each audit and say which runs they left
    /// out; `--all-runs` shows every run, marked. They counted the week twice.
    @Test func trendsShowTheLatestRunOfEachAudit() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let history = folder.appendingPathComponent("audits.sqlite").path
        let profile = try CLIHistory.quick(CLIHistory.reaudit, in: folder)
        let week1 = ["audit", "--profile", profile, "--history", history, "--as-of", "2026-03-02", "--threads", "1", "--format", "json"]
        let first = try CLIHistory.run(week1)
        #expect(first.standardError == "fairlead: appended entry 1 to \(history)\n")
        let week2 = try CLIHistory.run(["audit", "--profile", profile, "--data", CLIHistory.week2, "--history", history,
                                        "--as-of", "2026-03-09", "--threads", "1", "--format", "json"])
        #expect(week2.standardError == "fairlead: appended entry 2 to \(history)\n")
        #expect(try CLIHistory.run(week1 + ["--rerun"]).standardError == "fairlead: appended entry 3 to \(history), a re-run of entry 1\n")
        #expect(try CLIHistory.run(week1 + ["--rerun"]).standardError == "fairlead: appended entry 4 to \(history), a re-run of entry 3\n")
        let rates1 = try CLIHistoryTests.selectionRates(first.standardOutput, attribute: "ethnicity")
        let rates2 = try CLIHistoryTests.selectionRates(week2.standardOutput, attribute: "ethnicity")

        let show = try CLIHistory.run(["history", "show", "--history", history, "--attribute", "ethnicity"])
        #expect(show.exitCode == 0)
        let lines = show.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map { $0.split(separator: " ").map(String.init) }
        #expect(lines[1] == ["entry", "as", "of", "status", "drift", "re-runs", "asian", "black", "hispanic", "other", "white", "(overall)"])
        #expect(lines[3] == ["4", "2026-03-02", "fail", "—", "entry", "3"] + rates1)
        #expect(lines[4] == ["2", "2026-03-09", "fail", "—"] + rates2)
        #expect(show.standardOutput.hasSuffix("\n\nleft out for a later re-run: entries 1 and 3 (re-run as entry 4); --all-runs shows every run\n"))
        #expect(lines.count == 8)

        let all = try CLIHistory.run(["history", "show", "--history", history, "--attribute", "ethnicity", "--all-runs"])
        let allLines = all.standardOutput.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(allLines.count == 7)
        // Every run, in as-of order; the re-runs' column names the runs they repeat.
        #expect(allLines[3...].map { Array($0.prefix(6)) } == [
            ["1", "2026-03-02", "fail", "—", rates1[0], rates1[1]], ["3", "2026-03-02", "fail", "—", "entry", "1"],
            ["4", "2026-03-02", "fail", "—", "entry", "3"], ["2", "2026-03-09", "fail", "—", rates2[0], rates2[1]],
        ])
        #expect(!all.standardOutput.contains("left out"))

        let markdown = try CLIHistory.run(["history", "show", "--history", history, "--metric", "demographic_parity_difference",
                                           "--format", "markdown"])
        #expect(markdown.standardOutput.contains("| entry | as of | status | drift | re-runs | age\\_band | ethnicity | gender |\n"))
        #expect(markdown.standardOutput.contains("\n| 4 | 2026-03-02 | fail | — | entry 3 | "))
        #expect(!markdown.standardOutput.contains("\n| 1 | "))
        #expect(markdown.standardOutput.hasSuffix("\n\nleft out for a later re-run: entries 1 and 3 (re-run as entry 4); --all-runs shows every run\n"))

        let json = try CLIHistory.run(["history", "show", "--history", history, "--attribute", "ethnicity", "--format", "json"])
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let superseded = try #require(parsed["superseded"] as? [[String: Int]])
        #expect(superseded == [["entry": 1, "by": 4], ["entry": 3, "by": 4]])
        let tables = try #require(parsed["tables"] as? [[String: Any]])
        let rows = try #require(tables.first?["rows"] as? [[String: Any]])
        #expect(rows.map { $0["entry"] as? Int } == [4, 2])
        #expect(rows.map { $0["reruns"] as? Int } == [3, nil])

        let page = try CLIHistory.run(["history", "show", "--history", history, "--format", "html"])
        #expect(page.standardOutput.contains("The charts draw the latest run of each audit; they leave out entries 1 and 3 (re-run as entry 4)."))
        #expect(page.standardOutput.contains("#4 2026-03-02") && !page.standardOutput.contains("#1 2026-03-02"))
        let allPage = try CLIHistory.run(["history", "show", "--history", history, "--format", "html", "--all-runs"])
        #expect(allPage.standardOutput.contains("#1 2026-03-02") && !allPage.standardOutput.contains("The charts draw the latest"))

        let refused = try CLIHistory.run(["history", "show", "--history", history, "--entry", "1", "--all-runs"])
        #expect(refused.exitCode == 2)
        #expect(refused.standardError.contains("--all-runs are for trends"))
    }

    /// Another profile under the same name is another audit: two ad hoc audits (each called
    /// `ad-hoc`) with other rules, two profile files sharing a `name:`, and a `--rule` given
    /// over a profile file. The re-run check matched the name, so the failing audit of the
    /// day was not appended ("entry 1 … already holds ad-hoc on this data") and the history
    /// read PASS for it.
    @Test func anotherProfileUnderTheSameNameIsAnotherEntry() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let history = folder.appendingPathComponent("audits.sqlite").path
        let adHoc = ["audit", "--data", "fixtures/leads/leads-sample.csv", "--score", "score", "--sensitive", "ethnicity",
                     "--reference", "ethnicity=white", "--threshold", "0.3", "--history", history, "--as-of", "2026-03-02",
                     "--threads", "1", "--format", "json"]
        let lenient = try CLIHistory.run(adHoc + ["--rule", "disparate_impact >= 0.1"])
        #expect(lenient.exitCode == 0)
        #expect(lenient.standardError == "fairlead: appended entry 1 to \(history)\n")
        let strict = try CLIHistory.run(adHoc + ["--rule", "disparate_impact >= 0.99"])
        #expect(strict.exitCode == 1)
        #expect(strict.standardError == "fairlead: appended entry 2 to \(history)\n")
        #expect(Self.profileDigest(strict.standardOutput) != Self.profileDigest(lenient.standardOutput))
        // The same flags again are a re-run of the entry that holds them.
        let again = try CLIHistory.run(adHoc + ["--rule", "disparate_impact >= 0.99"])
        #expect(again.exitCode == 1)
        let profileDigest = try #require(Self.profileDigest(strict.standardOutput))
        let dataDigest = try #require(Self.dataDigest(strict.standardOutput))
        #expect(again.standardError == "fairlead: entry 2 of \(history) already holds ad-hoc (profile SHA-256 \(profileDigest.prefix(12))…) on this data (SHA-256 \(dataDigest.prefix(12))…) as of 2026-03-02T00:00:00Z; appended nothing (pass --rerun to append a re-run)\n")

        // Two profile files named leads-reaudit, and a rule given over one of them.
        let profile = try CLIHistory.quick(CLIHistory.reaudit, in: folder)
        let stricter = folder.appendingPathComponent("stricter-reaudit.yaml").path
        try (try String(contentsOfFile: profile, encoding: .utf8) + "rules:\n  - disparate_impact >= 0.99\n")
            .write(toFile: stricter, atomically: true, encoding: .utf8)
        let fromFile = ["--history", history, "--as-of", "2026-03-02", "--threads", "1", "--format", "json"]
        let first = try CLIHistory.run(["audit", "--profile", profile] + fromFile)
        #expect(first.standardError == "fairlead: appended entry 3 to \(history)\n")
        let second = try CLIHistory.run(["audit", "--profile", stricter] + fromFile)
        #expect(second.standardError == "fairlead: appended entry 4 to \(history)\n")
        let withRule = try CLIHistory.run(["audit", "--profile", profile, "--rule", "demographic_parity_difference <= 0.01"] + fromFile)
        #expect(withRule.standardError == "fairlead: appended entry 5 to \(history)\n")
        let verify = try CLIHistory.run(["history", "verify", "--history", history])
        #expect(verify.standardOutput == "INTACT  5 entries: every report, metric row and link checks out\n")
    }

    /// An ad hoc audit's entry is completed with late labels: its profile is rebuilt from
    /// its report (checked against the SHA-256 it recorded). `history label` asked for a
    /// `--profile`, and no file can have the SHA-256 of an ad hoc audit's flags.
    @Test func anAdHocEntryIsCompletedWithLateLabels() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let history = folder.appendingPathComponent("audits.sqlite").path
        let original = try CLIHistory.run(["audit", "--data", CLIHistory.week2, "--score", "score", "--sensitive", "ethnicity,gender",
                                           "--threshold", "0.3", "--top-k", "10%", "--rule", "disparate_impact >= 0.8",
                                           "--history", history, "--as-of", "2026-03-09", "--threads", "1", "--format", "json"])
        #expect(original.standardError == "fairlead: appended entry 1 to \(history)\n")
        #expect(!original.standardOutput.contains("true_positive_rate"))
        let completed = try CLIHistory.run(["history", "label", "--history", history, "--entry", "1", "--labels", CLIHistory.outcomes,
                                            "--id", "lead_id", "--label", "converted", "--threads", "1", "--format", "json"])
        #expect(completed.standardError == "fairlead: appended entry 2 to \(history), completing entry 1\n")
        #expect(completed.standardOutput.contains("true_positive_rate"))
        #expect(Self.profileDigest(completed.standardOutput) == Self.profileDigest(original.standardOutput))
        let report = try #require(try JSONSerialization.jsonObject(with: Data(completed.standardOutput.utf8)) as? [String: Any])
        let lateLabels = try #require(report["late_labels"] as? [String: Any])
        #expect((lateLabels["completes"] as? [String: Any])?["entry"] as? Int == 1)
        let verify = try CLIHistory.run(["history", "verify", "--history", history])
        #expect(verify.standardOutput == "INTACT  2 entries: every report, metric row and link checks out\n")
    }

    /// The value and interval endpoints of an estimate's canonical JSON.
    static func numbers(_ json: String) throws -> [Double] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return [object["value"] as? Double ?? .nan] + (object["interval"] as? [Double] ?? [])
    }

    /// Whether an estimate's numbers equal `expected` within a relative 1e-12.
    static func numbers(_ json: String, closeTo expected: [Double]) throws -> Bool {
        let actual = try numbers(json)
        return actual.count == expected.count && expected.count == 3
            && zip(actual, expected).allSatisfy { abs($0 - $1) <= 1e-12 * max(abs($1), 1e-3) }
    }

    static func generatedAt(_ json: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return "" }
        return object["generated_at"] as? String ?? ""
    }

    static func profileDigest(_ json: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return nil }
        return (object["profile"] as? [String: Any])?["sha256"] as? String
    }

    static func dataDigest(_ json: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return nil }
        return (object["data"] as? [String: Any])?["sha256"] as? String
    }
}
