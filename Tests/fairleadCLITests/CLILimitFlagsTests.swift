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
                        "--max-columns", "--max-tree-depth"]
    static let sharded = "fixtures/profiles/leads-sharded.yaml"
    static let explanations = "fixtures/profiles/leads-explanations.yaml"
    static let mitigation = "fixtures/profiles/leads-mitigation.yaml"
    static let model = "fixtures/explanations/xgb-leads-score.json"
    /// The flags of a command that reads one CSV file and nothing else.
    static let csvFileFlags = ["--max-decompressed-bytes", "--max-compression-ratio", "--max-field-bytes", "--max-threads", "--max-columns"]

    static let cases: [Case] = [
        Case(command: ["sql", "--profile", "fixtures/profiles/leads-grid.yaml", "--dialect", "duckdb", "--table", "t"],
             refused: every.filter { $0 != "--max-grid-bins" }),
        Case(command: ["validate", profile], refused: ["--max-threads", "--max-query-seconds", "--max-groups"]),
        Case(command: ["init", "--data", data], refused: every.filter { !csvFileFlags.contains($0) }),
        Case(command: ["inspect", data], refused: every.filter { !csvFileFlags.contains($0) }),
        Case(command: ["privacy", "--data", data, "--quasi", "region", "--sensitive", "gender"],
             refused: every.filter { !csvFileFlags.contains($0) }),
        Case(command: ["history", "label", "--history", "missing.sqlite", "--entry", "1", "--labels", data, "--id", "lead_id",
                       "--label", "converted"],
             refused: ["--max-query-seconds"]),
        Case(command: ["stats", "--profile", sharded], refused: ["--memory-budget-bytes", "--max-file-bytes", "--max-tree-depth"]),
        Case(command: ["explain", "--profile", explanations], refused: ["--max-query-seconds", "--max-groups"]),
        Case(command: ["attributions", "--model", model, "--data", data, "--out", "attributions.csv"],
             refused: ["--max-grid-bins", "--max-query-seconds", "--max-groups"]),
        Case(command: ["mitigate", "--profile", mitigation],
             refused: ["--memory-budget-bytes", "--max-file-bytes", "--max-query-seconds", "--max-tree-depth"]),
        Case(command: ["history", "show", "--history", "missing.sqlite", "--entry", "1"], refused: every.filter { $0 != "--memory-budget-bytes" }),
        Case(command: ["history", "verify", "--history", "missing.sqlite"], refused: every.filter { $0 != "--memory-budget-bytes" }),
        Case(command: ["history", "redact", "--history", "missing.sqlite", "--before", "2026-01-01"],
             refused: every.filter { $0 != "--memory-budget-bytes" }),
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

    /// `render` reads one report and decodes it whole: its bytes and its planned memory.
    @Test func renderTakesTheFileLimitAndTheMemoryBudget() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = folder.appendingPathComponent("report.json").path
        let audit = try CLIProcess.run(["audit", "--profile", CLIHistory.weekly, "--format", "json", "--out", report, "--threads", "1"])
        #expect(audit.exitCode <= 1, "\(audit.standardError)")
        let small = try CLIProcess.run(["render", report, "--max-file-bytes", "1KiB"])
        #expect(small.exitCode == 2 && small.standardError.contains("more than the limit of 1 KiB"), "\(small.standardError)")
        let planned = try CLIProcess.run(["render", report, "--memory-budget-bytes", "64KiB"])
        #expect(planned.exitCode == 2 && planned.standardOutput.isEmpty)
        #expect(planned.standardError.hasPrefix("fairlead: \(report): the report holds "), "\(planned.standardError)")
        #expect(planned.standardError.contains("above the memory budget of 64 KiB; raise it with --memory-budget-bytes N"), "\(planned.standardError)")
        let rendered = try CLIProcess.run(["render", report, "--memory-budget-bytes", "64MiB"])
        #expect(rendered.exitCode == 0 && !rendered.standardOutput.isEmpty, "\(rendered.standardError)")
        for flag in Self.every where flag != "--max-file-bytes" && flag != "--memory-budget-bytes" {
            let run = try CLIProcess.run(["render", report, flag, "1000"])
            #expect(run.exitCode == 2, "\(flag)")
            #expect(run.standardError.contains("\(flag) bounds nothing this command reads: it reads one saved report, whole, and decodes it; its limit flags: --memory-budget-bytes, --max-file-bytes"),
                    "\(flag): \(run.standardError)")
        }
    }

    /// A command of the four that took all ten flags until each was traced to what its
    /// reading hits, one flag it now refuses with the whole refusal, and one it takes
    /// with the error of the limit it bounds.
    struct Narrowed: CustomTestStringConvertible, Sendable {
        var command: [String]
        var refused: String
        var refusal: String
        var taken: [String]
        var bound: String
        /// How the error says to raise the limit: only with what the command accepts.
        var hint: String
        var testDescription: String { command[0] }
    }

    static let narrowed: [Narrowed] = [
        // Parts hold sums: no model, report or part is read and no bootstrap drawn.
        Narrowed(command: ["stats", "--profile", sharded, "--threads", "1"], refused: "--max-file-bytes",
                 refusal: "it reads the profile and rows from a file or a database and sums them per group: no model, report or statistics part is read and no interval drawn (`fairlead audit --from-stats`, which merges the parts, takes the others); its limit flags: --max-decompressed-bytes, --max-compression-ratio, --max-field-bytes, --max-threads, --max-grid-bins, --max-query-seconds, --max-groups, --max-columns",
                 taken: ["--max-groups", "4"], bound: "more than the max_groups limit of 4",
                 hint: "raise it with --max-groups N or limits.max_groups in the profile"),
        // No lead is grouped and no database read.
        Narrowed(command: ["explain", "--profile", explanations, "--ids", "L0000001", "--threads", "1"], refused: "--max-groups",
                 refusal: "it reads a model, the profile and rows from CSV files, and groups no rows and reads no database; its limit flags: --max-decompressed-bytes, --max-compression-ratio, --max-field-bytes, --max-threads, --memory-budget-bytes, --max-file-bytes, --max-grid-bins, --max-columns, --max-tree-depth",
                 taken: ["--max-file-bytes", "1KiB"], bound: "more than the limit of 1 KiB",
                 hint: "raise it with --max-file-bytes N or limits.max_file_bytes in the profile"),
        // No profile: no grid, no groups, no database.
        Narrowed(command: ["attributions", "--model", model, "--data", data, "--out", "attributions.csv", "--threads", "1",
                           "--method", "kernel", "--background", data, "--samples", "100000"],
                 refused: "--max-grid-bins",
                 refusal: "it reads a model and rows from CSV files but no profile, groups no rows and reads no database; its limit flags: --max-decompressed-bytes, --max-compression-ratio, --max-field-bytes, --max-threads, --memory-budget-bytes, --max-file-bytes, --max-columns, --max-tree-depth",
                 taken: ["--memory-budget-bytes", "1MiB"], bound: "above the limit of 1 MiB",
                 hint: "raise it with --memory-budget-bytes N"),
        // The rows come from a CSV file; no model is loaded, no interval drawn.
        Narrowed(command: ["mitigate", "--profile", mitigation, "--threads", "1"], refused: "--max-query-seconds",
                 refusal: "it reads the profile and rows from a CSV file: no model, report or database is read and no interval drawn; its limit flags: --max-decompressed-bytes, --max-compression-ratio, --max-field-bytes, --max-threads, --max-grid-bins, --max-groups, --max-columns",
                 taken: ["--max-groups", "4"], bound: "more than the max_groups limit of 4",
                 hint: "raise it with --max-groups N or limits.max_groups in the profile"),
    ]

    /// `stats`, `explain`, `attributions` and `mitigate` took all ten flags and dropped
    /// those their reading cannot hit (`mitigate --max-query-seconds 1` read the same file
    /// as without it); a flag they take still bounds what they read.
    @Test(arguments: narrowed) func aNarrowedCommandRefusesWhatItCannotHitAndKeepsWhatItCan(_ test: Narrowed) throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let command = test.command.map { $0 == "attributions.csv" ? folder.appendingPathComponent($0).path : $0 }
        let refused = try CLIProcess.run(command + [test.refused, "1000"])
        #expect(refused.exitCode == 2)
        #expect(refused.standardError.hasPrefix("Error: \(test.refused) bounds nothing this command reads: \(test.refusal)\n"),
                "\(refused.standardError)")
        let bounded = try CLIProcess.run(command + test.taken)
        #expect(bounded.exitCode == 2, "\(bounded.standardError)")
        #expect(bounded.standardError.contains(test.bound), "\(bounded.standardError)")
        #expect(bounded.standardError.contains("; \(test.hint)\n"), "\(bounded.standardError)")
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

    /// `history label --threads` is held to the profile's `limits.max_threads`, as
    /// `audit --threads` is: it was checked against the flags and the default alone, so
    /// an entry whose profile allows one thread was completed on two.
    @Test func historyLabelChecksThreadsAgainstTheProfilesLimit() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("one-thread.yaml").path
        try "extends: \(CLIProcess.packageRoot.appendingPathComponent(CLIHistory.reaudit).path)\nsettings:\n  bootstrap: 100\nlimits:\n  max_threads: 1\n"
            .write(toFile: profile, atomically: true, encoding: .utf8)
        let history = folder.appendingPathComponent("audits.sqlite").path
        let audit = try CLIHistory.run(["audit", "--profile", profile, "--data", CLIHistory.week2, "--history", history, "--threads", "1"])
        #expect(audit.standardError.hasPrefix("fairlead: appended entry 1 to \(history)\n"), "\(audit.standardError)")
        let labels = ["--labels", CLIProcess.packageRoot.appendingPathComponent(CLIHistory.outcomes).path, "--id", "lead_id",
                      "--label", "converted"]
        let refusedAudit = try CLIHistory.run(["audit", "--profile", profile, "--data", CLIHistory.week2, "--threads", "2"])
        let refused = try CLIHistory.run(["history", "label", "--history", history, "--entry", "1", "--threads", "2"] + labels)
        #expect(refused.exitCode == 2)
        #expect(refused.standardError == refusedAudit.standardError, "\(refused.standardError)")
        #expect(refused.standardError.hasPrefix("fairlead: 2 threads is above the limit of 1"), "\(refused.standardError)")
        let raised = try CLIHistory.run(["history", "label", "--history", history, "--entry", "1", "--threads", "2",
                                         "--max-threads", "2"] + labels)
        #expect(raised.standardError == "fairlead: appended entry 2 to \(history), completing entry 1\n", "\(raised.standardError)")
    }

    /// `history redact --yes` verifies every report first, each decoded whole: it did so
    /// within the default memory budget and took no flag to raise it, so a history that
    /// `history verify --memory-budget-bytes` checked could not be redacted.
    @Test func historyRedactVerifiesWithinTheMemoryBudgetItIsGiven() throws {
        let folder = try CLIHistory.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try CLIHistory.quick(CLIHistory.weekly, in: folder)
        let history = folder.appendingPathComponent("audits.sqlite").path
        let audit = try CLIHistory.run(["audit", "--profile", profile, "--data", CLIHistory.week2, "--history", history, "--threads", "1"])
        #expect(audit.standardError.hasPrefix("fairlead: appended entry 1 to \(history)\n"), "\(audit.standardError)")
        let before = try Data(contentsOf: URL(fileURLWithPath: history))
        let small = try CLIProcess.run(["history", "redact", "--history", history, "--before", "2099-01-01", "--yes",
                                        "--memory-budget-bytes", "64KiB"])
        #expect(small.exitCode == 2 && small.standardOutput.isEmpty, "\(small.standardError)")
        #expect(small.standardError.contains("above the memory budget of 64 KiB; raise it with --memory-budget-bytes N\n"),
                "\(small.standardError)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: history)) == before, "a refused redaction changes nothing")
        let roomy = try CLIProcess.run(["history", "redact", "--history", history, "--before", "2099-01-01", "--yes",
                                        "--memory-budget-bytes", "64MiB"])
        #expect(roomy.exitCode == 0, "\(roomy.standardError)")
        #expect(roomy.standardOutput == "redacted 1 entry recorded before 2099-01-01T00:00:00Z (redaction 1): 1\n")
    }
}
