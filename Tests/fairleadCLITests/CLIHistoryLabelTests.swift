import Foundation
import Testing

/// `fairlead history label` reads the entry's profile and data again from the paths its
/// report recorded, as the audit was given them: a relative one is read relative to the
/// current directory. When it is not there, the message says so and which option gives
/// the file (it said only `w2.csv: the data file does not exist`).
@Suite struct CLIHistoryLabelTests {
    static let labels = ["--labels", CLIProcess.packageRoot.appendingPathComponent(CLIHistory.outcomes).path, "--id", "lead_id", "--label", "converted", "--threads", "1"]

    @Test func aRecordedDataPathNotFoundHereSaysWhereItWasLookedForAndToPassData() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try CLIHistory.quick(CLIHistory.weekly, in: folder)
        let data = folder.appendingPathComponent("w2.csv")
        try FileManager.default.copyItem(at: CLIProcess.packageRoot.appendingPathComponent(CLIHistory.week2), to: data)
        let history = folder.appendingPathComponent("audits.sqlite").path
        // Audited from the folder, with the data given relative to it.
        let audit = try CLIHistory.run(["audit", "--profile", profile, "--data", "w2.csv", "--history", history, "--threads", "1"],
                                       directory: folder)
        #expect(audit.standardError.hasPrefix("fairlead: appended entry 1 to \(history)\n"), "\(audit.standardError)")

