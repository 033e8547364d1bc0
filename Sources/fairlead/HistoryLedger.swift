import ArgumentParser
import Fairlead
import Foundation

/// `fairlead history ledger`: the privacy budget ledger of differentially private releases.
struct HistoryLedger: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "List the privacy budget ledger: ε spent per differentially private release, summed per data set.",
        discussion: """
            One row per release made by `fairlead audit --publish` with privacy.epsilon, \
            with the running total of its data set (by SHA-256) against the budget set when \
            it was made (basic composition: the ε add up). The ledger's head goes to standard \
            error: keep it to show later that no row was removed (docs/privacy.md).
            """
    )

    @OptionGroup var history: HistoryFileOption

    @Option(name: .customLong("data-sha256"), help: "Only the releases of the data set with this SHA-256 (as data.sha256 in the report).")
    var dataSHA256: String?

    @Flag(help: "Show when each release was recorded.")
    var times = false

    func run() throws {
        let store = try HistoryStore.openForReading(path: history.path)
        try store.requireIntactSchema()
        let rows = try store.privacyLedger(dataSHA256: dataSHA256?.lowercased())
        var table = TextTable(header: ["row"] + (times ? ["recorded"] : []) + ["data", "profile", "mechanism", "epsilon", "spent", "budget", "remaining"])
        let offset = times ? 1 : 0
        table.rightAligned = [0, 4 + offset, 5 + offset, 6 + offset, 7 + offset]
        table.labelColumns = [2 + offset]
        var spent: [String: UInt64] = [:]
        for row in rows {
            let total = spent[row.dataSHA256, default: 0] + row.epsilon.nanos
            spent[row.dataSHA256] = total
            let remaining = row.budget.nanos > total ? row.budget.nanos - total : 0
            table.rows.append([String(row.id)] + (times ? [row.recordedAt] : []) + [String(row.dataSHA256.prefix(12)) + "…", row.profile, row.mechanism,
                               row.epsilon.description, PrivacyBudgetAmount(nanos: total).description, row.budget.description,
                               PrivacyBudgetAmount(nanos: remaining).description])
        }
        // Profile names come from the history's files: shown with their controls visible.
        let lines = rows.isEmpty ? ["no differentially private release recorded"] : table.renderPlain(indent: "")
        try OutputSink.printLines(lines)
        // The head varies with the times recorded; like `verify`'s, it goes to standard error.
        writeToStandardError("fairlead: ledger head \(try store.privacyLedgerHead())")
    }
}
