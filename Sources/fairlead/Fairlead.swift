import ArgumentParser
import Fairlead
import Foundation

@main
struct FairleadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fairlead",
        abstract: "Audit lead-scoring models for fairness and explain their scores.",
        discussion: """
            Exit codes: 0 every judged rule passes (or some lack evidence, or there are \
            no rules: status NO RULES); 1 a rule failed, drift was found or a proxy check \
            failed; 2 bad input or usage (the message names the file, line, column or \
            key); 3 internal error.
            """,
        version: FairleadVersion.current,
        subcommands: [AuditCommand.self, AttributionsCommand.self, ExplainCommand.self, HistoryCommand.self, Init.self, Inspect.self,
                      MetricsCommand.self, MitigateCommand.self, PrivacyRiskCommand.self, RenderCommand.self, SQLCommand.self,
                      ServeCommand.self, StatsCommand.self, Validate.self]
    )

    /// Runs the command line and ends the process with DESIGN.md's exit codes, which
    /// differ from ArgumentParser's defaults (it uses 64 for usage errors).
    static func main() {
        BLAS.stopIdleThreads()
        ProcessSignals.install()
        let code: Int32
        var parsed: ParsableCommand?
        do {
            var arguments = Array(CommandLine.arguments.dropFirst())
            var command: ParsableCommand
            while true {
                do {
                    command = try parseAsRoot(arguments)
                    parsed = command
                    break
                } catch {
                    if let joined = joiningNegativeValue(behind: error, in: arguments) {
                        arguments = joined
                        continue
                    }
                    throw misspelledSubcommand(behind: error, arguments: arguments)
                        ?? unrecognizedArgument(behind: error, arguments: arguments) ?? error
                }
            }
            try command.run()
            code = 0
        } catch {
            code = report(error, command: parsed)
            // Said after the error: an output cut short where it cannot be taken back. An
            // exit status a command chose (a verdict) follows its whole output.
            if !(error is ExitCode) {
                for incomplete in OutputSink.incompleteOutputs { writeToStandardError("fairlead: " + incomplete) }
            }
        }
        Foundation.exit(code)
    }

    /// ArgumentParser offers the nearest option for a misspelt one ("Did you mean
    /// '--history'?") but nothing for a misspelt subcommand: `fairlead histroy` said only
    /// "Unexpected argument 'histroy'". A first argument that names no subcommand but is
    /// a typo of one (``typoNames(of:in:limit:)``, the rule of every "did you mean") is
    /// answered with it; `nil` for any other failure.
    static func misspelledSubcommand(behind error: Error, arguments: [String]) -> Error? {
        guard exitCode(for: error) == .validationFailure, let first = arguments.first, !first.hasPrefix("-") else { return nil }
        let names = configuration.subcommands.map { $0._commandName } + ["help"]
        guard !names.contains(first), let match = typoNames(of: first, in: names, limit: 1).first else { return nil }
        return ValidationError("Unknown command '\(first)'. Did you mean '\(match)'?")
    }

    /// ArgumentParser runs a command's `validate()`, and looks for the options a command
    /// requires, before it reports the arguments it did not recognize, so a mistyped
    /// option came out as the one it was meant to be: `audit --sensative …` said "without
    /// --profile, give --data, --score and --sensitive", and `history verify --histroy h.db`
    /// "Missing expected argument '--history <history>'". After either failure the command
    /// line is parsed again with every `validate()` skipped (``CommandLineValidation/skipped``)
    /// and each missing option given a stand-in value; an unrecognized argument found then
    /// is the error to report.
    static func unrecognizedArgument(behind error: Error,
                                     arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Error? {
        guard exitCode(for: error) == .validationFailure else { return nil }
        var arguments = arguments
        // One stand-in per required option at most; a command requires a handful.
        for _ in 0..<16 {
            do {
                _ = try CommandLineValidation.$skipped.withValue(true) { try parseAsRoot(arguments) }
                return nil
            } catch let next {
                guard exitCode(for: next) == .validationFailure else { return nil }
                // The message alone: `fullMessage(for:)` adds "Error: " and the usage.
                let message = self.message(for: next)
                if let missing = missingOption(in: message) {
                    // Not found yet: give it a value that any option's type reads, and look again.
                    guard !arguments.contains(missing) else { return nil }
                    arguments += [missing, standIn]
                    continue
                }
                let isUnrecognized = message.contains("Unknown option") || message.contains("Unexpected argument")
                guard isUnrecognized, !message.contains("'\(standIn)'"), message != fullMessage(for: error) else { return nil }
                return next
            }
        }
        return nil
    }

    /// ArgumentParser takes an argument that starts with a dash for an option, so a negative
    /// number given as an option's value (`--threshold -0.5` on a logit score, `--threads -1`,
    /// `--score-range -4,4`) said "Missing value for '--threshold <threshold>'". After that error, the option it
    /// names is joined to the negative number that follows it (`--threshold=-0.5`), which
    /// ArgumentParser reads as its value, and the command line is parsed again; `nil` when
    /// the error is another or no negative number follows the option.
    static func joiningNegativeValue(behind error: Error, in arguments: [String]) -> [String]? {
        guard let option = quotedOption(after: "Missing value for '", in: message(for: error)), option.hasPrefix("-")
        else { return nil }
        for index in arguments.indices.dropLast() {
            // Past `--` every argument is a positional one.
            if arguments[index] == "--" { return nil }
            guard arguments[index] == option else { continue }
            let value = arguments[index + 1]
            // A number, or what starts like one (`-4,4` for --score-range, `-10%`, a typo such
            // as `-0.5x`, which the option then refuses for what it is): no option starts so.
            let second = value.dropFirst().first
            guard value.hasPrefix("-"), Double(value) != nil || second?.isASCII == true && (second!.isNumber || second == ".")
            else { continue }
            var joined = arguments
            joined.replaceSubrange(index...(index + 1), with: [option + "=" + value])
            return joined
        }
        return nil
    }

    /// What the re-parse gives a missing option (``unrecognizedArgument(behind:arguments:)``):
    /// text, a count and a number all read it.
    private static let standIn = "1"

    /// The option ArgumentParser's "Missing expected argument '--name <value>'" names, or
    /// `nil` for another message (or a missing positional argument, which names no option).
    static func missingOption(in message: String) -> String? {
        guard let name = quotedOption(after: "Missing expected argument '", in: message) else { return nil }
        return name.hasPrefix("--") && name.count > 2 ? name : nil
    }

    /// The name ArgumentParser quotes right after `prefix` in `message` ("Missing value for
    /// '--threshold <threshold>'" gives `--threshold`), or `nil` when `prefix` is not there.
    private static func quotedOption(after prefix: String, in message: String) -> String? {
        guard let start = message.range(of: prefix) else { return nil }
        return String(message[start.upperBound...].prefix { $0 != " " && $0 != "'" })
    }

    /// Writes `error` to standard error and gives its exit code; a limit hit says how
    /// `command` lets it be raised (``LimitRaiseHint``).
    static func report(_ error: Error, command: (any ParsableCommand)? = nil) -> Int32 {
        switch error {
        case is BrokenPipe:
            ProcessSignals.endByBrokenPipe()
        case let error as FairleadError:
            // Messages quote values from data, models and profiles: shown with their
            // controls visible and on one line, so a hostile column name cannot drive the
            // terminal or forge a line.
            var message = "fairlead: \(error)"
            if let limit = error.limit {
                message += LimitRaiseHint.text(for: limit, command: command)
            }
            writeToStandardError(message)
            return error.kind == .internalFailure ? 3 : 2
        case let exitCode as ExitCode:
            return exitCode.rawValue
        default:
            let argumentParserCode = exitCode(for: error)
            let message = argumentsOnOneLine(fullMessage(for: error))
            if argumentParserCode == .success {
                // --help and --version end here.
                do {
                    try OutputSink.print(message + "\n")
                } catch {
                    return report(error, command: command)
                }
                return 0
            }
            if argumentParserCode == .validationFailure {
                writeToStandardError(message, keepingLines: true)
                return 2
            }
            writeToStandardError("fairlead: internal error: \(message.isEmpty ? String(describing: error) : message)", keepingLines: true)
            return 3
        }
    }
}

