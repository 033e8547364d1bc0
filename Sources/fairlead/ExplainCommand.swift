import ArgumentParser
import Fairlead
import Foundation

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain each lead's score to sales reps: the top reasons raising and lowering it, in plain words.",
        discussion: """
            With --profile, uses its model:, explanations: (templates, proxies, thresholds), \
            sensitive columns and id column; without one, give --model and --data.

              fairlead explain --profile fixtures/profiles/leads-explanations.yaml --ids L0000042
              fairlead explain --profile leads.yaml --data this-week.csv --format csv --out reasons.csv
              fairlead explain --model model.json --data leads.csv --sensitive ethnicity,gender --top 2

            A sensitive column, a proxy the profile declares (explanations.proxies) or one \
            that proxy detection finds on the reference data is never given as a reason, \
            however the model encodes it: one-hot features (sex_Female, sex=Female, \
            sex:Female, sex.Female) count as their column. Nor is a feature named like a \
            sensitive attribute (gender, ethnicity, age_band: the names init recognizes) \
            that no sensitive column declares: a warning names it, to declare with \
            --sensitive (a profile's sensitive:) or to show with --allow \
            (explanations.allow_in_reasons). Every format is for reps and \
            names nothing withheld; standard error says how many leads had a withheld \
            feature among their top reasons, and the audit report's explanations section \
            says what is withheld and why. A value of a one-hot column that the model has \
            no feature for (WEB_FORM where it knows web_form) is read as none of its levels: \
            a warning names the column, the rows and the first values (JSON also carries it \
            under warnings), and that column gives those leads no reason. Effects read in probability points (pts) for a \
            logistic model; JSON and CSV also keep the log-odds contribution. A whole file \
            is streamed in batches with bounded memory; --ids explains only those leads, in \
            that order.

            Exit codes: 0 done; 2 bad input or usage (an id not in the file is named with \
            the closest ids, an unknown --sensitive column with the closest columns); 3 \
            internal error.
            """
    )

    @Option(help: "The audit profile (YAML or JSON) naming the model.")
    var profile: String?

    @Option(help: "The model file (without --profile): XGBoost JSON, LightGBM model.txt, Fairlead linear JSON or ONNX (.onnx).")
    var model: String?

    @Option(help: "The CSV file of leads (default: the profile's data.path).")
    var data: String?

    @Option(parsing: .upToNextOption, help: "Explain only these lead ids (comma-separated or several), in this order.")
    var ids: [String] = []

    @Option(help: "Reasons per direction (default: the profile's explanations.top, else 3).")
    var top: Int?

    @Option(help: "text | json | csv | html (a card per lead with a waterfall of its score)")
    var format: String = "text"

    @Flag(help: "With --format html: the cards alone, without the page around them, to embed in a CRM.")
    var fragment = false

    @Option(help: "Write to this file (atomically) instead of standard output.")
    var out: String?

    @Option(help: "The id column (default: the profile's data.id, else lead_id when present, else row numbers).")
    var idColumn: String?

    @Option(help: "The data's column of recorded scores, compared with the model's (default: the profile's data.score; without --profile, none); a difference above 0.001 is warned about.")
    var score: String?

    @Option(help: "Without --profile: sensitive columns, comma-separated: data columns or the source column of one-hot features (never reasons; proxies are detected against them).")
    var sensitive: String?

    @Option(help: "Without --profile: features declared proxies, comma-separated.")
    var proxies: String?

    @Option(help: "Without --profile: sensitive or proxy features that may be reasons all the same, comma-separated.")
    var allow: String?

    @Option(help: "Without --profile: tree | tree-interventional | linear | kernel (default: by model type).")
    var explainer: String?

    @Option(help: "Without --profile: background rows (CSV) for interventional explainers.")
    var background: String?

    @Option(name: .customLong("baseline-level"), help: ArgumentHelp("Without --profile: " + BaselineLevelOption.help, valueName: "column=level"))
    var baselineLevels: [String] = []

    @Option(help: "Leads held in memory at a time.")
    var batchSize: Int = 16_384

    @OptionGroup var threads: ThreadsOption

    @OptionGroup var profileReading: ProfileReadingOptions

    @OptionGroup var limits: LimitsOption<ExplainCommand>

    func validate() throws {
        guard !CommandLineValidation.skipped else { return }
        guard ExplanationFormat(rawValue: format) != nil || format == "html" else {
            throw ValidationError("--format must be text, json, csv or html, found '\(format)'")
        }
        if fragment && format != "html" {
            throw ValidationError("--fragment is for --format html")
        }
        if let top, top < 1 { throw ValidationError("--top must be at least 1, found \(top)") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        if profile == nil {
            guard model != nil, data != nil else {
                throw ValidationError("without --profile, give --model and --data")
            }
        } else if model != nil || sensitive != nil || proxies != nil || allow != nil || explainer != nil || background != nil
                    || !baselineLevels.isEmpty {
            throw ValidationError("--model, --sensitive, --proxies, --allow, --explainer, --background and --baseline-level go without --profile; the profile sets them")
        }
        if let explainer, AttributionMethod(rawValue: explainer) == nil {
            throw ValidationError("--explainer must be one of \(AttributionMethod.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if leadIDs.contains(where: \.isEmpty) { throw ValidationError("--ids has an empty id") }
    }

    /// One column in two roles among the id, score and sensitive columns the flags (and the
    /// profile) name, refused as a profile giving them is: `--id-column gender` explained
    /// leads by a sensitive attribute, `--sensitive score` withheld every feature as its proxy.
    static func refuseColumnRoleConflict(_ roles: AuditProfile) throws {
        if let conflict = roles.columnRoleConflict {
            throw FairleadError(.usage, "\(conflict.path) (with --id-column, --score and --sensitive): \(conflict.message)")
        }
    }

    /// --ids split at commas.
    var leadIDs: [String] {
        ids.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    func run() throws {
        var explanations: LeadExplanations
        let output: OutputSink
        var minimumGroupSize = AuditProfile.Settings().minimumGroupSize
        if let path = profile {
            var loaded = try AuditProfile.load(path: path, reading: limits.over(profileReading.reading))
            loaded.limits = limits.applied(to: loaded.limits)
            output = try OutputSink(path: out, inputs: ReportOutput.inputs(of: loaded, data: data))
            let threadCount = try threads.apply(limits: loaded.limits)
            if let top { loaded.explanations = (loaded.explanations ?? AuditProfile.ExplanationsSpec()).with(top: top) }
            if let idColumn { loaded.data.id = idColumn }
            var roles = loaded
            if let score { roles.data.score = score }
            try Self.refuseColumnRoleConflict(roles)
            minimumGroupSize = loaded.settings.minimumGroupSize
            explanations = try LeadExplanations(profile: loaded, dataPath: data, threads: threadCount,
                                                reading: profileReading.reading)
        } else {
            output = try OutputSink(path: out, inputs: [model, data, background])
            let limits = limits.applied()
            let threadCount = try threads.apply(limits: limits)
            let sensitiveColumns = try sensitive.map { try ColumnListOption.names($0, flag: "--sensitive") } ?? []
            var roles = AuditProfile.adHoc(score: score ?? "")
            roles.data.id = idColumn
            roles.sensitive = sensitiveColumns.map { AuditProfile.SensitiveSpec(column: $0) }
            try Self.refuseColumnRoleConflict(roles)
            var spec = AuditProfile.ExplanationsSpec(top: top ?? 3)
            spec.proxies = try proxies.map { try ColumnListOption.names($0, flag: "--proxies") } ?? []
            spec.allowInReasons = try allow.map { try ColumnListOption.names($0, flag: "--allow") } ?? []
            explanations = try LeadExplanations(modelPath: model ?? "", dataPath: data ?? "", idColumn: idColumn,
                                                sensitive: sensitiveColumns, explanations: spec,
                                                method: explainer.flatMap(AttributionMethod.init(rawValue:)),
                                                background: background, threads: threadCount, limits: limits,
                                                baselineLevels: try BaselineLevelOption.levels(baselineLevels))
        }
        if let score {
            // Asked for by name: a file without it is an error, not a comparison skipped.
            var options = CSVOptions()
            options.limits = explanations.limits
            let header = try CSVReader.headerNames(path: explanations.dataPath, options: options)
            guard header.contains(score) else {
                throw FairleadError(.usage, "--score: the data has no column '\(MessageQuote.clipped(score))' (its columns: \(MessageQuote.list(header)))",
                                    at: SourceLocation(file: explanations.dataPath, line: 1))
            }
            explanations.scoreColumn = score
        }
        let ids = leadIDs
        let summary: ExplanationStream.Summary
        do {
            if format == "html" {
                let cards = HTMLExplainCards(layout: fragment ? .fragment : .page, baseValue: explanations.baseValue,
                                             link: explanations.model.link, top: explanations.reasonsPerDirection)
                // The page starts with the first batch: an id not in the file stops before anything is written.
                var started = false
                summary = try explanations.forEachBatch(ids: ids.isEmpty ? nil : ids, batchSize: batchSize) { leads in
                    if !started { try output.write(cards.header) }
                    started = true
                    try output.write(cards.cards(leads))
                }
                if !started { try output.write(cards.header) }
                try output.write(cards.footer)
            } else {
                let chosen = ExplanationFormat(rawValue: format) ?? .text
                summary = try explanations.run(format: chosen, ids: ids.isEmpty ? nil : ids, batchSize: batchSize) { try output.write($0) }
            }
            try output.finish()
        } catch {
            output.abandon()
            throw error
        }
        let shortfalls = explanations.proxyShortfalls(minimumGroupSize: minimumGroupSize)
        var undecided: Set<String> = []
        let withheld = explanations.withheld.sorted { $0.key < $1.key }.map { name, reason -> String in
            switch reason {
            case .sensitive: return "\(name) (sensitive)"
            case .declaredProxy: return "\(name) (declared proxy)"
            case .detectedProxy(let attribute) where shortfalls[attribute] != nil:
                undecided.insert(attribute)
                return "\(name) (proxy of \(attribute)?)"
            case .detectedProxy(let attribute): return "\(name) (proxy of \(attribute))"
            case .undeclaredSensitive: return "\(name) (named like a sensitive attribute)"
            }
        }
        let leads = summary.leads == 1 ? "1 lead" : "\(summary.leads) leads"
        writeToStandardError("fairlead: \(leads) explained; \(summary.leadsWithWithheldReasons) with a withheld feature among the top reasons"
                             + (withheld.isEmpty ? "" : " (never shown to reps: \(withheld.joined(separator: ", ")))")
                             + (explanations.consent.map { consent in
                                 "; \(summary.leadsWithoutConsent) lead\(summary.leadsWithoutConsent == 1 ? "" : "s") without consent to '\(consent.purpose)' skipped"
                             } ?? "")
                             + (explanations.pseudonymizer != nil && explanations.idColumn != nil
                                ? "; ids pseudonymized (\(LeadPseudonymizer.algorithm))" : ""))
        if let warning = explanations.undeclaredSensitiveWarning(options: profile == nil ? .commandLine : .profile) {
            writeToStandardError("fairlead: warning: \(warning)")
        }
        // In every format: a value the model has no feature for is read as none of the
        // levels it knows, and no reason presents it as one it weighed.
        for warning in summary.unseenLevels.warnings(reasonsWithheld: true) {
            writeToStandardError("fairlead: warning: \(warning)")
        }
        // The score explained is the model's: said when the file's own scores differ.
        if let column = explanations.scoreColumn, let warning = summary.scoreAgreement.warning(column: column) {
            writeToStandardError("fairlead: warning: \(warning)")
        }
        // Asked for by name and compared for no lead: said, not skipped.
        if let score, summary.leads > 0, summary.scoreAgreement.compared == 0 {
            writeToStandardError("fairlead: warning: --score: no lead's score was compared with the column '\(MessageQuote.clipped(score))': "
                                 + "it is read as text here (the id column, or the column of one-hot features), or holds no score for the leads explained")
        }
        if let column = explanations.idColumn, let warning = summary.repeatedIDs.warning(column: column) {
            writeToStandardError("fairlead: warning: \(warning)")
        }
        // An id asked for twice is explained once: said, so that a count of rows out is no surprise.
        var asked = Set<String>()
        let twice = ids.filter { !asked.insert($0).inserted }
        if let first = twice.first {
            writeToStandardError("fairlead: warning: --ids lists \(twice.count == 1 ? "an id" : "\(twice.count) ids") more than once "
                                 + "(the first: '\(MessageQuote.clipped(first))'); each lead is explained once, in the order of its first mention")
        }
        // A proxy found on too few reference rows is withheld all the same (the safe side),
        // but not as if it had been judged: "?" above, and why here.
        for attribute in undecided.sorted() {
            writeToStandardError("fairlead: proxies of \(attribute) marked ? are withheld without a judgement: \(shortfalls[attribute]!)")
        }
    }

}

extension AuditProfile.ExplanationsSpec {
    /// The same section with `top` reasons per direction.
    func with(top: Int) -> AuditProfile.ExplanationsSpec {
        var copy = self
        copy.top = top
        return copy
    }
}

extension ExplainCommand: LimitedCommand {
    /// The model (read whole), the leads, reference and id columns (CSV) and, with
    /// --profile, the profile (its score grid checked as it loads); leads are never
    /// grouped and rows in a profile's `data.postgres` are refused (--data gives a file);
    /// KernelSHAP plans its working memory against the budget, and a linear model's JSON is
    /// decoded within it.
    static let limitsHit: Set<Limits.Name> = .csvReading.union([.maxThreads, .memoryBudgetBytes, .maxFileBytes, .maxTreeDepth, .maxGridBins])
    static let limitsReads = "reads a model, the profile and rows from CSV files, and groups no rows and reads no database"
    var readsProfile: Bool { profile != nil }
}
