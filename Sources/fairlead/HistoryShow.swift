import ArgumentParser
import Fairlead
import Foundation

/// `fairlead history show`: one metric per group over time.
struct HistoryShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a metric's trend per group over time, as an aligned table or Markdown.",
        discussion: """
            One table per profile, decision and attribute, a row per entry in as-of order, a \
            column per group. A fairness value (demographic_parity_difference, …) gets a \
            column per attribute. Besides the report's metric names: M.difference_to_reference, \
            M.ratio_to_reference, psi, share.change and F.change (docs/history.md).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, markdown
    }

    @OptionGroup var history: HistoryFileOption

    @Option(help: "The metric to show.")
    var metric: String = "selection_rate"

    @Option(help: "Only this profile's entries.")
    var profile: String?

    @Option(help: "Only entries whose data is as of this date (2026-03-02) or later.")
    var since: String?

    @Option(help: "Only this decision rule.")
    var decision: String?

    @Option(help: "Only this attribute.")
    var attribute: String?

    @Option(help: "Output format: text or markdown.")
    var format: Format = .text

    func run() throws {
        let store = try HistoryStore.openForReading(path: history.path)
        let trend = try HistoryTrend(history: store, metric: metric, profile: profile, decision: decision, attribute: attribute,
                                     since: try since.map { try HistoryTime.parse($0, option: "--since") })
        try OutputSink.print(format == .text ? trend.text() : trend.markdown())
    }
}
