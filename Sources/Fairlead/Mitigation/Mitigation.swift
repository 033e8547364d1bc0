import FairleadCore
import Foundation

/// Runs a profile's mitigation options on its data: for each decision, the single score
/// threshold at which every checked rule holds, and group-specific thresholds that make
/// the failing parity rules hold — each keeping the most expected conversions within the
/// capacity the decision uses today (docs/mitigation.md).
///
///     let profile = try AuditProfile.load(path: "fixtures/profiles/leads-predeployment.yaml")
///     let report = try Mitigation(profile: profile).run()
///     report.decisions["threshold_0.3"]?.singleThreshold?.threshold
///
/// Everything comes from per-group statistics down one ranking of the scores: each
/// attribute's threshold sweep at the distinct scores (at most ``maximumThresholds``,
/// else score quantiles) and each group's cumulative selections for
/// ``ThresholdOptimizer``; no candidate re-reads the rows.
public struct Mitigation: Sendable {
    public var profile: AuditProfile
    public var dataPath: String
    public var threads: Int
    /// The attribute or intersection (`a*b`) to reweigh by (``ReweighingExport``), or `nil`
    /// for no weights.
    public var reweighBy: String?
    /// How the profile's own files are read: here, the pseudonym key of the reweighing
    /// export's ids (`privacy.pseudonymize_ids`), confined as the profile's paths are.
    public var reading = ProfileReading()
    /// The most thresholds the single-threshold search tries; more distinct scores are
    /// thinned to this many quantiles.
    public static let maximumThresholds = 4000

    /// - Throws: `FairleadError(.usage)` when neither `dataPath` nor the profile names the data.
    public init(profile: AuditProfile, dataPath: String? = nil,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        let audit = try Audit(profile: profile, dataPath: dataPath, threads: threads)
        self.init(profile: profile, resolvedDataPath: audit.dataPath, threads: threads)
    }

    /// For an audit that has resolved its data path and read the rows already.
    init(profile: AuditProfile, resolvedDataPath: String, threads: Int) {
        self.profile = profile
        self.dataPath = resolvedDataPath
        self.threads = threads
    }

    struct Dimension {
        var name: String
        var grouping: Grouping
        var reference: ReferenceGroup
        var ranking: GroupedRanking
        var sweep: ThresholdSweep
    }

    /// Reads the data once and computes every decision's options.
    ///
    /// - Throws: `FairleadError` for bad data (as an audit does) and `.invalidProfile`
    ///   when the profile has no label column: options are chosen by conversions.
    public func run(progress: (@Sendable (String) -> Void)? = nil) throws -> MitigationReport {
        try runWithWeights(progress: progress).report
    }

    /// Reads the data once and computes every decision's options and, with
    /// ``reweighBy``, the reweighing weights.
    public func runWithWeights(progress: (@Sendable (String) -> Void)? = nil) throws
        -> (report: MitigationReport, weights: ReweighingExport?) {
        try Concurrently.limited(threads: threads) { try runWithWeightsSteps(progress: progress) }
    }

    private func runWithWeightsSteps(progress: (@Sendable (String) -> Void)?) throws
        -> (report: MitigationReport, weights: ReweighingExport?) {
        guard profile.data.label != nil else {
            throw FairleadError(.invalidProfile, "mitigation options need a label column (data.label): they are chosen by the conversions they keep",
                                at: SourceLocation(file: profile.sourceFiles.first, field: "data.label"))
        }
        try AuditPreflight.check(profile, dataPath: dataPath, readingHeader: false)
        if let reweighBy { try Self.checkReweighing(reweighBy, profile: profile) }
        progress?("reading \(dataPath)")
        let idName = reweighBy == nil ? nil : profile.data.id
        // The weights name each lead by its id: the key is loaded before any row is read.
        let pseudonymizer = idName == nil ? nil : try profile.privacy?.pseudonymizer(reading: reading)
        let input = try AuditInput.read(profile: profile, path: dataPath, threads: threads, idColumn: idName, model: nil)
        let weights = try reweighBy.map {
            try Self.reweighing($0, data: input.data, ids: try idName.map { try input.idColumn($0) }, idName: idName, profile: profile,
                                dataPath: dataPath, pseudonymizer: pseudonymizer)
        }
        var options = try self.report(data: input.data, progress: progress)
        // Weights rescaled by a power of two (tiny or huge ones) leave every rate alone but
        // not the totals: a capacity of "255.8 leads" for 191 rows weighing 1e-300 each.
        if let scale = input.weightScale {
            options.notes.append(Audit.weightScaleNote(scale, column: profile.data.weight ?? "weight")
                                 + "; so are the capacity, selected leads and conversions shown here")
        }
        options.reweighing = weights.map { MitigationReport.ReweighingFactors(attribute: $0.attribute, factors: $0.factors) }
        return (options, weights)
    }

