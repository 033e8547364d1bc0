import ArgumentParser
import Fairlead
import Foundation

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Write the per-group statistics of one data shard, to merge with others into one audit.",
        discussion: """
            Reads the data (a shard of the whole) as `fairlead audit` would and writes, as \
            JSON, every decision's per-group counts, weights and score sums under every \
            attribute and intersection of the profile. Parts of disjoint shards merge: \
            `fairlead audit --profile P --from-stats part-*.json` completes the audit from \
            them, with the same group metrics, intervals and findings as an audit of the \
            shards' rows together. Any engine that maps a command over partitions (Spark, \
            Dask, Beam, xargs) can so scale the scan (docs/scale.md).

              fairlead stats --profile leads.yaml --data shard-01.csv --out part-01.stats.json
              fairlead audit --profile leads.yaml --from-stats part-*.stats.json

            A part names the profile's statistics spec (columns, decisions, attributes, \
            bins, intersections): parts made under a different spec do not merge. Profiles \
            whose audit needs the rows are refused, saying why: top-k decisions, \
            individual-fairness rules, a model, drift, mitigation or quasi-identifiers, and \
            the lead-queue rules that depend on positions within the top k; the other \
            lead-queue rules are computed from score histograms on a grid (statistics: \
            score_grid, docs/scale.md).

            Exit codes: 0 written; 2 bad input or usage; 3 internal error.
            """
    )

    @Option(help: "The audit profile (YAML or JSON).")
    var profile: String

    @Option(help: "The shard (CSV or .csv.gz; - for standard input); overrides the profile's data.path.")
    var data: String?

    @Option(help: "Write the part to this file (atomically) instead of standard output.")
    var out: String?

    @OptionGroup var threads: ThreadsOption

    @OptionGroup var profileReading: ProfileReadingOptions

    @OptionGroup var limits: LimitsOption<StatsCommand>

    func run() throws {
        var resolved = try AuditProfile.load(path: profile, reading: limits.over(profileReading.reading))
        resolved.limits = limits.applied(to: resolved.limits)
        try StatisticsSupport.check(resolved)
        let output = try OutputSink(path: out, inputs: ReportOutput.inputs(of: resolved, data: data))
        defer { output.abandon() }
        let database = DatabaseData.source(of: resolved, data: data)
        let audit = try Audit(profile: resolved, dataPath: data ?? database?.displayName, threads: threads.apply(limits: resolved.limits))
        let progress: (@Sendable (String) -> Void)? = isatty(STDERR_FILENO) == 1
            ? { @Sendable line in writeToStandardError("fairlead: \(line)") } : nil
        let part: StatisticsPart
        if let database {
            part = database.pushdown
                ? try DatabaseData.pushdown(profile: resolved, spec: database, progress: progress)
                : try DatabaseData.streaming(audit, spec: database, progress: progress, { try $0.statisticsPart(progress: progress) },
                                             rowsRead: { $0.data.first?.rowsRead })
        } else {
            part = try audit.statisticsPart(progress: progress)
        }
        try output.write(String(decoding: try part.jsonData(), as: UTF8.self) + "\n")
        try output.finish()
        // An audit of these rows alone stops ("nothing to audit"); a shard may be empty,
        // but not silently.
        if part.rowsRead == 0, let shard = part.data.first {
            writeToStandardError("fairlead: warning: \(shard.source): the data has a header but no rows; the part counts none")
        }
    }
}

extension StatsCommand: LimitedCommand {
    /// The profile and the shard's rows, from a file or `data.postgres`; parts need no
    /// model, drift report or bootstrap (``StatisticsSupport``), so neither the file
    /// limit nor the memory budget is reached: the audit that merges the parts meets them.
    static let limitsHit: Set<Limits.Name> = .allLimits.subtracting([.memoryBudgetBytes, .maxFileBytes, .maxTreeDepth])
    static let limitsReads = "reads the profile and rows from a file or a database and sums them per group: no model, report or statistics part is read and no interval drawn (`fairlead audit --from-stats`, which merges the parts, takes the others)"
}