        // Completed from the package root, where there is no w2.csv.
        let label = try CLIHistory.run(["history", "label", "--history", history, "--entry", "1"] + Self.labels)
        #expect(label.exitCode == 2)
        #expect(label.standardError == "fairlead: w2.csv: the data file does not exist; it is the path entry 1's report recorded, "
                + "resolved relative to the current directory (\(CLIProcess.packageRoot.path)); if the file moved or the audit ran "
                + "in another directory, pass --data PATH with the data file that was audited (its SHA-256 must match the report's)\n")
        #expect(label.standardOutput.isEmpty)

        let given = try CLIHistory.run(["history", "label", "--history", history, "--entry", "1", "--data", data.path] + Self.labels)
        #expect(given.standardError == "fairlead: appended entry 2 to \(history), completing entry 1\n")
        let fromTheFolder = try CLIHistory.run(["history", "label", "--history", history, "--entry", "1", "--rerun"] + Self.labels,
                                               directory: folder)
        #expect(fromTheFolder.standardError == "fairlead: appended entry 3 to \(history), completing entry 1, a re-run of entry 2\n")
    }

    @Test func aRecordedProfilePathNotFoundHereSaysToPassProfile() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try CLIHistory.quick(CLIHistory.weekly, in: folder)
        let history = folder.appendingPathComponent("audits.sqlite").path
        let name = (profile as NSString).lastPathComponent
        let audit = try CLIHistory.run(["audit", "--profile", name, "--history", history, "--threads", "1"], directory: folder)
        #expect(audit.standardError.hasPrefix("fairlead: appended entry 1 to \(history)\n"), "\(audit.standardError)")

        let label = try CLIHistory.run(["history", "label", "--history", history, "--entry", "1"] + Self.labels)
        #expect(label.exitCode == 2)
        #expect(label.standardError == "fairlead: \(name): the profile does not exist; it is the path entry 1's report recorded, "
                + "resolved relative to the current directory (\(CLIProcess.packageRoot.path)); if the file moved or the audit ran "
                + "in another directory, pass --profile PATH with the profile that was audited (its SHA-256 must match the report's)\n")
        let given = try CLIHistory.run(["history", "label", "--history", history, "--entry", "1", "--profile", profile] + Self.labels)
        #expect(given.standardError == "fairlead: appended entry 2 to \(history), completing entry 1\n", "\(given.standardError)")
    }

    /// An audit records its profile file's SHA-256, not the flags given over the file: the
    /// file alone passed the check and completed the entry with the file's rules and
    /// decisions, silently judging another audit. Each flag that changes what is judged is
    /// refused, naming what differs; the same file without flags still completes.
    @Test(arguments: [
        (["--rule", "disparate_impact >= 0.95"],
         "its rules (the entry: 'disparate_impact >= 0.8' and 'disparate_impact >= 0.95'; now: 'disparate_impact >= 0.8')"),
        (["--threshold", "0.4"], "its decisions (the entry: 'threshold_0.4: selected when score ≥ 0.4'; now: 'threshold_0.3: selected when score ≥ 0.3')"),
        (["--reference", "gender=female"], "its sensitive attributes and reference groups (the entry: 'age_band at threshold_0.3: the largest group', "
         + "'ethnicity at threshold_0.3: white (named)' and 'gender at threshold_0.3: female (named)'; now: "
         + "'age_band at threshold_0.3: the largest group', 'ethnicity at threshold_0.3: white (named)' and 'gender at threshold_0.3: the largest group')"),
        (["--score-range", "0,2"], "its declared score range (the entry: [0.0, 2.0]; now: [0.0, 1.0])"),
    ])
    func flagsOverTheProfileFileAreNotDroppedSilently(flags: [String], difference: String) throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try CLIHistory.quick(CLIHistory.weekly, in: folder)
        let history = folder.appendingPathComponent("audits.sqlite").path
        let data = CLIProcess.packageRoot.appendingPathComponent(CLIHistory.week2).path
        let audit = try CLIHistory.run(["audit", "--profile", profile, "--data", data, "--history", history, "--threads", "1"] + flags)
        #expect(audit.standardError.hasPrefix("fairlead: appended entry 1 to \(history)\n"), "\(audit.standardError)")

        let label = try CLIHistory.run(["history", "label", "--history", history, "--entry", "1"] + Self.labels)
        #expect(label.exitCode == 2, "\(label.standardError)")
        #expect(label.standardError.hasPrefix("fairlead: \(profile): entry 1 was audited with flags over this profile file that it does not hold, "
                                              + "so completing it with the file would judge another audit: "), "\(label.standardError)")
        #expect(label.standardError.contains(difference), "\(label.standardError)")
        #expect(label.standardError.hasSuffix("; a completion uses the profile file alone: write those settings into a profile file and audit with it to complete an audit later\n"))
        #expect(label.standardOutput.isEmpty)
        #expect(try CLIHistory.run(["history", "show", "--history", history]).standardOutput.contains("completing") == false)

        // The file alone, audited as it is, completes.
        let plain = try CLIHistory.run(["audit", "--profile", profile, "--data", data, "--history", history, "--threads", "1",
                                        "--as-of", "2026-03-09"])
        #expect(plain.standardError.hasPrefix("fairlead: appended entry 2 to \(history)\n"), "\(plain.standardError)")
        let completed = try CLIHistory.run(["history", "label", "--history", history, "--entry", "2"] + Self.labels)
        #expect(completed.standardError == "fairlead: appended entry 3 to \(history), completing entry 2\n", "\(completed.standardError)")
    }

    /// An entry audited from standard input: `label` read the standard input it was given
    /// now (`standard input:1: empty file`); it asks for the data file instead.
    @Test func anEntryAuditedFromStandardInputNeedsTheDataFile() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try CLIHistory.quick(CLIHistory.weekly, in: folder)
        let history = folder.appendingPathComponent("audits.sqlite").path
        let data = CLIProcess.packageRoot.appendingPathComponent(CLIHistory.week2)
        let audit = try CLIHistory.run(["audit", "--profile", profile, "--data", "-", "--history", history, "--threads", "1"],
                                       standardInput: try Data(contentsOf: data))
        #expect(audit.standardError.hasPrefix("fairlead: appended entry 1 to \(history)\n"), "\(audit.standardError)")
        let label = try CLIHistory.run(["history", "label", "--history", history, "--entry", "1"] + Self.labels, standardInput: Data())
        #expect(label.exitCode == 2)
        #expect(label.standardError.hasPrefix("fairlead: entry 1 was audited from standard input (--data -), which is not kept; "
                                              + "pass --data PATH with the data that was audited (its SHA-256 must match the report's, "),
                "\(label.standardError)")
        let given = try CLIHistory.run(["history", "label", "--history", history, "--entry", "1", "--data", data.path] + Self.labels)
        #expect(given.standardError == "fairlead: appended entry 2 to \(history), completing entry 1\n", "\(given.standardError)")
    }

    /// A profile made of several files records a SHA-256 per file: when one it extends
    /// changed, the message named the first file and cut the digests to its own, so it
    /// showed two equal digests. It names the file that changed, with its digests.
    @Test func aChangedBaseProfileIsNamed() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = folder.appendingPathComponent("base.yaml").path
        try "extends: \(CLIProcess.packageRoot.appendingPathComponent(CLIHistory.weekly).path)\nsettings:\n  bootstrap: 100\n"
            .write(toFile: base, atomically: true, encoding: .utf8)
        let profile = folder.appendingPathComponent("weekly.yaml").path
        try "extends: base.yaml\nname: weekly-local\n".write(toFile: profile, atomically: true, encoding: .utf8)
        let history = folder.appendingPathComponent("audits.sqlite").path
        let data = CLIProcess.packageRoot.appendingPathComponent(CLIHistory.week2).path
        let audit = try CLIHistory.run(["audit", "--profile", profile, "--data", data, "--history", history, "--threads", "1"])
        #expect(audit.standardError.hasPrefix("fairlead: appended entry 1 to \(history)\n"), "\(audit.standardError)")
        try "extends: \(CLIProcess.packageRoot.appendingPathComponent(CLIHistory.weekly).path)\nsettings:\n  bootstrap: 200\n"
            .write(toFile: base, atomically: true, encoding: .utf8)
        let label = try CLIHistory.run(["history", "label", "--history", history, "--entry", "1"] + Self.labels)
        #expect(label.exitCode != 0)
        #expect(label.standardError.hasPrefix("fairlead: \(profile): the profile changed since entry 1 was audited: \(base), "
                                              + "one of the files it is made of, has SHA-256 "), "\(label.standardError)")
        // The two digests shown are the base file's, now and then: they differ.
        let now = label.standardError.components(separatedBy: "has SHA-256 ").last?.prefix(12)
        let then = label.standardError.components(separatedBy: "the report recorded ").last?.prefix(12)
        #expect(now != nil && then != nil && now != then, "\(label.standardError)")
    }

    /// The same labels joined to the same entry again are the same audit again: the
    /// completion was appended twice. As `audit --history` does for a re-run, it is
    /// printed and appends nothing unless `--rerun` is given; other labels (a later file)
    /// still complete the entry.
    @Test func completingAgainWithTheSameLabelsAppendsNothingUnlessRerun() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try CLIHistory.quick(CLIHistory.weekly, in: folder)
        let history = folder.appendingPathComponent("audits.sqlite").path
        let data = CLIProcess.packageRoot.appendingPathComponent(CLIHistory.week2).path
        _ = try CLIHistory.run(["audit", "--profile", profile, "--data", data, "--history", history, "--threads", "1"])
        let first = try CLIHistory.run(["history", "label", "--history", history, "--entry", "1"] + Self.labels)
        #expect(first.standardError == "fairlead: appended entry 2 to \(history), completing entry 1\n", "\(first.standardError)")

        let again = try CLIHistory.run(["history", "label", "--history", history, "--entry", "1"] + Self.labels)
        #expect(again.exitCode == first.exitCode)
        #expect(again.standardOutput == first.standardOutput)
        #expect(again.standardError.hasPrefix("fairlead: entry 2 of \(history) already completes entry 1 with these labels (SHA-256 "),
                "\(again.standardError)")
        #expect(again.standardError.hasSuffix(", joined on the same columns); appended nothing (pass --rerun to append a re-run)\n"))
        let listed = try CLIHistory.run(["history", "verify", "--history", history])
        #expect(listed.standardOutput.hasPrefix("INTACT  2 entries:"), "\(listed.standardOutput)")

        // The same labels in other bytes — CRLF line ends, rows in reverse order, an id the
        // data lacks — give every lead the same label: the same completion again.
        let outcomes = try String(contentsOf: CLIProcess.packageRoot.appendingPathComponent(CLIHistory.outcomes), encoding: .utf8)
        let rows = outcomes.split(separator: "\n").map(String.init)
        let reordered = folder.appendingPathComponent("reordered.csv")
        try (([rows[0]] + rows.dropFirst().reversed() + ["L9999999,1"]).joined(separator: "\r\n") + "\r\n")
            .write(to: reordered, atomically: true, encoding: .utf8)
        let same = try CLIHistory.run(["history", "label", "--history", history, "--entry", "1", "--labels", reordered.path,
                                       "--id", "lead_id", "--label", "converted", "--threads", "1"])
        #expect(same.standardOutput.replacingOccurrences(of: reordered.path, with: "") != "")
        #expect(same.standardError.hasPrefix("fairlead: entry 2 of \(history) already completes entry 1 with the same labels from other bytes (each lead gets the same label: joined SHA-256 "),
                "\(same.standardError)")

        // Another labels file (one lead's outcome changed) is another completion.
        let later = folder.appendingPathComponent("later.csv")
        let flipped = rows[1].hasSuffix(",0") ? String(rows[1].dropLast()) + "1" : String(rows[1].dropLast()) + "0"
        try (([rows[0], flipped] + rows.dropFirst(2)).joined(separator: "\n") + "\n").write(to: later, atomically: true, encoding: .utf8)
        let other = try CLIHistory.run(["history", "label", "--history", history, "--entry", "1", "--labels", later.path,
                                        "--id", "lead_id", "--label", "converted", "--threads", "1"])
        #expect(other.standardError == "fairlead: appended entry 3 to \(history), completing entry 1\n", "\(other.standardError)")
        let rerun = try CLIHistory.run(["history", "label", "--history", history, "--entry", "1", "--rerun"] + Self.labels)
        #expect(rerun.standardError == "fairlead: appended entry 4 to \(history), completing entry 1, a re-run of entry 2\n")
        let verify = try CLIHistory.run(["history", "verify", "--history", history])
        #expect(verify.exitCode == 0, "\(verify.standardOutput)\(verify.standardError)")
    }

    /// A re-run of an audit is the same audit: completing it with the labels that already
    /// complete the run it repeats appended a second completion, and the trends showed
    /// the same labelled week twice. It is the same completion again; with `--rerun` it
    /// is marked as a re-run of that completion, and the trends show one of each.
    @Test func completingARerunWithTheSameLabelsIsTheSameCompletion() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try CLIHistory.quick(CLIHistory.weekly, in: folder)
        let history = folder.appendingPathComponent("audits.sqlite").path
        let data = CLIProcess.packageRoot.appendingPathComponent(CLIHistory.week2).path
        let audit = ["audit", "--profile", profile, "--data", data, "--history", history, "--as-of", "2026-03-09", "--threads", "1"]
        #expect(try CLIHistory.run(audit).standardError == "fairlead: appended entry 1 to \(history)\n")
        #expect(try CLIHistory.run(["history", "label", "--history", history, "--entry", "1"] + Self.labels).standardError
                == "fairlead: appended entry 2 to \(history), completing entry 1\n")
        #expect(try CLIHistory.run(audit + ["--rerun"]).standardError == "fairlead: appended entry 3 to \(history), a re-run of entry 1\n")

        let again = try CLIHistory.run(["history", "label", "--history", history, "--entry", "3"] + Self.labels)
        #expect(again.standardError.hasPrefix("fairlead: entry 2 of \(history) already completes entry 1 (a run of the same audit as entry 3) with these labels (SHA-256 "),
                "\(again.standardError)")
        #expect(again.standardError.hasSuffix("appended nothing (pass --rerun to append a re-run)\n"))
        let rerun = try CLIHistory.run(["history", "label", "--history", history, "--entry", "3", "--rerun"] + Self.labels)
        #expect(rerun.standardError == "fairlead: appended entry 4 to \(history), completing entry 3, a re-run of entry 2\n")

        let show = try CLIHistory.run(["history", "show", "--history", history, "--attribute", "gender"])
        let entries = show.standardOutput.split(separator: "\n").dropFirst(3).compactMap { line in
            line.split(separator: " ").first.flatMap { Int($0) }
        }
        #expect(entries == [3, 4], "\(show.standardOutput)")
        // The note is wrapped to the terminal's width.
        #expect(show.standardOutput.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                    .hasSuffix("left out for a later re-run: entry 1 (re-run as entry 3), entry 2 (re-run as entry 4); --all-runs shows every run"),
                "\(show.standardOutput)")
        let intact = try CLIHistory.run(["history", "verify", "--history", history])
        #expect(intact.exitCode == 0 && intact.standardError.contains("; keep it outside the history and check it later with --head"))
        // An empty history's head starts every chain: not one to keep, and found in this one.
        let empty = folder.appendingPathComponent("empty.sqlite").path
        #expect(try CLIHistory.run(["history", "init", "--history", empty]).exitCode == 0)
        let emptyVerify = try CLIHistory.run(["history", "verify", "--history", empty])
        #expect(emptyVerify.standardError == "fairlead: chain head \(String(repeating: "0", count: 64)), of an empty history; keep the head once an entry is appended\n")
        #expect(try CLIHistory.run(["history", "verify", "--history", history, "--head", String(repeating: "0", count: 64)]).exitCode == 0)

        // A link edited to a later entry is one problem, and the head printed is not one to keep.
        try CLIHistory.sqlite3(history, "UPDATE entry SET reruns = 9 WHERE id = 3")
        let tampered = try CLIHistory.run(["history", "verify", "--history", history])
        #expect(tampered.exitCode == 1)
        #expect(tampered.standardOutput.hasPrefix("TAMPERED  1 problem in 4 entries:\n") && tampered.standardOutput.contains("(it re-runs entry 9, which is not an earlier entry)"),
                "\(tampered.standardOutput)")
        #expect(tampered.standardError.contains("of a history that does not check out: do not keep it as a reference")
                && !tampered.standardError.contains("keep it outside"), "\(tampered.standardError)")
    }

    /// A completion already has its labels: completing it joined other labels in their
    /// place. It is refused, naming the entry to complete instead.
    @Test func aCompletionIsNotCompletedAgain() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try CLIHistory.quick(CLIHistory.weekly, in: folder)
        let history = folder.appendingPathComponent("audits.sqlite").path
        let data = CLIProcess.packageRoot.appendingPathComponent(CLIHistory.week2).path
        _ = try CLIHistory.run(["audit", "--profile", profile, "--data", data, "--history", history, "--threads", "1"])
        _ = try CLIHistory.run(["history", "label", "--history", history, "--entry", "1"] + Self.labels)
        let label = try CLIHistory.run(["history", "label", "--history", history, "--entry", "2"] + Self.labels)
        #expect(label.exitCode == 2)
        #expect(label.standardError == "fairlead: \(history): entry 2 is itself a completion: it completed entry 1 with the labels of "
                + "\(CLIProcess.packageRoot.appendingPathComponent(CLIHistory.outcomes).path); complete entry 1 instead (--entry 1), "
                + "with a labels file holding every label known now\n", "\(label.standardError)")
        #expect(label.standardOutput.isEmpty)
    }

    /// An audit whose data had a label column: the completion reads labels from the labels
    /// file only, so another week's outcomes replaced the audit's own, silently (the
    /// counts changed). Refused. (A label column with no label at all is no audit: every
    /// row is `missing_label`, and `audit` refuses data without usable rows.)
    @Test func anAuditThatHadLabelsIsNotCompleted() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("labelled.yaml").path
        try """
            extends: \(CLIProcess.packageRoot.appendingPathComponent(CLIHistory.weekly).path)
            settings:
              bootstrap: 100
            data:
              label: converted

            """.write(toFile: profile, atomically: true, encoding: .utf8)
        let history = folder.appendingPathComponent("audits.sqlite").path
        let leads = CLIProcess.packageRoot.appendingPathComponent("fixtures/leads/leads-sample.csv").path
        let audit = try CLIHistory.run(["audit", "--profile", profile, "--data", leads, "--history", history, "--threads", "1"])
        #expect(audit.standardError.hasPrefix("fairlead: appended entry 1 to \(history)\n"), "\(audit.standardError)")
        let label = try CLIHistory.run(["history", "label", "--history", history, "--entry", "1"] + Self.labels)
        #expect(label.exitCode == 2)
        #expect(label.standardError == "fairlead: \(profile): entry 1 was audited with labels: its data's label column 'converted' "
                + "labelled 5000 of 5000 rows; a completion joins the labels an audit did not have, and would replace those; to judge the "
                + "data with more labels, fill them into its label column and run `fairlead audit`\n", "\(label.standardError)")
        #expect(label.standardOutput.isEmpty)

    }
}
