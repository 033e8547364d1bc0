import ArgumentParser
import Fairlead
import Foundation

/// Writing a report as `audit` and `history label` do, and their exit code.
enum ReportOutput {
    /// Renders `report` in `format` and writes it through `output`, finishing it; `verbose`
    /// lists every finding in the text format (the others always hold them all).
    static func write(_ report: AuditReport, format: AuditCommand.Format, verbose: Bool = false, to output: OutputSink) throws {
        let text: String
        switch format {
        case .json: text = String(decoding: try report.jsonData(), as: UTF8.self) + "\n"
        case .markdown: text = MarkdownRendering.render(report)
        case .text: text = TerminalRendering.render(report, colour: output.path == nil && isatty(STDOUT_FILENO) == 1, verbose: verbose)
        }
        try output.write(text)
        try output.finish()
    }

    /// The files a profile makes an audit read: the profile and its bases, the data, the
    /// model and its background. An output path must be none of them.
    static func inputs(of profile: AuditProfile, data: String?) -> [String?] {
        profile.sourceFiles.map { $0 } + [data ?? profile.data.path, profile.model?.path, profile.model?.background]
    }

    /// Exit code 1 when the report's status is `fail`: a rule failed, drift was found or
    /// a proxy check failed (the status includes them all).
    static func exitForVerdicts(of report: AuditReport) throws {
        if report.status == .fail { throw ExitCode(1) }
    }
}