/// Whether the commands' `validate()` is skipped: only while the command line is parsed
/// again to look for an unrecognized argument behind a validation failure
/// (``FairleadCommand/unrecognizedArgument(behind:)``).
enum CommandLineValidation {
    @TaskLocal static var skipped = false
}

/// ArgumentParser's messages keep their own line breaks, and quote command-line values
/// back (`The value '…' is invalid`, `Unexpected argument '…'`), as do the commands'
/// own usage errors (`--family expects one of …, found '…'`): a value holding a line
/// feed would print a line of its own, which could pass for fairlead's, and a value of
/// 10,000 characters would come back whole. Every argument with a line feed or more than
/// ``quotedArgumentLimit`` characters — and the value of such an `--option=value` — is
/// shown escaped and clipped (``MessageQuote/clipped(_:limit:)``) wherever the message
/// quotes it.
func argumentsOnOneLine(_ message: String, arguments: [String] = CommandLine.arguments) -> String {
    func needsQuoting(_ text: some StringProtocol) -> Bool {
        text.contains("\n") || text.unicodeScalars.count > quotedArgumentLimit
    }
    var quoted: [String] = []
    for argument in arguments.dropFirst() where needsQuoting(argument) {
        quoted.append(argument)
        if argument.hasPrefix("-"), let equals = argument.firstIndex(of: "=") {
            let value = argument[argument.index(after: equals)...]
            if needsQuoting(value) { quoted.append(String(value)) }
        }
    }
    var message = message
    // Longest first, so that a value inside a longer argument is not escaped twice over.
    for text in quoted.sorted(by: { $0.unicodeScalars.count > $1.unicodeScalars.count }) {
        message = message.replacingOccurrences(of: text, with: MessageQuote.clipped(text, limit: quotedArgumentLimit))
    }
    return message
}

/// The most characters of a command-line value a usage error quotes back.
let quotedArgumentLimit = 80

/// Writes `message` as one line to standard error, its controls and line breaks made
/// visible (``TerminalEscaping``): messages quote names and values from data, models and
/// profiles, and none can forge a line of its own. `keepingLines` is for ArgumentParser's
/// usage and help, whose line breaks are its own. A failed write is ignored: there is
/// nowhere left to say it.
func writeToStandardError(_ message: String, keepingLines: Bool = false) {
    // Every line bounded, whichever message quoted a value of a megabyte whole.
    let message = MessageQuote.messageLines(message)
    let shown = keepingLines ? TerminalEscaping.visibleKeepingLines(message) : TerminalEscaping.visible(message)
    let bytes = Array((shown + "\n").utf8)
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
