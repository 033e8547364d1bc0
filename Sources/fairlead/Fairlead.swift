import ArgumentParser
import Fairlead
import Foundation

@main
struct FairleadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fairlead",
        abstract: "Audit lead-scoring models for fairness and explain their scores.",
        discussion: """
            Exit codes: 0 all rules pass; 1 a rule failed or drift was found; \
            2 bad input or usage (the message names the file, line, column or key); \
            3 internal error.
            """,
        version: FairleadVersion.current,
        subcommands: [AuditCommand.self, AttributionsCommand.self, ExplainCommand.self, HistoryCommand.self, Init.self, Inspect.self,
                      MetricsCommand.self, Validate.self]
    )

    /// Runs the command line and ends the process with DESIGN.md's exit codes, which
    /// differ from ArgumentParser's defaults (it uses 64 for usage errors).
    static func main() {
        ProcessSignals.install()
        let code: Int32
        do {
            var command = try parseAsRoot()
            try command.run()
            code = 0
        } catch {
            code = report(error)
        }
        Foundation.exit(code)
    }

    static func report(_ error: Error) -> Int32 {
        switch error {
        case is BrokenPipe:
            ProcessSignals.endByBrokenPipe()
        case let error as FairleadError:
            var message = "fairlead: \(error)"
            if let limit = error.limit {
                message += "; raise it with \(limit.flag) N or limits.\(limit.rawValue) in the profile"
            }
            writeToStandardError(message)
            return error.kind == .internalFailure ? 3 : 2
        case let exitCode as ExitCode:
            return exitCode.rawValue
        default:
            let argumentParserCode = exitCode(for: error)
            let message = fullMessage(for: error)
            if argumentParserCode == .success {
                // --help and --version end here.
                do {
                    try OutputSink.print(message + "\n")
                } catch {
                    return report(error)
                }
                return 0
            }
            if argumentParserCode == .validationFailure {
                writeToStandardError(message)
                return 2
            }
            writeToStandardError("fairlead: internal error: \(message.isEmpty ? String(describing: error) : message)")
            return 3
        }
    }
}

/// Writes a line to standard error. A failure is ignored: there is nowhere left to say it.
func writeToStandardError(_ message: String) {
    let bytes = Array((message + "\n").utf8)
    bytes.withUnsafeBytes { buffer in
        guard let base = buffer.baseAddress else { return }
        var written = 0
        while written < buffer.count {
            let count = write(STDERR_FILENO, base + written, buffer.count - written)
            if count > 0 {
                written += count
            } else if count < 0, errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}
