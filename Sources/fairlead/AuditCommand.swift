import ArgumentParser
import Fairlead
import Foundation

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit model scores for group fairness against a profile's rules.",
        discussion: """
            With --profile, runs that profile; flags given too override its keys. Without a \
            profile, a quick look: --data, --score and --sensitive are required.

              fairlead audit --profile fixtures/profiles/leads-predeployment.yaml
              fairlead audit --data leads.csv --score score --label converted \\
                  --sensitive ethnicity,gender --threshold 0.3 \\
                  --reference ethnicity=white --rule 'disparate_impact >= 0.8'

            An audit without rules reports its metrics with the status NO RULES: nothing \
            was judged, so nothing passed.

            With --history, the report is appended to an audit history (created when \
            missing) and the entry id is printed on standard error; a profile with a \
            drift: section is then compared with its baseline from that history. \
            Auditing the same data (by SHA-256) with the same profile content (not merely \
            the same name) and --as-of again appends nothing unless --rerun is given.

              fairlead audit --profile weekly.yaml --data scores-2026-w10.csv \\
                  --history audits.sqlite --as-of 2026-03-02

            With --publish, the output is the published view (docs/privacy.md): counts \
            below the profile's privacy.min_cell (default 10) suppressed, with \
            complementary suppression; or, when the profile sets privacy.epsilon, a \
            differentially private release charged to the privacy ledger of --history \
            (refused past privacy.budget). Verdicts, the status, the exit code and the \
            history entry are the full report's.

            Exit codes: 0 every judged rule passes (or some lack evidence, or there are no \
            rules) and no drift; 1 a rule failed, drift was found or a proxy check failed; \
            2 bad input or usage; 3 internal error.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown, html
    }

    @Option(help: "The audit profile (YAML or JSON).")
    var profile: String?

    @Option(help: "The data file (CSV or .csv.gz; - for standard input, a named pipe works too); overrides the profile's data.path.")
    var data: String?

    @Option(help: "The score column.")
    var score: String?

    @Option(help: "The 0/1 label column.")
    var label: String?

    @Option(help: "Sensitive columns, comma-separated (replaces the profile's).")
    var sensitive: String?

    @Option(name: .customLong("score-range"),
            help: "The score's scale, LOW,HIGH (e.g. 0,100); overrides data.score_range. Thresholds must lie in it; calibration needs it within 0,1.")
    var scoreRange: String?

    @Option(help: "Decide by score ≥ this threshold (replaces the profile's decisions).")
    var threshold: [String] = []

    @Option(help: ArgumentHelp("Bootstrap replicates for the intervals (overrides settings.bootstrap; default 1000; 0 turns intervals off). Their time grows with replicates × groups.",
                               valueName: "replicates"))
    var bootstrap: Int?

    /// `--threshold`'s numbers, read as a profile's are (``AuditProfile/decimal(_:)``);
    /// ``validate()`` has refused any other text.
    var thresholds: [Double] { threshold.compactMap(AuditProfile.decimal) }

    @Option(name: .customLong("top-k"), help: "Decide by the top K scores: a count (500) or a share (10%).")
    var topK: [String] = []

    @Option(help: "Reference group per attribute, ATTRIBUTE=GROUP (repeatable).")
    var reference: [String] = []

    @Option(help: ArgumentHelp("A rule to judge, 'METRIC OP NUMBER' such as 'disparate_impact >= 0.8' (repeatable; added to the profile's rules).",
                               valueName: "rule"))
    var rule: [String] = []

    @Option(help: "Output format: text, json, markdown or html (one self-contained page with charts; docs/html-report.md).")
    var format: Format = .text

    @Option(help: "Write the output to this file (atomically) instead of standard output.")
    var out: String?

    @Flag(help: "With the text format: list every finding with its reason after the summary (json and markdown hold them all).")
    var verbose = false

    @Option(help: "Append the report to this audit history (SQLite; created when missing).")
    var history: String?

    @Option(name: .customLong("as-of"), help: "With --history: the date the data describes (2026-03-02 or an ISO 8601 time); trends are ordered by it. Default: now.")
    var asOf: String?

    @Flag(help: "With --history: append the report even when an entry already holds this profile on the same data as of the same time; the new entry is marked as its re-run.")
    var rerun = false

    @Flag(help: "Write the published view: small cells suppressed, or a differentially private release (privacy: in the profile).")
    var publish = false

    @Option(name: .customLong("noise-seed"),
            help: ArgumentHelp("With --publish and privacy.epsilon: draw the noise from this seed instead of the system's cryptographic generator. Reproducible, so NOT private: for demonstrations and tests.",
                               visibility: .hidden))
    var noiseSeed: UInt64?

    @Option(name: .customLong("from-stats"), parsing: .upToNextOption,
            help: ArgumentHelp("Complete the audit from statistics parts written by `fairlead stats` (one or more files, such as part-*.json) instead of reading data; docs/scale.md.",
                               valueName: "part"))
    var fromStats: [String] = []

    @OptionGroup var threads: ThreadsOption

    @OptionGroup var profileReading: ProfileReadingOptions

    @OptionGroup var limits: LimitsOption<AuditCommand>

    func validate() throws {
        guard !CommandLineValidation.skipped else { return }
        if asOf != nil && history == nil {
            throw ValidationError("--as-of is recorded in the history; give --history too")
        }
        if noiseSeed != nil && !publish {
            throw ValidationError("--noise-seed is about the noise of --publish; give --publish too")
        }
        if rerun && history == nil {
            throw ValidationError("--rerun is about the history; give --history too")
        }
        if rerun && asOf == nil {
            throw ValidationError("--rerun appends a re-run of the audit as of the same --as-of time; without --as-of an audit describes the time it runs and is never a re-run: give --as-of too")
        }
        if !fromStats.isEmpty && data != nil {
            throw ValidationError("--from-stats completes the audit from statistics parts instead of data; give --data or --from-stats, not both")
        }
        if !fromStats.isEmpty && profile == nil {
            throw ValidationError("--from-stats needs the --profile the parts were made with")
        }
        if profile == nil {
            guard data != nil, score != nil, sensitive != nil else {
                throw ValidationError("without --profile, give --data, --score and --sensitive (and --threshold or --top-k)")
            }
        }
        // As a profile's `threshold:` is: `nan` selected no lead and was said to select
        // every one, `-1e400` was read as −∞, `1e-400` as 0 and `0x1p-1` as 0.5.
        if let bad = threshold.first(where: { AuditProfile.decimal($0) == nil }) {
            throw ValidationError("--threshold expects a finite number such as 0.3, found '\(MessageQuote.clipped(bad, limit: 80))'")
        }
    }

    func run() throws {
        let resolved = try resolvedProfile()
        if publish {
            // What a published view needs of the profile and the command line needs no
            // data: asked first.
            try PublishedOutput.checkBeforeReading(profile: resolved, history: history, noiseSeed: noiseSeed)
        }
        // Opened before the data is read: an output that is an input is refused first, and
        // a signal during the audit removes the temporary file.
        let output = try OutputSink(path: out, inputs: ReportOutput.inputs(of: resolved, data: data) + fromStats,
                                  history: history)
        defer { output.abandon() }
        let progress: (@Sendable (String) -> Void)? = isatty(STDERR_FILENO) == 1
            ? { @Sendable line in writeToStandardError("fairlead: \(line)") } : nil
        let asOfDate = try asOf.map { try HistoryTime.parse($0, option: "--as-of") }
        if let asOf, let asOfDate { try HistoryTime.requireWholeSecond(asOfDate, text: asOf, option: "--as-of") }
        // A time to come is recorded as given, and most likely a typo (9999-12-31 for 2025-12-31).
        if let asOf, let asOfDate, asOfDate.timeIntervalSinceNow > 86_400 {
            writeToStandardError("fairlead: warning: --as-of \(MessageQuote.clipped(asOf, limit: 40)) is later than today; the history records "
                                 + "the audit as describing that time")
        }
        let store = try history.map { try HistoryStore(path: $0, limits: resolved.limits) }
        if !fromStats.isEmpty {
            // What needs the rows is refused before any part is read.
            try StatisticsSupport.check(resolved)
            // Every part is held until they merge: their memory is planned together.
            var memory = StatisticsPartMemory(limits: resolved.limits)
            let parts = try fromStats.map { file in
                (file: file, part: try StatisticsPart.read(file, profile: resolved, memory: &memory))
            }
            let report = try Audit.fromStatistics(profile: resolved, parts: parts,
                                                  threads: threads.apply(limits: resolved.limits), progress: progress)
            // Said where it is seen whatever the format: the report's notes hold it too.
            if let unchecked = StatisticsPart.uncheckedOverlap(parts.flatMap(\.part.data)) {
                writeToStandardError("fairlead: warning: \(unchecked)")
            }
            try finish(report, profile: resolved, output: output, history: store, asOf: asOfDate)
            return
        }
        if let database = DatabaseData.source(of: resolved, data: data), database.pushdown {
            let part = try DatabaseData.pushdown(profile: resolved, spec: database, progress: progress)
            let report = try Audit.fromStatistics(profile: resolved, parts: [(file: database.displayName, part: part)],
                                                  threads: threads.apply(limits: resolved.limits), progress: progress)
            try finish(report, profile: resolved, output: output, history: store, asOf: asOfDate)
            return
        }
        let database = DatabaseData.source(of: resolved, data: data)
        var audit = try Audit(profile: resolved, dataPath: data ?? database?.displayName, threads: threads.apply(limits: resolved.limits))
        if let drift = resolved.drift {
            audit.driftBaseline = try DriftBaseline.resolve(drift, profile: resolved.name, history: store, asOf: asOfDate,
                                                            limits: resolved.limits)
        }
        let report: AuditReport
        if let database {
            report = try DatabaseData.streaming(audit, spec: database, progress: progress, { try $0.run(progress: progress) },
                                                rowsRead: { $0.rows.read })
        } else {
            report = try audit.run(progress: progress)
        }
        try finish(report, profile: resolved, output: output, history: store, asOf: asOfDate)
    }

    /// Publishes, writes and records the report, and exits by its verdicts.
    private func finish(_ report: AuditReport, profile resolved: AuditProfile, output: OutputSink,
                        history store: HistoryStore?, asOf asOfDate: Date?) throws {
        let shown = try publish ? PublishedOutput.make(from: report, profile: resolved, history: store, noiseSeed: noiseSeed) : report
        // The report is written in full before the history records it: an output that
        // fails (a full disk, a closed standard output) appends nothing, so a run retried
        // after exit 2 records the audit once.
        try ReportOutput.write(shown, format: format, verbose: verbose, to: output)
        if let store {
            try HistoryAppend.record(report, in: store, asOf: asOfDate, rerun: rerun)
        }
        try ReportOutput.exitForVerdicts(of: report)
    }

    /// The profile, with every flag given applied over it.
    func resolvedProfile() throws -> AuditProfile {
        var profile: AuditProfile
        if let path = self.profile {
            profile = try AuditProfile.load(path: path, reading: limits.over(profileReading.reading))
        } else {
            profile = AuditProfile.adHoc(score: score ?? "")
        }
        profile.limits = limits.applied(to: profile.limits)
        if let score { profile.data.score = score }
        if let label {
            // A new label column: the profile's positive values belonged to its old one.
            profile.data.label = label
            profile.data.labelPositive = nil
        }
        if let bootstrap {
            if let problem = profile.settings.replicatesProblem(bootstrap) { throw FairleadError(.usage, "--bootstrap: \(problem)") }
            profile.settings.bootstrapReplicates = bootstrap
        }
        if let scoreRange {
            let bounds = scoreRange.split(separator: ",", omittingEmptySubsequences: false).map { AuditProfile.decimal(String($0)) }
            guard bounds.count == 2, let low = bounds[0], let high = bounds[1], low.isFinite, high.isFinite, low <= high else {
                throw FairleadError(.usage, "--score-range expects LOW,HIGH with LOW ≤ HIGH, such as 0,100; found '\(MessageQuote.clipped(scoreRange, limit: 80))'")
            }
            if let problem = AuditProfile.scoreRangeProblem(low...high) { throw FairleadError(.usage, "--score-range \(problem)") }
            profile.data.scoreRange = low...high
        }
        if let sensitive {
            profile.sensitive = try ColumnListOption.names(sensitive, flag: "--sensitive").map { column in
                if let problem = AuditProfile.sensitiveColumnProblem(column) { throw FairleadError(.usage, "--sensitive: \(problem)") }
                return AuditProfile.SensitiveSpec(column: column)
            }
            profile.intersections = profile.intersections.filter { columns in
                columns.allSatisfy { column in profile.sensitive.contains { $0.column == column } }
            }
        }
        if !threshold.isEmpty || !topK.isEmpty {
            profile.decisions = try AuditProfile.commandLineDecisions(thresholds: thresholds, topK: topK)
            // A rule the profile scoped to decisions the flags replaced is judged nowhere: the
            // report says "not judged" and the status cannot pass, and the run says why here
            // (what-if runs with other decisions stay possible).
            let names = profile.decisions.map(\.name)
            for rule in profile.rules {
                guard let scope = rule.decisions else { continue }
                if let gone = scope.first(where: { !names.contains($0) }) {
                    writeToStandardError("fairlead: warning: --threshold/--top-k replace the profile's decisions: the rule '\(rule.expression)' is scoped to decision '\(MessageQuote.clipped(gone))', "
                                         + "which they leave out (the decisions now: \(names.joined(separator: ", "))), so it is not judged there")
                } else if let problem = AuditProfile.scopeProblem(rule.metric, names: scope, decisions: profile.decisions) {
                    writeToStandardError("fairlead: warning: --threshold/--top-k: the rule '\(rule.expression)': \(problem)")
                }
            }
        }
        // An attribute given two reference groups would silently keep the last.
        var referenceGroups: [String: String] = [:]
        for entry in reference {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let index = profile.sensitive.firstIndex(where: { $0.column == parts[0] }) else {
                throw FairleadError(.usage, "--reference expects ATTRIBUTE=GROUP with ATTRIBUTE one of the sensitive columns, found '\(MessageQuote.clipped(entry, limit: 80))'")
            }
            if let earlier = referenceGroups.updateValue(parts[1], forKey: parts[0]) {
                func quoted(_ text: String) -> String { "'\(MessageQuote.clipped(text, limit: 80))'" }
                throw FairleadError(.usage, "--reference names the attribute \(quoted(parts[0])) twice, as \(quoted(earlier)) and as \(quoted(parts[1])): give one reference group per attribute")
            }
            profile.sensitive[index].reference = .group(parts[1])
        }
        if profile.decisions.isEmpty {
            throw FairleadError(.usage, "give a decision rule: --threshold T or --top-k K")
        }
        // The flags may give a column a second role the profile did not.
        if let conflict = profile.columnRoleConflict {
            let flags = [score.map { _ in "--score" }, label.map { _ in "--label" }, sensitive.map { _ in "--sensitive" }].compactMap { $0 }
            throw FairleadError(.usage, "\(conflict.path) (with \(flags.isEmpty ? "the flags" : flags.joined(separator: ", "))): \(conflict.message)")
        }
        for expression in rule {
            let parsed = try AuditProfile.rule(expression, source: "--rule")
            // A rule the profile already has would be judged (and counted) twice.
            if profile.rules.contains(where: { $0.expression == parsed.expression && $0.attributes == nil && $0.decisions == nil }) {
                writeToStandardError("fairlead: --rule '\(expression)': the profile has this rule already")
                continue
            }
            profile.rules.append(parsed)
        }
        return profile
    }
}

extension AuditCommand: LimitedCommand {
    static let limitsHit: Set<Limits.Name> = .allLimits
    static let limitsReads = "reads rows, statistics parts, models, reports and databases"
}
