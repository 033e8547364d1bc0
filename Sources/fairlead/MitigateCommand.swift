import ArgumentParser
import Fairlead
import Foundation

struct MitigateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mitigate",
        abstract: "What it would take for a profile's decisions to pass, and what it would cost.",
        discussion: """
            For each decision of the profile: the single score threshold at which every \
            checked rule holds, and group-specific thresholds that make the failing parity \
            rules hold (demographic parity, equal opportunity, equalized odds, randomized \
            where exact parity needs it, as Fairlearn's ThresholdOptimizer) — each keeping \
            the most conversions within what the decision selects today. Options, not \
            decisions: group-specific thresholds are disparate treatment, unlawful in many \
            settings (docs/mitigation.md).

              fairlead mitigate --profile fixtures/profiles/leads-predeployment.yaml

            Exit codes: 0 every decision passes or has an option; 1 some failing decision \
            has no feasible option; 2 bad input or usage; 3 internal error.
            """
    )

    @Option(help: "The audit profile (YAML or JSON); it needs a label column.")
    var profile: String

    @Option(help: "The data file (CSV or .csv.gz; - for standard input); overrides the profile's data.path.")
    var data: String?

    /// The formats the options are written in (no HTML page of its own yet).
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown
    }

    @Option(help: "Output format: text, json or markdown.")
    var format: Format = .text

    @Option(help: "Write the output to this file (atomically) instead of standard output.")
    var out: String?

    @Option(name: .customLong("reweigh-out"),
            help: ArgumentHelp("Also write AIF360's reweighing weights, one row per lead (id,group,label,weight), to this CSV.", valueName: "file"))
    var reweighOut: String?

    @Option(name: .customLong("reweigh-by"),
            help: ArgumentHelp("The attribute or intersection (a*b) the weights equalize; default: the first sensitive attribute.", valueName: "attribute"))
    var reweighBy: String?

    @OptionGroup var threads: ThreadsOption

    @OptionGroup var profileReading: ProfileReadingOptions

    @OptionGroup var limits: LimitsOption<MitigateCommand>

    func validate() throws {
        guard !CommandLineValidation.skipped else { return }
        if reweighBy != nil && reweighOut == nil { throw ValidationError("--reweigh-by chooses the weights of --reweigh-out; give --reweigh-out too") }
        if let reweighOut, OutputSink.sameDestination(reweighOut, out) {
            throw ValidationError("--reweigh-out and --out name the same "
                                  + (reweighOut == "-" || out == nil || out == "-" ? "output (standard output)" : "file")
                                  + ": the weights and the report each need their own")
        }
    }

    func run() throws {
        var resolved = try AuditProfile.load(path: profile, reading: limits.over(profileReading.reading))
        resolved.limits = limits.applied(to: resolved.limits)
        let inputs = ReportOutput.inputs(of: resolved, data: data)
        let output = try OutputSink(path: out, inputs: inputs)
        defer { output.abandon() }
        let weightsOutput = try reweighOut.map { try OutputSink(path: $0, inputs: inputs) }
        defer { weightsOutput?.abandon() }
        var mitigation = try Mitigation(profile: resolved, dataPath: data, threads: threads.apply(limits: resolved.limits))
        mitigation.reading = limits.over(profileReading.reading)
        if reweighOut != nil {
            mitigation.reweighBy = reweighBy ?? resolved.sensitive.first?.column
        }
        let progress: (@Sendable (String) -> Void)? = isatty(STDERR_FILENO) == 1
            ? { @Sendable line in writeToStandardError("fairlead: \(line)") } : nil
        let (report, weights) = try mitigation.runWithWeights(progress: progress)
        if let weightsOutput, let weights {
            try weightsOutput.write(weights.csv())
            try weightsOutput.finish()
        }
        let text: String
        switch format {
        case .json: text = String(decoding: try report.jsonData(), as: UTF8.self) + "\n"
        case .markdown: text = MitigationRendering.render(report, markdown: true)
        case .text: text = MitigationRendering.render(report, markdown: false)
        }
        try output.write(text)
        try output.finish()
        if report.status == "none_feasible" { throw ExitCode(1) }
    }
}

extension MitigateCommand: LimitedCommand {
    /// The profile (its score grid checked as it loads) and its rows from a CSV file,
    /// grouped by every attribute; no model is loaded, no interval drawn, and rows in
    /// a profile's `data.postgres` are refused (--data gives a file).
    static let limitsHit: Set<Limits.Name> = .csvReading.union([.maxThreads, .maxGridBins, .maxGroups])
    static let limitsReads = "reads the profile and rows from a CSV file: no model, report or database is read and no interval drawn"
}
