import ArgumentParser
import Fairlead
import Foundation

/// `fairlead render REPORT.json`: a saved report (a CI artifact, an old audit) in another
/// format, without the data.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a saved JSON report as HTML, Markdown or text, without the data.",
        discussion: """
            Reads a report written by `fairlead audit --format json` (schema versions 1 and \
            2) and renders it as `audit` would have; no number is computed again.

              fairlead render report.json --format html --out report.html
              fairlead render report.json --format markdown

            Exit codes: 0 rendered (whatever the report's verdict); 2 a file that is not a \
            Fairlead report, a newer schema version, a report larger than --max-file-bytes or \
            whose decoding is planned above --memory-budget-bytes, or an output that cannot \
            be written.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case html, markdown, text
    }

    @Argument(help: "The report (JSON, from `fairlead audit --format json`); - reads it from standard input.")
    var report: String

    @Option(help: "Output format: html, markdown or text.")
    var format: Format = .text

    @Option(help: "Write the output to this file (atomically) instead of standard output.")
    var out: String?

    @Flag(help: "With --format text: every finding, not only the first screen's.")
    var verbose = false

    @OptionGroup var limits: LimitsOption<RenderCommand>

    func run() throws {
        let output = try OutputSink(path: out, inputs: [report])
        defer { output.abandon() }
        // Read in chunks up to --max-file-bytes: a pipe or device that never ends stops there.
        let applied = limits.applied()
        // `-` is standard input, as for `audit --data -` (it said "-: report not found").
        // A saved report given by path must be a regular file (a FIFO there hung `render`);
        // standard input is read as it comes.
        let source = report == "-" ? "standard input" : report
        let bytes = report == "-"
            ? try BoundedFile.readStandardInput(name: source, limits: applied, kind: .invalidData, what: "report", text: "a JSON report")
            : try BoundedFile.read(report, limits: applied, kind: .invalidData, what: "report", text: "a JSON report")
        let decoded = try AuditReport.decode(json: bytes, source: source, limits: applied)
        let auditFormat: AuditCommand.Format
        switch format {
        case .html: auditFormat = .html
        case .markdown: auditFormat = .markdown
        case .text: auditFormat = .text
        }
        try ReportOutput.write(decoded, format: auditFormat, verbose: verbose, to: output)
    }
}

extension RenderCommand: LimitedCommand {
    static let limitsHit: Set<Limits.Name> = [.maxFileBytes, .memoryBudgetBytes]
    static let limitsReads = "reads one saved report, whole, and decodes it"
    var readsProfile: Bool { false }
}
