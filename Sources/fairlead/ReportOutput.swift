import ArgumentParser
import Fairlead
import Foundation

/// Writing a report as `audit` and `history label` do, and their exit code.
enum ReportOutput {
    static func write(_ report: AuditReport, format: AuditCommand.Format, to out: String?) throws {
        let output: Data
        switch format {
        case .json: output = try report.jsonData() + Data("\n".utf8)
        case .markdown: output = Data(MarkdownRendering.render(report).utf8)
        case .text: output = Data(TerminalRendering.render(report, colour: out == nil && isatty(STDOUT_FILENO) == 1).utf8)
        }
        if let out {
            try OutputFile.writeAtomically(output, to: out)
        } else {
            FileHandle.standardOutput.write(output)
        }
    }

    /// Exit code 1 when the report's status is `fail`: a rule failed, drift was found or
    /// a proxy check failed (the status includes them all).
    static func exitForVerdicts(of report: AuditReport) throws {
        if report.status == .fail { throw ExitCode(1) }
    }
}
