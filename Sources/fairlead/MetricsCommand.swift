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

    @Option(help: "Only this family: group-rate, disparity, inequality, queue, drift, explanation.")
    var family: String?

    func run() throws {
        let families = MetricDefinition.Family.allCases
        var selected = Metric.allCases
        if let family {
            guard let chosen = families.first(where: { $0.rawValue.replacingOccurrences(of: " ", with: "-") == family }) else {
                throw ValidationError("--family expects one of \(families.map { $0.rawValue.replacingOccurrences(of: " ", with: "-") }.joined(separator: ", ")), found '\(family)'")
            }
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
