import Foundation
import Testing

/// A command takes the limit flags of the limits its reading can hit, and refuses the
/// others with what it reads and the flags it takes. Every command took all ten, and
/// most bounded nothing: `sql --max-groups 50000` printed the same query as without it
/// (only --max-grid-bins bounds what `sql` reads, the profile), and `history label`
/// checked the profile without its --max-grid-bins.
@Suite struct CLILimitFlagsTests {
    /// A command line that runs, and the limit flags it refuses.
    struct Case: CustomTestStringConvertible, Sendable {
        var command: [String]
        var refused: [String]
        var testDescription: String { command.prefix(2).joined(separator: " ") }
    }

    static let profile = "fixtures/profiles/leads-weekly.yaml"
    static let data = "fixtures/leads/leads-sample.csv"
    static let every = ["--max-decompressed-bytes", "--max-compression-ratio", "--max-field-bytes", "--max-threads",
                        "--memory-budget-bytes", "--max-file-bytes", "--max-grid-bins", "--max-query-seconds", "--max-groups",
                        "--max-columns"]
    /// The flags of a command that reads one CSV file and nothing else.
    static let csvFileFlags = ["--max-decompressed-bytes", "--max-compression-ratio", "--max-field-bytes", "--max-threads", "--max-columns"]

    static let cases: [Case] = [
        Case(command: ["sql", "--profile", "fixtures/profiles/leads-grid.yaml", "--dialect", "duckdb", "--table", "t"],
             refused: every.filter { $0 != "--max-grid-bins" }),
        Case(command: ["validate", profile], refused: ["--max-threads", "--memory-budget-bytes", "--max-query-seconds", "--max-groups"]),
        Case(command: ["init", "--data", data], refused: every.filter { !csvFileFlags.contains($0) }),
        Case(command: ["inspect", data], refused: every.filter { !csvFileFlags.contains($0) }),
        Case(command: ["privacy", "--data", data, "--quasi", "region", "--sensitive", "gender"],
             refused: every.filter { !csvFileFlags.contains($0) }),
        Case(command: ["history", "label", "--history", "missing.sqlite", "--entry", "1", "--labels", data, "--id", "lead_id",
                       "--label", "converted"],
             refused: ["--max-query-seconds"]),
    ]

    @Test(arguments: cases) func aFlagThatBoundsNothingTheCommandReadsIsRefused(_ test: Case) throws {
        for flag in test.refused {
            let run = try CLIProcess.run(test.command + [flag, "1000"])
            #expect(run.exitCode == 2, "\(flag)")
            #expect(run.standardError.contains("\(flag) bounds nothing this command reads: it "), "\(flag): \(run.standardError)")
            #expect(run.standardOutput.isEmpty, "\(flag)")
        }
        let help = try CLIProcess.run(test.command.prefix(test.command[0] == "history" ? 2 : 1) + ["--help"])
        for flag in Self.every {
            #expect(help.standardOutput.contains(flag + " ") == !test.refused.contains(flag), "\(flag) in the help")
        }
    }

    @Test func renderTakesOnlyTheFileLimit() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = folder.appendingPathComponent("report.json").path
        let audit = try CLIProcess.run(["audit", "--profile", CLIHistory.weekly, "--format", "json", "--out", report, "--threads", "1"])
        #expect(audit.exitCode <= 1, "\(audit.standardError)")
        let small = try CLIProcess.run(["render", report, "--max-file-bytes", "1KiB"])
        #expect(small.exitCode == 2 && small.standardError.contains("more than the limit of 1 KiB"), "\(small.standardError)")
        for flag in Self.every where flag != "--max-file-bytes" {
            let run = try CLIProcess.run(["render", report, flag, "1000"])
            #expect(run.exitCode == 2, "\(flag)")
            #expect(run.standardError.contains("\(flag) bounds nothing this command reads: it reads one saved report, whole; its limit flags: --max-file-bytes"),
                    "\(flag): \(run.standardError)")
        }
    }

    /// `sql --max-groups` was parsed and dropped: the query bounds no group, the audit
    /// that reads its result does. The refusal says where the flag belongs.
    @Test func sqlRefusesMaxGroupsAndSaysWhichCommandTakesIt() throws {
        let run = try CLIProcess.run(["sql", "--profile", "fixtures/profiles/leads-grid.yaml", "--dialect", "duckdb", "--table", "t",
                                      "--max-groups", "50000"])
        #expect(run.exitCode == 2)
        #expect(run.standardError.hasPrefix("Error: --max-groups bounds nothing this command reads: it reads only the profile, and prints a query (`fairlead audit --from-stats`, which reads the query's result, takes the others); its limit flags: --max-grid-bins\n"),
                "\(run.standardError)")
    }

    /// `history label --max-grid-bins` admits the finer grid the audit was given it for:
    /// the profile was checked against the default limit, and the entry could not be completed.
    @Test func historyLabelChecksTheProfileWithMaxGridBins() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("grid.yaml").path
        try "extends: \(CLIProcess.packageRoot.appendingPathComponent(CLIHistory.reaudit).path)\nsettings:\n  bootstrap: 100\nstatistics:\n  score_grid:\n    bins: 200000\n"
            .write(toFile: profile, atomically: true, encoding: .utf8)
        let history = folder.appendingPathComponent("audits.sqlite").path
        let audit = try CLIHistory.run(["audit", "--profile", profile, "--data", CLIHistory.week2, "--history", history,
                                        "--threads", "1", "--max-grid-bins", "300000"])
        #expect(audit.standardError.hasPrefix("fairlead: appended entry 1 to \(history)\n"), "\(audit.standardError)")
        let label = try CLIHistory.run(["history", "label", "--history", history, "--entry", "1", "--max-grid-bins", "300000"]
                                       + CLIHistoryLabelTests.labels)
        #expect(label.standardError == "fairlead: appended entry 2 to \(history), completing entry 1\n", "\(label.standardError)")
    }
}