    /// Every decision's options from rows already read — `fairlead mitigate`'s own read,
    /// or the audit's when the profile asks for a mitigation section. Needs labels.
    func report(data: AuditData, progress: (@Sendable (String) -> Void)? = nil) throws -> MitigationReport {
        let scale = ScoreScale.resolve(declared: profile.data.scoreRange, scores: data.scores)
        try scale.checkThresholds(profile.decisions, dataPath: dataPath)
        let columns = AuditColumns(scores: data.scores, labelColumn: data.labels, weights: data.weights, attributes: data.attributes)
        let ranking: ScoreRanking
        do {
            ranking = try ScoreRanking(columns: columns, scoreRange: profile.data.scoreRange)
        } catch let error as FairleadError {
            throw DecisionEvaluation.locate(error, dataPath: dataPath, profile: profile, decision: nil, records: data.sourceRecords)
        }
        let grid = Self.thresholds(ranking)
        var dimensions: [Dimension] = []
        for attributes in profile.sensitive.map({ [$0.column] }) + profile.intersections {
            let specs = attributes.compactMap { name in profile.sensitive.first { $0.column == name } }
            let grouping = try Grouping(columns: columns, attributes: attributes, missingPolicies: profile.missingPolicies(for: attributes),
                                        maxGroups: profile.limits.maxGroups)
            let grouped = ranking.grouped(by: grouping)
            dimensions.append(Dimension(name: attributes.joined(separator: "*"), grouping: grouping,
                                        reference: DecisionEvaluation.reference(for: specs), ranking: grouped,
                                        sweep: try ThresholdSweep(grouped, grid: .values(grid))))
        }
        var decisions: [String: MitigationReport.DecisionOptions] = [:]
        for decision in profile.decisions {
            progress?("decision \(decision.name): options")
            decisions[decision.name] = try options(for: decision, data: data, dimensions: dimensions, scale: scale)
        }
        var notes = ["options enforce exact parity in expectation (Fairlearn's ThresholdOptimizer) and select at most what each decision selects today; they are options for people to weigh, not decisions"]
        let unchecked = Set(profile.rules.filter { !OptionRules.isCheckable($0.metric) }.map(\.expression)).sorted()
        if !unchecked.isEmpty {
            notes.append("not checked on options (they depend on more than who is selected per group): \(unchecked.joined(separator: ", "))")
        }
        return MitigationReport(profile: profile.name, dataSource: dataPath, objective: "conversions_at_capacity",
                                status: profile.rules.isEmpty ? "no_rules"
                                    : MitigationReport.overallStatus(decisions.values.map(\.status)),
                                decisions: decisions, notes: notes, uncheckedRules: unchecked.isEmpty ? nil : unchecked)
    }

    /// The audit report's mitigation section (the profile's `mitigation:`): the same
    /// options and reweighing factors `fairlead mitigate` computes, from the audit's read.
    static func section(_ spec: AuditProfile.MitigationSpec, profile: AuditProfile, dataPath: String, data: AuditData,
                        threads: Int) throws -> MitigationReport {
        let mitigation = Mitigation(profile: profile, resolvedDataPath: dataPath, threads: threads)
        var section = spec.thresholds
            ? try mitigation.report(data: data)
            : MitigationReport(profile: profile.name, dataSource: dataPath, objective: "conversions_at_capacity",
                               status: "not_asked", decisions: [:], notes: ["threshold options not asked for (mitigation.thresholds: false)"])
        if spec.reweighing, let attribute = spec.reweighBy ?? profile.sensitive.first?.column {
            let export = try reweighing(attribute, data: data, ids: nil, idName: nil, profile: profile, dataPath: dataPath,
                                        pseudonymizer: nil)
            section.reweighing = MitigationReport.ReweighingFactors(attribute: export.attribute, factors: export.factors)
        }
        return section
    }

    /// The distinct scores of the ranked rows, ascending, thinned to at most
    /// ``maximumThresholds`` quantiles.
    static func thresholds(_ ranking: ScoreRanking) -> [Double] {
        let distinct = ranking.distinctScores
        guard distinct.count > maximumThresholds else { return distinct }
        let step = Double(distinct.count - 1) / Double(maximumThresholds - 1)
        return (0..<maximumThresholds).map { distinct[Int((Double($0) * step).rounded())] }
    }
}
