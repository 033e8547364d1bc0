import ArgumentParser
import Fairlead

/// `fairlead history …`: read, verify and complete the audit history.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show trends, verify and complete the audit history that `fairlead audit --history` appends to.",
        discussion: """
            The history is one SQLite file: every report whole, its numbers as indexed rows, \
            and a hash chain that makes edits and deletions evident (docs/history.md).

              fairlead history show --history audits.sqlite --metric selection_rate
              fairlead history verify --history audits.sqlite
              fairlead history label --history audits.sqlite --entry 12 --labels outcomes.csv \\
                  --id lead_id --label converted
              fairlead history redact --history audits.sqlite --before 2026-01-01 --yes
            """,
        subcommands: [HistoryShow.self, HistoryVerify.self, HistoryLabel.self, HistoryInit.self, HistoryLedger.self, HistoryRedact.self]
    )
}

/// `--history FILE` for the history subcommands.
struct HistoryFileOption: ParsableArguments {
    @Option(name: .customLong("history"), help: "The audit history file (SQLite).")
    var path: String
}
