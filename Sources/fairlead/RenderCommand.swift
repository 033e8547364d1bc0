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
            Fairlead report, a newer schema version, or an output that cannot be written.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case html, markdown, text
    }

    /// The most bytes of report read: a report of a large audit is a few megabytes.
    static let maximumReportBytes = 256 << 20

    @Argument(help: "The report (JSON, from `fairlead audit --format json`).")
    var report: String

    @Option(help: "Output format: html, markdown or text.")
    var format: Format = .text

    @Option(help: "Write the output to this file (atomically) instead of standard output.")
    var out: String?

    @Flag(help: "With --format text: every finding, not only the first screen's.")
    var verbose = false

    func run() throws {
        let output = try OutputSink(path: out, inputs: [report])
        defer { output.abandon() }
        let decoded = try AuditReport.decode(json: try Self.read(report), source: report)
        let auditFormat: AuditCommand.Format
        switch format {
        case .html: auditFormat = .html
        case .markdown: auditFormat = .markdown
        case .text: auditFormat = .text
        }
        try ReportOutput.write(decoded, format: auditFormat, to: output, verbose: verbose)
    }

    /// The file's bytes, refusing what is not a regular file of sensible size before reading it.
    static func read(_ path: String) throws -> Data {
        let location = SourceLocation(file: path)
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw FairleadError(.usage, "cannot read the report: \(String(cString: strerror(errno)))", at: location)
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw FairleadError(.usage, "the report is not a regular file; give a JSON report written by `fairlead audit --format json`", at: location)
        }
        guard Int(status.st_size) <= maximumReportBytes else {
            throw FairleadError(.invalidData, "the report is \(status.st_size) bytes, more than the \(maximumReportBytes >> 20) MiB a report can be", at: location)
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw FairleadError(.usage, "cannot read the report: \(error.localizedDescription)", at: location)
        }
    }
}
