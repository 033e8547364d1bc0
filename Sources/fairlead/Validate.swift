import ArgumentParser
import Fairlead
import Foundation

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check an audit profile and print what an audit with it will do.",
        discussion: """
            Runs every check an audit makes before it reads a data row, with the same \
            messages: keys and values, metric names (with did-you-mean), no placeholder \
            left by `fairlead init`, thresholds inside data.score_range, the data file \
            exists and its header has every column the profile names (only the header is \
            read), the model file exists. Rules the profile cannot judge as written are \
            named: those reading a model's features without model:, those needing labels \
            without data.label, calibration rules on a score_range that is not [0, 1].

            With --format json, prints what a program needs to hand the audit its data \
            (the Python package does): {"valid", "profile", "data", "columns"}, where \
            "columns" are the columns of the data file's header that the audit reads, and \
            the id column it checks, in the header's order (absent when no header was read).

            With --publish, also runs the checks `fairlead audit --publish` makes of the \
            profile's privacy: section before reading data (docs/privacy.md); without it, \
            a profile whose privacy: section those checks refuse gets a warning.

            Exits 0 when the profile is valid, 2 with a message naming the file, line, \
            column and key when not.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "The profile (YAML or JSON).")
    var profile: String

    @Option(help: "Check against this data file instead of the profile's data.path.")
    var data: String?

    @Option(help: "Output format: text, or json (the columns an audit of --data needs; for programs).")
    var format: Format = .text

    @Flag(help: "Also check the profile as `fairlead audit --publish` does before it reads data (the privacy: section's preconditions).")
    var publish = false

    @OptionGroup var profileReading: ProfileReadingOptions

    @OptionGroup var limits: LimitsOption<Validate>

    func run() throws {
        var loaded = try AuditProfile.load(path: profile, reading: limits.over(profileReading.reading))
        loaded.limits = limits.applied(to: loaded.limits)
        // The published view's preconditions: an error when asked for, a warning for a
        // profile whose privacy: section says it is meant to be published.
        var publishingRefusal: String?
        do {
            if publish || loaded.privacy != nil { try loaded.checkPublishing() }
        } catch let error as FairleadError where !publish {
            publishingRefusal = "\(error)"
        }
        let outcome = try AuditPreflight.check(loaded, dataPath: data)
        if format == .json {
            try OutputSink.print(try ValidationAnswer(profile: loaded, outcome: outcome).json())
            return
        }
        // The summary quotes column names, groups and paths from the profile: each line
        // shown with its controls visible, line breaks in a value among them.
        var lines = loaded.summaryLines.map(TerminalEscaping.visible) + [""]
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
            // The top-k rates' Wilson intervals need the rows: a score grid gives bounds only.
            let needRows = loaded.rules.filter { $0.metric.definition.family == .queue && $0.metric.definition.intervals == .wilson }
            if !needRows.isEmpty, loaded.statistics?.scoreGridBins != nil || loaded.data.postgres?.pushdown == true {
                lines.append("Note: an audit completed from statistics (a pushdown, or --from-stats on a score grid) has no interval for "
                             + needRows.map(\.expression).joined(separator: ", ")
                             + "; with settings.verdict: interval they are insufficient evidence there, judged on their intervals when the rows are audited")
            }
        }
        // Rules the profile as written can never judge (or not before labels come).
        lines += loaded.unmetRuleNeeds.map { TerminalEscaping.visible($0.sentence) }
        let driftNeeds = loaded.driftMetricsNeedingLabels
        if !driftNeeds.isEmpty {
            lines.append("Note: the data has no label column (data.label), and drift.metrics names values that need observed outcomes: "
                         + driftNeeds.joined(separator: ", ") + "; drift compares them only once labels are joined (data.label, or `fairlead history label`)")
        }
        if loaded.rules.isEmpty {
            lines.append("The profile has no rules: audits report its metrics with the status NO RULES.")
        }
        if let publishingRefusal {
            lines.append("Warning: `fairlead audit --publish` refuses this profile: " + TerminalEscaping.visible(publishingRefusal))
        } else if publish || loaded.privacy != nil, loaded.privacy?.isDifferentiallyPrivate == true {
            lines.append("Note: its differentially private release is charged to the privacy budget of a history: publish with --history.")
        }
        lines.append("The profile is valid.")
        // Each line bounded as a message line is: a 100,000-character name came back whole.
        try OutputSink.printLines(lines.map(MessageQuote.messageLines))
    }
}

/// `fairlead validate --format json`: what a program needs to hand an audit its data.
struct ValidationAnswer: Encodable {
    var valid = true
    var profile: String
    var data: String?
    /// The header's columns the audit needs, in the header's order: those it reads
    /// (``Audit/columnsToRead(header:)``, the model's feature columns included) and the id
    /// column, whose presence it checks. `nil` when no header was read.
    var columns: [String]?

    init(profile: AuditProfile, outcome: AuditPreflight.Outcome) throws {
        self.profile = profile.name
        data = outcome.dataPath
        if let header = outcome.header {
            var audit = try Audit(profile: profile, dataPath: outcome.dataPath, threads: 1)
            var needed = Set(try audit.columnsToRead(header: header))
            if let id = profile.data.id { needed.insert(id) }
            columns = header.filter { needed.contains($0) }
        }
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: JSONEscaping.escapingHidden(try encoder.encode(self)), as: UTF8.self) + "\n"
    }
}

extension Validate: LimitedCommand {
    static let limitsHit: Set<Limits.Name> = .csvReading.union([.maxFileBytes, .memoryBudgetBytes, .maxTreeDepth, .maxGridBins])
    static let limitsReads = "reads the profile, the data file's header and the model, and runs no audit"
}
