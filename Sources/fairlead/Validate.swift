import ArgumentParser
import Fairlead

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check an audit profile and print what an audit with it will do.",
        discussion: """
            Runs every check an audit makes before it reads a data row, with the same \
            messages: keys and values, metric names (with did-you-mean), no placeholder \
            left by `fairlead init`, thresholds inside data.score_range, the data file \
            exists and its header has every column the profile names (only the header is \
            read), the model file exists.

            Exits 0 when the profile is valid, 2 with a message naming the file, line, \
            column and key when not.
            """
    )

    @Argument(help: "The profile (YAML or JSON).")
    var profile: String

    @Option(help: "Check against this data file instead of the profile's data.path.")
    var data: String?

    @OptionGroup var profileReading: ProfileReadingOptions

    @OptionGroup var limits: LimitsOption

    func run() throws {
        var loaded = try AuditProfile.load(path: profile, reading: profileReading.reading)
        loaded.limits = limits.applied(to: loaded.limits)
        let outcome = try AuditPreflight.check(loaded, dataPath: data)
        // The summary quotes column names, groups and paths from the profile: each line
        // shown with its controls visible.
        var lines = [TerminalEscaping.visibleKeepingLines(loaded.summary), ""]
        if let header = outcome.header, let path = outcome.dataPath.map(TerminalEscaping.visible) {
            lines.append("Checked \(path): its header has all \(outcome.columnsRead.count) columns the profile names (of \(header.count)).")
        } else if let path = outcome.dataPath.map(TerminalEscaping.visible) {
            lines.append("\(path) is not a regular file; its header is checked when the audit reads it.")
        } else if data == nil, let postgres = loaded.data.postgres {
            // validate does not connect: the columns are checked when the audit asks the server.
            let how = postgres.pushdown ? "the aggregate query runs there (pushdown)" : "the columns read are streamed"
            lines.append("The rows are in PostgreSQL, \(TerminalEscaping.visible(postgres.displayName)): \(how); not contacted by validate.")
        } else {
            lines.append("No data file named; give one with `fairlead audit --data`.")
        }
        if loaded.settings.verdict == .interval {
            // Between-groups rules are judged on Wilson intervals of the group rates; the
            // comparisons with a reference on their bootstrap intervals.
            let undecidable = loaded.rules.filter { rule in
                let definition = rule.metric.definition
                return definition.intervals == .none
                    || (definition.intervals == .bootstrap && definition.scope == .perGroup && loaded.settings.bootstrapReplicates == 0)
            }
            if !undecidable.isEmpty {
                lines.append("Warning: with settings.verdict: interval these rules have no interval and are always insufficient evidence: "
                             + undecidable.map(\.expression).joined(separator: ", "))
            }
        }
        if loaded.rules.isEmpty {
            lines.append("The profile has no rules: audits report its metrics with the status NO RULES.")
        }
        lines.append("The profile is valid.")
        try OutputSink.print(lines.joined(separator: "\n") + "\n")
    }
}
