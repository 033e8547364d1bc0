import Foundation
import Testing

/// `fairlead audit --history` and `fairlead history …` run as processes.
@Suite struct CLIHistoryTests {
    /// The selection rates of `attribute`'s groups in a JSON report, in the order
    /// `history show` lists them (by name, the overall row last), formatted as it does.
    static func selectionRates(_ json: String, attribute: String) throws -> [String] {
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let decisions = try #require(report["decisions"] as? [String: Any])
        let decision = try #require(decisions["threshold_0.3"] as? [String: Any])
        let attributes = try #require(decision["attributes"] as? [String: Any])
        let section = try #require(attributes[attribute] as? [String: Any])
        let groups = try #require(section["groups"] as? [String: [String: Any]])
        let overall = try #require(section["overall"] as? [String: Any])
        func rate(_ group: [String: Any]) throws -> String {
            let metrics = try #require(group["metrics"] as? [String: [String: Any]])
            return String(format: "%.3f", try #require(metrics["selection_rate"]?["value"] as? Double))
        }
        return try groups.keys.sorted().map { try rate(groups[$0] ?? [:]) } + [rate(overall)]
    }

    @Test func auditAppendsAndHistoryShowsAndVerifiesIt() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let history = folder.appendingPathComponent("audits.sqlite").path
        let profile = try CLIHistory.quick(CLIHistory.reaudit, in: folder)
        let first = try CLIHistory.run(["audit", "--profile", profile, "--history", history, "--as-of", "2026-03-02",
                                        "--threads", "1", "--format", "json"])
        #expect(first.exitCode == 1)
        #expect(first.standardError == "fairlead: appended entry 1 to \(history)\n")
        let second = try CLIHistory.run(["audit", "--profile", profile, "--data", CLIHistory.week2, "--history", history,
                                         "--as-of", "2026-03-09", "--threads", "1", "--format", "json"])
        #expect(second.standardError == "fairlead: appended entry 2 to \(history)\n")

        let show = try CLIHistory.run(["history", "show", "--history", history, "--attribute", "ethnicity"])
        #expect(show.exitCode == 0)
        let lines = show.standardOutput.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(lines.count == 5)
        #expect(lines.first == ["leads-reaudit", "·", "threshold_0.3", "·", "ethnicity", "·", "selection_rate"])
        #expect(lines[1] == ["entry", "as", "of", "status", "drift", "asian", "black", "hispanic", "other", "white", "(overall)"])
        #expect(lines[3] == ["1", "2026-03-02", "fail", "—"] + (try Self.selectionRates(first.standardOutput, attribute: "ethnicity")))
        #expect(lines[4] == ["2", "2026-03-09", "fail", "—"] + (try Self.selectionRates(second.standardOutput, attribute: "ethnicity")))

        let since = try CLIHistory.run(["history", "show", "--history", history, "--attribute", "ethnicity", "--since", "2026-03-05"])
        #expect(since.standardOutput.split(separator: "\n").count == 4)
        #expect(since.standardOutput.split(separator: "\n").last?.hasPrefix("    2  2026-03-09") == true)
        let markdown = try CLIHistory.run(["history", "show", "--history", history, "--metric", "demographic_parity_difference",
                                           "--format", "markdown"])
        #expect(markdown.standardOutput.hasPrefix("# Trend of `demographic_parity_difference`\n\n## leads-reaudit — threshold\\_0.3 — demographic\\_parity\\_difference\n\n| entry | as of | status | drift | age\\_band | ethnicity | gender |\n|---:|---|---|---|---:|---:|---:|\n| 1 | 2026-03-02 | fail | — | "))

        let verify = try CLIHistory.run(["history", "verify", "--history", history])
        #expect(verify.exitCode == 0)
        #expect(verify.standardOutput == "INTACT  2 entries: every report, metric row and link checks out\n")
        let head = try #require(verify.standardError.split(separator: " ").dropFirst(3).first.map(String.init)?.replacingOccurrences(of: ";", with: ""))
        #expect(head.count == 64)
        let json = try CLIHistory.run(["history", "verify", "--history", history, "--format", "json"])
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect(parsed["intact"] as? Bool == true && parsed["entries"] as? Int == 2 && parsed["head"] as? String == head)
        #expect(try CLIHistory.run(["history", "verify", "--history", history, "--head", head]).exitCode == 0)
    }

