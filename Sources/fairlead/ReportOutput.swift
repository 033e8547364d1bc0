import ArgumentParser
import Fairlead
import Foundation

/// Writing a report as `audit` and `history label` do, and their exit code.
enum ReportOutput {
    /// Renders `report` in `format` and writes it through `output`, finishing it.
    /// `verbose` is for the text format: every finding, not only the first screen's.
    static func write(_ report: AuditReport, format: AuditCommand.Format, verbose: Bool = false, to output: OutputSink) throws {
        try output.write(render(report, format: format, colour: output.path == nil && isatty(STDOUT_FILENO) == 1, verbose: verbose))
        try output.finish()
    }

    /// `report` in `format`: the one place each format's rendering is chosen.
    static func render(_ report: AuditReport, format: AuditCommand.Format, colour: Bool, verbose: Bool = false) throws -> String {
        switch format {
        case .json: return String(decoding: try report.jsonData(), as: UTF8.self) + "\n"
        case .markdown: return MarkdownRendering.render(report)
        case .html: return HTMLRendering.render(report)
        case .text: return TerminalRendering.render(report, colour: colour, verbose: verbose)
        }
    }

    /// The files a profile makes an audit read: the profile and its bases, the data, the
    /// model and its background. An output path must be none of them.
    static func inputs(of profile: AuditProfile, data: String?) -> [String?] {
        profile.inputFiles.map { $0 } + [data]
    }

    /// Exit code 1 when the report's status is `fail`: a rule failed, drift was found or
    /// a proxy check failed (the status includes them all).
    static func exitForVerdicts(of report: AuditReport) throws {
        if report.status == .fail { throw ExitCode(1) }
    }
}
