import ArgumentParser
import Fairlead

struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "List every metric a rule can check, with its family, needs, range and direction.",
        discussion: """
            The metric catalog: what `rules:`, `--rule` and `metrics:` accept. With \
            --format markdown, the table of docs/metrics.md ("The catalog").

              fairlead metrics
              fairlead metrics --family disparity
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown }

    @Option(help: "text or markdown.")
    var format: Format = .text

    /// A family as `--family` spells it: `group-rate` for "group rate".
    static func spelling(_ family: MetricDefinition.Family) -> String { family.rawValue.replacingOccurrences(of: " ", with: "-") }

    // The list from the catalog: it was written out, and left out `individual`.
    @Option(help: ArgumentHelp("Only this family: \(MetricDefinition.Family.allCases.map(MetricsCommand.spelling).joined(separator: ", ")).",
                               valueName: "family"))
    var family: String?

    func validate() throws {
        // Here, not in run(): a usage error then shows this command's usage, not the tool's.
        if let family, !MetricDefinition.Family.allCases.contains(where: { Self.spelling($0) == family }) {
            throw ValidationError("--family expects one of \(MetricDefinition.Family.allCases.map(Self.spelling).joined(separator: ", ")), found '\(family)'")
        }
    }

    func run() throws {
        var selected = Metric.allCases
        if let family, let chosen = MetricDefinition.Family.allCases.first(where: { Self.spelling($0) == family }) {
            selected = Metric.family(chosen)
        }
        switch format {
        case .markdown:
            try OutputSink.print(Metric.catalogMarkdown(selected))
        case .text:
            try OutputSink.print(Metric.catalogText(selected))
        }
    }
}