    /// A filter naming nothing in the history is a typo: said, with the names there are
    /// (it printed "no entries with selection_rate match", exit 0, as for an empty trend).
    @Test func aFilterNamingNothingInTheHistoryIsSaid() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let history = folder.appendingPathComponent("audits.sqlite").path
        let profile = try CLIHistory.quick(CLIHistory.reaudit, in: folder)
        _ = try CLIHistory.run(["audit", "--profile", profile, "--history", history, "--threads", "1", "--format", "json"])
        for (filter, message) in [(["--attribute", "ethnicty"], "the history has no attribute 'ethnicty'; did you mean ethnicity?"),
                                  (["--profile", "nope"], "the history has no profile 'nope'; it has leads-reaudit"),
                                  (["--decision", "threshold_0.5"], "the history has no decision 'threshold_0.5'; did you mean threshold_0.3?")] {
            let shown = try CLIHistory.run(["history", "show", "--history", history] + filter)
            #expect(shown.exitCode == 2)
            #expect(shown.standardError == "fairlead: \(history): \(message)\n", "\(shown.standardError)")
        }
        let metric = try CLIHistory.run(["history", "show", "--history", history, "--metric", "selction_rate"])
        #expect(metric.standardError == "fairlead: \(history): the history has no metric 'selction_rate'; did you mean selection_rate?\n")
        // Nothing since a time is an empty trend, not a typo.
        let since = try CLIHistory.run(["history", "show", "--history", history, "--since", "2031-01-01"])
        #expect(since.exitCode == 0 && since.standardOutput == "no entries with selection_rate match\n")
    }

    @Test func driftAloneExitsOne() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let leads = CLIProcess.packageRoot.appendingPathComponent("fixtures/leads/leads-sample.csv").path
        let base = folder.appendingPathComponent("base.yaml").path
        try """
            name: drift-only
            data: {path: \(leads), id: lead_id, score: score, score_range: [0, 1]}
            decisions: [{threshold: 0.3}]
            sensitive: [{column: ethnicity, reference: white}, gender, age_band]
            settings: {bootstrap: 200, seed: 7}
            """.write(toFile: base, atomically: true, encoding: .utf8)
        let watched = folder.appendingPathComponent("watched.yaml").path
        try "extends: base.yaml\ndrift:\n  baseline: {pinned: baseline.json}\n".write(toFile: watched, atomically: true, encoding: .utf8)
        let baseline = folder.appendingPathComponent("baseline.json").path
        #expect(try CLIHistory.run(["audit", "--profile", base, "--format", "json", "--out", baseline]).exitCode == 0)

        let shifted = try CLIHistory.run(["audit", "--profile", watched, "--data", CLIHistory.week2, "--threads", "1"])
        #expect(shifted.exitCode == 1)
        // The status includes drift: a drift-only profile fails when drift is found.
        #expect(shifted.standardOutput.hasPrefix("FAIL  drift-only: no rules\n54 drift and proxy checks: 2 failed, "))
        let shown = CLIProcess.unwrapped(shifted.standardOutput)
        #expect(shown.contains("\nDRIFT  drift-only against report \(baseline): 2 drifted, "))
        #expect(shown.contains("\n  score PSI at ethnicity / hispanic: PSI 0.393 (p < 0.0001), 0.143 beyond 0.25\n"))

        let same = try CLIHistory.run(["audit", "--profile", watched, "--threads", "1"])
        #expect(same.exitCode == 0)
        #expect(CLIProcess.unwrapped(same.standardOutput).contains("\nNO DRIFT  drift-only against report \(baseline): 0 drifted, 54 within tolerance, 0 insufficient evidence\n"))
    }

    @Test func concurrentAuditsAllLandInTheChain() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let history = folder.appendingPathComponent("audits.sqlite").path
        let profile = try CLIHistory.quick(CLIHistory.reaudit, in: folder)
        let started = try (0..<4).map { _ in
            try CLIHistory.start(["audit", "--profile", profile, "--history", history, "--threads", "1", "--format", "json"])
        }
        let results = started.map(CLIHistory.finish)
        #expect(results.map(\.status) == [1, 1, 1, 1])
        let ids = results.map { $0.error.split(separator: " ").dropFirst(3).first.map(String.init) ?? "" }.sorted()
        #expect(ids == ["1", "2", "3", "4"])
        let verify = try CLIHistory.run(["history", "verify", "--history", history])
        #expect(verify.exitCode == 0)
        #expect(verify.standardOutput == "INTACT  4 entries: every report, metric row and link checks out\n")
    }

    @Test func aWriterKilledInsideItsTransactionLeavesNoTrace() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let history = folder.appendingPathComponent("audits.sqlite").path
        let profile = try CLIHistory.quick(CLIHistory.reaudit, in: folder)
        let arguments = ["audit", "--profile", profile, "--history", history, "--threads", "1", "--format", "json"]
        #expect(try CLIHistory.run(arguments).standardError == "fairlead: appended entry 1 to \(history)\n")
        // SIGKILL after the entry row and 40 of its metric rows, before the commit.
        let killed = CLIHistory.finish(try CLIHistory.start(arguments, environment: ["FAIRLEAD_HISTORY_KILL_AFTER_ROWS": "40"]))
        #expect(killed.signalled && killed.status == SIGKILL)
        // The report is written before the entry is appended: whole, though not recorded.
        #expect(killed.output.hasSuffix("}\n"), "\(killed.output.suffix(200))")

        let verify = try CLIHistory.run(["history", "verify", "--history", history])
        #expect(verify.standardOutput == "INTACT  1 entry: every report, metric row and link checks out\n")
        #expect(verify.exitCode == 0)
        #expect(try CLIHistory.run(arguments).standardError == "fairlead: appended entry 2 to \(history)\n")
        #expect(try CLIHistory.run(["history", "verify", "--history", history]).exitCode == 0)
    }

    @Test func anEditedFileFailsVerification() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let history = folder.appendingPathComponent("audits.sqlite").path
        let profile = try CLIHistory.quick(CLIHistory.reaudit, in: folder)
        #expect(try CLIHistory.run(["audit", "--profile", profile, "--history", history, "--threads", "1", "--format", "json"]).exitCode == 1)
        // Edit the stored report's bytes in the file, as a hex editor would.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: history))
        let original = Data("\"bootstrap_replicates\" : 100,".utf8), forged = Data("\"bootstrap_replicates\" : 999,".utf8)
        let range = try #require(bytes.range(of: original))
        bytes.replaceSubrange(range, with: forged)
        try bytes.write(to: URL(fileURLWithPath: history))

        let verify = try CLIHistory.run(["history", "verify", "--history", history])
        #expect(verify.exitCode == 1)
        let lines = verify.standardOutput.split(separator: "\n")
        #expect(lines.first == "TAMPERED  1 problem in 1 entry:")
        #expect(lines.dropFirst().first?.hasPrefix("  entry 1: the report was edited: its SHA-256 is ") == true)
        #expect(lines.count == 2)
    }

    /// A retry of the pinned baseline's own week compared it with itself and said NO DRIFT
    /// (and with --rerun recorded a drift pass); completing that entry repeated its
    /// original "is not in the history yet" as though it were still so.
    @Test func theBaselineWeekIsNotComparedWithItself() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let history = folder.appendingPathComponent("audits.sqlite").path
        let profile = try CLIHistory.quick(CLIHistory.weekly, in: folder)
        let audit = ["audit", "--profile", profile, "--history", history, "--as-of", "2026-03-02", "--threads", "1"]
        _ = try CLIHistory.run(audit)
        for retry in [audit, audit + ["--rerun"]] {
            let result = try CLIHistory.run(retry)
            #expect(CLIProcess.unwrapped(result.standardOutput).contains(
                "\nINSUFFICIENT EVIDENCE  leads-weekly: drift not checked, the pinned baseline, entry 1, is an audit of profile 'leads-weekly' as of 2026-03-02, the time this audit describes: a re-run of the baseline is not compared with itself\n"),
                    "\(retry): \(result.standardOutput)")
        }
        let labelled = try CLIHistory.run(["history", "label", "--history", history, "--entry", "1", "--labels", CLIHistory.outcomes,
                                           "--id", "lead_id", "--label", "converted", "--threads", "1"])
        #expect(CLIProcess.unwrapped(labelled.standardOutput).contains(
            "leads-weekly: drift not checked, the audit this completes had no baseline, so neither has its completion (it said: the pinned baseline, entry 1, is not in the history yet)\n"),
                "\(labelled.standardOutput)")
        let trend = try CLIHistory.run(["history", "show", "--history", history, "--format", "json"])
        #expect(!trend.standardOutput.contains("\"drift_status\" : \"pass\""), "\(trend.standardOutput)")
        #expect(trend.standardOutput.contains("\"drift_status\" : \"insufficient_evidence\""), "\(trend.standardOutput)")
    }

    @Test func lateLabelsCompleteAnEntry() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let history = folder.appendingPathComponent("audits.sqlite").path
        let profile = try CLIHistory.quick(CLIHistory.weekly, in: folder)
        let weekOne = try CLIHistory.run(["audit", "--profile", profile, "--history", history, "--as-of", "2026-03-02", "--threads", "1"])
        #expect(CLIProcess.unwrapped(weekOne.standardOutput).contains("\nINSUFFICIENT EVIDENCE  leads-weekly: drift not checked, the pinned baseline, entry 1, is not in the history yet\n"))
        let weekTwo = try CLIHistory.run(["audit", "--profile", profile, "--data", CLIHistory.week2, "--history", history,
                                          "--as-of", "2026-03-09", "--threads", "1"])
        #expect(weekTwo.exitCode == 1)
        #expect(CLIProcess.unwrapped(weekTwo.standardOutput).contains("\nDRIFT  leads-weekly against entry 1 (as of 2026-03-02): "))

        let labelled = try CLIHistory.run(["history", "label", "--history", history, "--entry", "2", "--labels", CLIHistory.outcomes,
                                           "--id", "lead_id", "--label", "converted", "--threads", "1"])
        #expect(labelled.standardError == "fairlead: appended entry 3 to \(history), completing entry 2\n")
        #expect(labelled.exitCode == 1)
        #expect(CLIProcess.unwrapped(labelled.standardOutput).contains(
            "\nlabels \(CLIHistory.outcomes) joined on lead_id: 4040 rows labelled, 960 not yet · completes entry 2\n"))
        let trend = try CLIHistory.run(["history", "show", "--history", history, "--metric", "true_positive_rate", "--attribute", "ethnicity"])
        let rows = trend.standardOutput.split(separator: "\n")
        #expect(rows.count == 4)
        #expect(rows.last?.hasPrefix("    3  2026-03-09  fail    fail   entry 2   ") == true)
        #expect(try CLIHistory.run(["history", "verify", "--history", history]).exitCode == 0)
        // The entry's own data and profile, read from its report, are inputs: --out may
        // not overwrite them (it replaced the data with the text report).
        let dataBefore = try Data(contentsOf: URL(fileURLWithPath: CLIHistory.week2))
        for target in [CLIHistory.week2, profile] {
            let over = try CLIHistory.run(["history", "label", "--history", history, "--entry", "2", "--labels", CLIHistory.outcomes,
                                           "--id", "lead_id", "--label", "converted", "--threads", "1", "--out", target])
            #expect(over.exitCode == 2 && over.standardError.contains("the output is also an input"), "\(over.standardError)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: CLIHistory.week2)) == dataBefore)
    }

    /// A FIFO, a device or a folder given as the history is refused before SQLite opens
    /// it (SQLite failed with an I/O error, exit 3, after making `/dev/null-journal`).
    @Test func aHistoryThatIsNotAFileIsRefused() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let profile = try CLIHistory.quick(CLIHistory.weekly, in: folder)
        for path in [fifo, folder.path] {
            let audit = try CLIHistory.run(["audit", "--profile", profile, "--history", path, "--threads", "1"])
            #expect(audit.exitCode == 2, "\(audit.standardError)")
            #expect(audit.standardError == "fairlead: \(path): not a file; an audit history is an SQLite file\n", "\(audit.standardError)")
            #expect(!FileManager.default.fileExists(atPath: path + "-journal"))
        }
    }

    @Test func usageErrorsExitTwo() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("none.sqlite").path
        let show = try CLIHistory.run(["history", "show", "--history", missing])
        #expect(show.exitCode == 2)
        #expect(show.standardError == "fairlead: \(missing): no audit history here; `fairlead audit --history` creates one\n")
        let asOf = try CLIHistory.run(["audit", "--profile", CLIHistory.reaudit, "--as-of", "2026-03-02"])
        #expect(asOf.exitCode == 2)
        #expect(asOf.standardError.contains("--as-of is recorded in the history; give --history too"))
        let badDate = try CLIHistory.run(["audit", "--profile", CLIHistory.reaudit, "--history", missing, "--as-of", "last week"])
        #expect(badDate.exitCode == 2)
        #expect(badDate.standardError == "fairlead: --as-of expects a date such as 2026-03-02 or a time such as 2026-03-02T09:15:00Z, found 'last week'\n")
        // A time to come is recorded, with a word: most likely a typo for another year.
        let future = try CLIHistory.run(["audit", "--profile", CLIHistory.reaudit, "--history", folder.appendingPathComponent("future.sqlite").path,
                                         "--as-of", "9999-12-31"])
        #expect([0, 1].contains(future.exitCode) && future.standardError.contains(
            "fairlead: warning: --as-of 9999-12-31 is later than today; the history records the audit as describing that time\n"), "\(future.standardError)")

        let history = folder.appendingPathComponent("h.sqlite").path
        let created = try CLIHistory.run(["history", "init", "--history", history])
        #expect(created.standardOutput == "created an empty audit history: \(history)\n")
        let again = try CLIHistory.run(["history", "init", "--history", history])
        #expect(again.exitCode == 2)
        #expect(again.standardError == "fairlead: \(history) exists; pass --force to replace it (its entries are lost)\n")
        // What --force loses is said.
        _ = try CLIHistory.run(["audit", "--profile", CLIHistory.reaudit, "--history", history, "--as-of", "2026-03-02"])
        let replaced = try CLIHistory.run(["history", "init", "--history", history, "--force"])
        #expect(replaced.exitCode == 0 && replaced.standardOutput == "replaced the audit history of 1 entry (removed) with an empty one: \(history)\n",
                "\(replaced.standardOutput)")
        let empty = try CLIHistory.run(["history", "show", "--history", history])
        #expect(empty.standardOutput == "no entries with selection_rate match\n" && empty.exitCode == 0)
    }

    /// Entries are numbered from 1. `--entry -1` was taken by ArgumentParser for an option
    /// and said only "Missing value for '--entry <entry>'"; `--entry=-1` and `--entry 0`
    /// reached the history and were looked up.
    @Test(arguments: [
        (["--entry", "-1"], "-1", "entry numbers start at 1 (the first entry appended is entry 1)"),
        (["--entry=-1"], "-1", "entry numbers start at 1 (the first entry appended is entry 1)"),
        (["--entry", "0"], "0", "entry numbers start at 1 (the first entry appended is entry 1)"),
        (["--entry", "three"], "three", "an entry number is a whole number such as 3 (entries are numbered 1, 2, 3, … as they are appended)"),
    ])
    func entryNumbersStartAtOne(entry: [String], value: String, reason: String) throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let history = folder.appendingPathComponent("h.sqlite").path
        let label = try CLIHistory.run(["history", "label", "--history", history] + entry
                                       + ["--labels", CLIHistory.outcomes, "--id", "lead_id", "--label", "converted"])
        let show = try CLIHistory.run(["history", "show", "--history", history] + entry)
        for result in [label, show] {
            #expect(result.exitCode == 2)
            #expect(result.standardError.hasPrefix("Error: The value '\(value)' is invalid for '--entry <entry>': \(reason)\n"),
                    "\(result.standardError)")
            #expect(result.standardOutput.isEmpty)
        }
        #expect(!FileManager.default.fileExists(atPath: history))
        let next = try CLIHistory.run(["history", "label", "--history", history, "--entry", "--labels", CLIHistory.outcomes,
                                       "--id", "lead_id", "--label", "converted"])
        #expect(next.exitCode == 2)
        #expect(next.standardError.hasPrefix("Error: The value '--labels' is invalid for '--entry <entry>': an entry number was expected, found the next option (give --entry a number such as 3)\n"),
                "\(next.standardError)")
    }

    /// `history init` advises --force only where --force would replace the file: a FIFO
    /// was told to pass --force, which then refused it.
    @Test func initAdvisesForceOnlyForAHistory() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let notes = folder.appendingPathComponent("notes.txt").path
        try "keep\n".write(toFile: notes, atomically: true, encoding: .utf8)
        let history = folder.appendingPathComponent("h.sqlite").path
        #expect(try CLIHistory.run(["history", "init", "--history", history]).exitCode == 0)
        let link = folder.appendingPathComponent("link.sqlite").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: history)
        let cases = [
            (fifo, "not a regular file (a named pipe); an audit history is a regular SQLite file, and nothing else is replaced, with --force or without"),
            (folder.path, "not a regular file (a directory); an audit history is a regular SQLite file, and nothing else is replaced, with --force or without"),
            (link, "not a regular file (a symbolic link); an audit history is a regular SQLite file, and nothing else is replaced, with --force or without"),
            (notes, "not a Fairlead audit history; --force replaces only a history file, never another file"),
        ]
        for (path, message) in cases {
            for force in [[], ["--force"]] {
                let result = try CLIHistory.run(["history", "init", "--history", path] + force)
                #expect(result.exitCode == 2, "\(path) \(force)")
                #expect(result.standardError == "fairlead: \(path): \(message)\n", "\(force)")
            }
        }
        var status = stat()
        #expect(lstat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
        #expect(try String(contentsOfFile: notes, encoding: .utf8) == "keep\n")
        #expect(try CLIHistory.run(["history", "verify", "--history", history]).exitCode == 0)
    }
}
