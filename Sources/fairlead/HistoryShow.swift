import ArgumentParser
import Fairlead
import Foundation

/// `fairlead history show`: one metric per group over time, an entry's report, or the
/// history page with every rule's trend.
struct HistoryShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a metric's trend per group over time, an entry's report, or the whole history as an HTML page.",
        discussion: """
            One table per profile, decision and attribute, a row per entry in as-of order, a \
            column per group. Of an entry and its re-runs (--rerun) only the latest is shown, \
            unless --all-runs. A fairness value (demographic_parity_difference, …) gets a \
            column per attribute. Besides the report's metric names: M.difference_to_reference, \
            M.ratio_to_reference, psi, share.change and F.change (docs/history.md).

            With --entry N, the report stored in entry N, rendered as `fairlead audit` would \
            (--format text, markdown, json or html). With --format json and no --entry, the \
            trend's tables as JSON, for programs. With --format html and no --entry, the \
            history page: every entry, and a chart per rule of each profile over the entries \
            (docs/html-report.md).

              fairlead history show --history audits.sqlite --format html --out history.html
              fairlead history show --history audits.sqlite --entry 3 --format html --out entry-3.html
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, markdown, json, html
    }

    @OptionGroup var history: HistoryFileOption

    @Option(help: "The metric to show.")
    var metric: String?

    @Option(help: "Only this profile's entries.")
    var profile: String?

    @Option(help: "Only entries whose data is as of this date (2026-03-02) or later.")
    var since: String?

    @Option(help: "Only this decision rule.")
    var decision: String?

    @Option(help: "Only this attribute.")
    var attribute: String?

    @Option(parsing: .unconditional, help: "Show the report stored in this entry (numbered from 1) instead of a trend.",
            transform: EntryNumber.parse)
    var entry: Int64?

    @Option(help: "Output format: text, markdown or json (the trend's tables, or --entry's report); html for --entry or the history page.")
    var format: Format = .text

    @Option(help: "Write the output to this file (atomically) instead of standard output.")
    var out: String?

    @Flag(help: "With --entry and --format text: every finding, not only the first screen's.")
    var verbose = false

    @Flag(help: "Every run in the trends: without it, an entry that a later re-run (--rerun) repeats is left out, and said.")
    var allRuns = false

    @OptionGroup var limits: LimitsOption<HistoryShow>

    func validate() throws {
        guard !CommandLineValidation.skipped else { return }
        if entry != nil, metric != nil || since != nil || decision != nil || attribute != nil || allRuns {
            throw ValidationError("--entry shows one whole report; --metric, --since, --decision, --attribute and --all-runs are for trends")
        }
        if entry == nil, format == .html, metric != nil || decision != nil || attribute != nil || since != nil {
            throw ValidationError("the history page (--format html without --entry) shows every rule's trend; "
                                  + "--metric, --since, --decision and --attribute are for the text, Markdown and JSON trend tables")
        }
    }

    func run() throws {
        let output = try OutputSink(path: out, history: history.path)
        defer { output.abandon() }
        let store = try HistoryStore.openForReading(path: history.path, limits: limits.applied())
        try store.requireIntactSchema()
        if let entry {
            guard let stored = try store.entry(entry) else {
                throw try store.missingEntry(entry)
            }
            if let redaction = try store.redaction(of: entry) {
                switch format {
                case .text: try output.write(RedactedEntryRendering.text(stored, redaction: redaction))
                case .markdown: try output.write(RedactedEntryRendering.markdown(stored, redaction: redaction))
                case .json: try output.write(try RedactedEntryRendering.json(stored, redaction: redaction))
                case .html: try output.write(RedactedEntryRendering.html(stored, redaction: redaction))
                }
                try output.finish()
                return
            }
            let report = try store.report(of: entry)
            let auditFormat: AuditCommand.Format
            switch format {
            case .text: auditFormat = .text
            case .markdown: auditFormat = .markdown
            case .json: auditFormat = .json
            case .html: auditFormat = .html
            }
            try ReportOutput.write(report, format: auditFormat, verbose: verbose, to: output)
            return
        }
        if format == .html {
            try output.write(try HTMLHistoryRendering.render(history: store, profile: profile, allRuns: allRuns))
            try output.finish()
            return
        }
        let trend = try HistoryTrend(history: store, metric: metric ?? "selection_rate", profile: profile, decision: decision, attribute: attribute,
                                     since: try since.map { try HistoryTime.parse($0, option: "--since") }, allRuns: allRuns)
        switch format {
        case .json: try output.write(try trend.json())
        case .markdown: try output.write(trend.markdown())
        default: try output.write(trend.text())
        }
        try output.finish()
    }
}

extension HistoryShow: LimitedCommand {
    static let limitsHit: Set<Limits.Name> = [.memoryBudgetBytes]
    static let limitsReads = "reads the history's reports (--entry, the HTML page), each decoded whole"
    var readsProfile: Bool { false }
}
