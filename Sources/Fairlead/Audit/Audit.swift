import FairleadCore
import Foundation

/// Runs an audit profile on a data file and returns the canonical ``AuditReport``.
///
/// The library entry point; the CLI's `fairlead audit` is a thin layer over it.
///
///     let profile = try AuditProfile.load(path: "fixtures/profiles/leads-predeployment.yaml")
///     let report = try Audit(profile: profile).run()
///     print(report.status)                                   // .fail
///     let rate = report.decisions["threshold_0.3"]?.attributes["ethnicity"]?
///         .groups["black"]?.metrics["selection_rate"]?.value
///     try report.jsonData().write(to: URL(fileURLWithPath: "report.json"))
///
/// The audit reads only the columns the profile names, makes one pass per decision rule
/// and grouping into per-group statistics, and computes every metric, interval and
/// finding from those statistics (see docs/metrics.md). A profile with a `model:` also
/// gets the report's `explanations` section (``ExplanationsSection``): the model's
/// feature columns are read too, every row is attributed, and proxy findings count
/// toward the status (docs/explanations.md).
public struct Audit: Sendable {
    public var profile: AuditProfile
    /// The data file; the profile's `data.path` unless overridden; `-` reads standard
    /// input. It is read once (``AuditInput``), so a named pipe works too.
    public var dataPath: String
    /// Threads for parsing and the statistics passes: at most this many are busy at once,
    /// however the audit's steps nest (``Concurrently/limited(threads:_:)``).
    public var threads: Int
    /// The time written into the report (fixed in tests).
    public var clock: @Sendable () -> Date
    /// The audit the profile's `drift:` section compares with (``DriftBaseline/resolve(_:profile:history:)``);
    /// without one, the report's drift section says that no baseline was looked up.
    public var driftBaseline: DriftBaseline.Resolution?
    /// Labels that arrived after the audit, joined to the data on the profile's id
    /// column (`fairlead history label`).
    public var lateLabels: LateLabels?
    /// The data's SHA-256 when it must be that of an earlier audit (a completed audit).
    var requiredData: RequiredData?
    /// The pseudonyms of the ids that joining ``lateLabels`` may quote
    /// (`privacy.pseudonymize_ids`), loaded with the completion's profile reading; when
    /// `nil` and the profile asks for pseudonyms, the key is loaded as the profile's
    /// folder allows before the data is read.
    var idPseudonymizer: LeadPseudonymizer?
    /// Rows streamed from elsewhere as CSV (a database's, `data.postgres`) instead of the
    /// file at `dataPath`, which then only names the source in messages and the report.
    public var streamedInput: CSVInput?
    /// The profile's SHA-256 to record when the audit completes an earlier one: the
    /// original's, checked against the profile (``completing(entry:in:labels:profilePath:dataPath:threads:reading:limits:clock:)``),
    /// which the completion then changes (an id column to join on, no label column).
    var recordedProfileSHA256: String?
    /// The profile's model, once ``columnsToRead(header:)`` has loaded it.
    var loadedModel: (any Model)?

    /// - Throws: `FairleadError(.usage)` when neither `dataPath` nor the profile names the data.
    public init(profile: AuditProfile, dataPath: String? = nil,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                clock: @escaping @Sendable () -> Date = { Date() }) throws {
        let path = try profile.dataFile(given: dataPath)
        precondition(threads >= 1, "an audit needs at least one thread")
        self.profile = profile
        self.dataPath = path
        self.threads = threads
        self.clock = clock
    }

    /// Runs the audit. `progress` receives a line per step (reading, each decision rule).
    ///
    /// - Throws: `FairleadError` for unreadable or malformed data, columns the profile
    ///   names but the file lacks, labels that are not 0/1, scores outside the declared
    ///   range, and rules naming unknown metrics.
    public func run(progress: (@Sendable (String) -> Void)? = nil) throws -> AuditReport {
        try Concurrently.limited(threads: threads) { try runSteps(progress: progress) }
    }

    private func runSteps(progress: (@Sendable (String) -> Void)?) throws -> AuditReport {
        // A streamed source has no file to look at ("-" skips the file checks).
        try AuditPreflight.check(profile, dataPath: streamedInput == nil ? dataPath : AuditInput.standardInputPath,
                                 readingHeader: false)
        let reported = try reportedGroupMetrics()
        progress?("reading \(dataPath) (columns: \(profile.columnsRead.joined(separator: ", ")))")
        // One copy of the input: a second (the tuple's) would keep the whole table alive
        // past `releaseTable()` below.
        var (input, lateLabelsInfo) = try readInput()
        var data = input.data
        if profile.model == nil && profile.privacy?.quasiIdentifiers == nil {
            // Nothing after the metrics reads the table: only the metrics' columns stay.
            input.releaseTable()
        }
        let fingerprint = input.fingerprint
        let scale = ScoreScale.resolve(declared: profile.data.scoreRange, scores: data.scores)
        try scale.checkThresholds(profile.decisions, dataPath: dataPath)

        // Two steps at a time where they need the same columns but not each other: the
        // decisions beside the queue's sort, then the queue's metrics beside the score
        // distribution. Errors are those of a serial run (Concurrently.both).
        var (report, ranking) = try Concurrently.both(threads: threads, {
            try decisionReport(
                data: AuditReport.DataInfo(source: dataPath, sha256: fingerprint.hex, bytes: fingerprint.bytes,
                                           columns: data.columnsRead),
                rowsRead: data.rowCount, scale: scale, lateLabels: lateLabelsInfo, progress: progress) { decision in
                try DecisionEvaluation(decision: decision, data: data, profile: profile,
                                       reportedMetrics: reported, dataPath: dataPath)
            }
        }, {
            try QueueEvaluation.rank(data: data, profile: profile, dataPath: dataPath, threads: threads)
        })
        report.data.contentSHA256 = input.contentSHA256
        if let id = input.idRead, !report.data.columns.contains(id) { report.data.columns.insert(id, at: 0) }
        if let note = input.repeatedIDsNote { report.notes = (report.notes ?? []) + [note] }
        if let weightScale = input.weightScale {
            report.notes = (report.notes ?? []) + [Self.weightScaleNote(weightScale, column: profile.data.weight ?? "weight")]
        }
        if let labels = data.labels {
            let outcomes = Self.outcomeCopyNotes(scores: data.scores, predictions: data.predictions, labels: labels, profile: profile.data)
            if !outcomes.isEmpty { report.notes = (report.notes ?? []) + outcomes }
        }
        Self.recordPrivacyOfRows(in: &report, profile: profile, withoutConsent: input.withoutConsent)
        let rowOrderedLater = profile.model != nil || profile.mitigation != nil
        if !rowOrderedLater {
            // The decisions are judged and the queue holds the labels in rank order:
            // nothing later reads the row-ordered labels (explanations, individual fairness
            // and mitigation, which do, come with a model or a mitigation section).
            data.labels = nil
            input.data.labels = nil
        }
        // The scores in rank order, and then, likewise, no row-ordered ones (76 MiB at 10M
        // rows): the queue's steps read the queue's own.
        ranking.gatherScores(from: data.scores, threads: threads)
        if !rowOrderedLater {
            data.scores = []
            input.data.scores = []
        }
        // Each attribute's codes in rank order, gathered once for its groupings (alone
        // and in intersections) and the score distribution, which then read them in order.
        ranking.keepAttributeCodesInRankOrder(threads: threads)
        progress?("lead queue: ranking, top-k, separation and calibration per group; score distribution")
        var baseline: DriftBaseline?
        if case .found(let found)? = driftBaseline { baseline = found }
        let (queue, summary) = try Concurrently.both(threads: threads, {
            try QueueEvaluation(ranking: ranking, profile: profile, scale: scale, threads: threads)
        }, {
            ScoreSummary(data: data, ranking: ranking, profile: profile, baseline: baseline?.report.scoreDistribution)
        })
        _ = consume ranking  // the queue (13 bytes a row, and one per attribute) goes before the explanations and privacy steps
        report.findings += queue.findings(rules: profile.rules, mode: profile.settings.verdict, level: profile.settings.intervalLevel)
        report.queue = queue.reports
        addScoreDistributionAndDrift(to: &report, summary: summary)
        if let model = profile.model {
            var unseen = UnseenLevels()
            var agreement = ScoreAgreement()
            let explanations = try ExplanationsSection.report(profile: profile, model: model, input: input,
                                                              threads: threads, unseen: &unseen, agreement: &agreement,
                                                              progress: progress)
            report.explanations = explanations
            // The section's attributions are the model's reading of these rows: a value it
            // has no feature for was read as none of its levels, which the reader is told;
            // and a model whose scores are not the ones audited explains other gaps.
            var explanationNotes = unseen.warnings().map { "explanations: \($0)" }
            if let note = ExplanationsSection.disagreementNote(agreement, scoreColumn: profile.data.score) {
                explanationNotes.append(note)
            }
            if !explanationNotes.isEmpty { report.notes = (report.notes ?? []) + explanationNotes }
            report.data.columns += explanations.columnsRead.filter { !report.data.columns.contains($0) }
        }
        if let spec = profile.individualFairnessInForce, profile.model != nil {
            progress?("individual fairness: consistency over \(spec.neighbours) nearest leads, counterfactual check")
            report.individualFairness = try IndividualFairnessSection.report(profile: profile, spec: spec, input: input,
                                                                             data: data, threads: threads)
        }
        report.findings += IndividualFairnessSection.findings(rules: profile.rules, section: report.individualFairness,
                                                              profile: profile)
        if let quasi = profile.privacy?.quasiIdentifiers {
            progress?("re-identification risk over \(quasi.joined(separator: ", "))")
            report.reidentification = try ReidentificationReport.make(profile: profile, quasiIdentifiers: quasi, table: input.table,
                                                                      source: dataPath)
            report.data.columns += quasi.filter { !report.data.columns.contains($0) }
        }
        if let spec = profile.mitigation {
            progress?("mitigation: options for each decision")
            do {
                report.mitigation = try Mitigation.section(spec, profile: profile, dataPath: dataPath, data: data, threads: threads)
            } catch let error as FairleadError {
                // Options never change the audit's verdict or exit code: one that cannot be
                // computed is said in the section, and the audit stands.
                report.mitigation = MitigationReport(profile: profile.name, dataSource: dataPath, objective: "conversions_at_capacity",
                                                     status: "not_computed", decisions: [:],
                                                     notes: ["the options could not be computed: \(error.message)"])
            }
        }
        report.data.columnPurposes = ColumnPurposes.of(report, profile: profile)
        report.aggregateStatus()
        return report
    }

    /// The report of every decision of the profile, with its findings: what an audit of
    /// rows and an audit from statistics parts have in common.
    func decisionReport(data: AuditReport.DataInfo, rowsRead: Int, scale: ScoreScale,
                        lateLabels: AuditReport.LateLabelsInfo?, progress: (@Sendable (String) -> Void)?,
                        evaluate: (AuditProfile.DecisionSpec) throws -> DecisionEvaluation) throws -> AuditReport {
        var decisions: [String: AuditReport.DecisionReport] = [:]
        var findings: [AuditReport.Finding] = []
        var firstAccounting: AuditReport.RowAccounting?
        for decision in profile.decisions {
            progress?("decision \(decision.name): \(decision.kind.summary)")
            let evaluation = try evaluate(decision)
            try Self.requireUsableRows(evaluation.report.rows, dataPath: dataPath)
            decisions[decision.name] = evaluation.report
            firstAccounting = firstAccounting ?? evaluation.report.rows
            findings += evaluation.findings(rules: profile.rules)
        }
        var report = AuditReport(
            generatedAt: ISO8601DateFormatter().string(from: clock()),
            profile: AuditReport.ProfileInfo(name: profile.name, purpose: profile.purpose,
                                             sha256: try profileDigest(), files: profile.sourceFiles,
                                             rules: profile.rules.map(\.expression)),
            data: data,
            rows: firstAccounting ?? AuditReport.RowAccounting(read: rowsRead, used: 0, excluded: [:]),
            settings: AuditReport.SettingsInfo(minimumGroupSize: profile.settings.minimumGroupSize,
                                               intervalLevel: profile.settings.intervalLevel,
                                               bootstrapReplicates: profile.settings.bootstrapReplicates,
                                               seed: profile.settings.seed, verdict: profile.settings.verdict.rawValue),
            status: .noRules, decisions: decisions, findings: findings, lateLabels: lateLabels)
        report.data.scoreScale = scale.info
        let notes = scale.notes(decisions: profile.decisions) + Self.defaultCutoffNotes(profile)
            + Self.lopsidedSelectionNotes(profile.decisions.compactMap { spec in decisions[spec.name].map { (spec.name, $0) } },
                                          minimum: profile.settings.minimumGroupSize)
        report.notes = notes.isEmpty ? nil : notes
        return report
    }

    /// Notes on decisions that select all but a few of the rows used, or only a few: fewer
    /// rows on one side than `settings.min_group_size`, and under 1% of the rows used. Their groups' rates can hardly
    /// differ, so rules on their differences pass whatever the groups (and on their ratios,
    /// when few are left out); a prediction column of ones but
    /// one passed unremarked. (Every row or none compares nothing, and is insufficient
    /// evidence: ``DecisionEvaluation``.)
    static func lopsidedSelectionNotes(_ decisions: [(name: String, report: AuditReport.DecisionReport)], minimum: Int) -> [String] {
        decisions.compactMap { name, report in
            let used = report.rows.used, selected = report.selected
            guard selected > 0, selected < used else { return nil }
            let few = min(selected, used - selected)
            // On a few dozen rows every group is undecided anyway; one side this small
            // is then a share of the rows like any other.
            guard few < minimum, Double(few) < Double(used) * Self.lopsidedShare else { return nil }
            let side = selected == few ? "selects" : "leaves out"
            // Few selected: the rates are all near 0, their differences small whatever the
            // groups, their ratios (disparate impact) a handful of rows' chance. Few left
            // out: near 1, where differences and ratios alike pass.
            let consequence = selected == few
                ? "so its groups' selection rates are all near 0: rules on their differences pass whatever the groups, and their ratios rest on \(few) selected row\(few == 1 ? "" : "s")"
                : "so its groups' selection rates are all near 1 and can hardly differ: rules on them pass whatever the groups"
            return "decision \(name) selects \(selected) of the \(used) rows used: the \(few) row\(few == 1 ? "" : "s") it \(side) "
                + "\(few == 1 ? "is" : "are") fewer than min_group_size (\(minimum)), \(consequence); is this the decision made?"
        }
    }

    /// A note on rules judged at the default cutoff, the top 10%, which the profile never
    /// names: a top-k metric's rule without `decisions:` in a profile without a top-k
    /// decision. A queue the team works may be far shorter or longer.
    static func defaultCutoffNotes(_ profile: AuditProfile) -> [String] {
        guard !profile.decisions.contains(where: \.isTopK) else { return [] }
        let rules = profile.rules.filter { $0.decisions == nil && $0.metric.isAtTopKCutoff }.map(\.expression)
        guard !rules.isEmpty else { return [] }
        let listed = rules.prefix(3).joined(separator: ", ") + (rules.count > 3 ? " and \(rules.count - 3) more" : "")
        return ["\(listed) \(rules.count == 1 ? "is" : "are") judged at top_10pct, the default cutoff: the profile has no top-k decision; "
                + "add the queue the team works (decisions: - top_k: 500, or - top_k: 5%) to judge \(rules.count == 1 ? "it" : "them") there"]
    }

    /// The largest share of the rows used on one side of a decision that is noted
    /// (``lopsidedSelectionNotes(_:minimum:)``).
    static let lopsidedShare = 0.01

    /// Notes on a score or prediction column that equals the label on every labelled row:
    /// the outcome copied as the score (or the columns swapped) makes every separation,
    /// calibration and error-rate metric perfect in every group, and the audit passed it
    /// unremarked. One differing row ends the scan.
    static func outcomeCopyNotes(scores: [Double], predictions: [String: [Double]], labels: LabelColumn,
                                 profile data: AuditProfile.DataSpec) -> [String] {
        guard data.label != nil else { return [] }
        func labelledRowsEqual(_ values: [Double]) -> Int? {
            guard values.count == labels.codes.count else { return nil }
            var labelled = 0
            for (row, code) in labels.codes.enumerated() where code <= 1 {
                guard values[row] == Double(code) else { return nil }
                labelled += 1
            }
            return labelled > 0 ? labelled : nil
        }
        var notes: [String] = []
        if let rows = labelledRowsEqual(scores) { notes.append(scoreCopyNote(data, rows: rows)) }
        for column in predictions.keys.sorted() {
            if let values = predictions[column], let rows = labelledRowsEqual(values) {
                notes.append(predictionCopyNote(column: column, data, rows: rows))
            }
        }
        return notes
    }

    static func scoreCopyNote(_ data: AuditProfile.DataSpec, rows: Int) -> String {
        "the score column \(data.score) equals the label column \(data.label ?? "") on every labelled row (\(rows)): "
            + "scores that are the outcomes make every separation and calibration metric perfect; is data.score the label?"
    }

    static func predictionCopyNote(column: String, _ data: AuditProfile.DataSpec, rows: Int) -> String {
        "the prediction column \(column) equals the label column \(data.label ?? "") on every labelled row (\(rows)): "
            + "a decision that is the outcome makes every error rate (TPR, FPR, precision) perfect in every group; is it the decision made?"
    }

    /// ``outcomeCopyNotes(scores:predictions:labels:profile:)`` from statistics, where no
    /// row is left to compare: a prediction decision without a false positive or negative
    /// and no labelled row left out of it; unweighted scores observed within [0, 1] that
    /// sum to the count of the positives and to 0 over the negatives, no row left out for
    /// a missing score (to the sums' precision: a positive's score within about 1e-10 of 1
    /// on a million rows sums as 1). Read from a grouping that leaves no row out for a missing value;
    /// without one, nothing is said (a note never claims more than the statistics hold).
    static func outcomeCopyNotes(statistics: [String: DecisionStatistics], profile: AuditProfile) -> [String] {
        guard profile.data.label != nil else { return [] }
        var score: String?
        var predictions: [String: String] = [:]
        for decision in profile.decisions {
            guard let decided = statistics[decision.name],
                  let whole = decided.groupings.first(where: { $0.stats.exclusions.missingSensitive == 0 })?.stats else { continue }
            let cells = whole.overall
            let positives = cells.truePositives.count + cells.falseNegatives.count
            let labelled = positives + cells.falsePositives.count + cells.trueNegatives.count
            guard labelled > 0 else { continue }
            switch decision.kind {
            case .predictionColumn(let column):
                if cells.falsePositives.count == 0, cells.falseNegatives.count == 0, whole.exclusions.missingPrediction == 0 {
                    predictions[column] = predictionCopyNote(column: column, profile.data, rows: labelled)
                }
            case .threshold:
                guard score == nil, profile.data.weight == nil, let range = decided.observedScores,
                      range.lowerBound >= 0, range.upperBound <= 1, whole.exclusions.missingScore == 0 else { continue }
                let positive = cells.truePositives.scoreSum + cells.falseNegatives.scoreSum
                let negative = cells.falsePositives.scoreSum + cells.trueNegatives.scoreSum
                if positive == Double(positives), negative == 0 { score = scoreCopyNote(profile.data, rows: labelled) }
            case .topCount, .topFraction:
                continue
            }
        }
        return (score.map { [$0] } ?? []) + predictions.keys.sorted().compactMap { predictions[$0] }
    }

    /// What the report says of weights multiplied by a power of two to keep their sums
    /// in range (``AuditInput/weightScale``).
    static func weightScaleNote(_ scale: (largest: Double, exponent: Int), column: String) -> String {
        let why = scale.exponent > 0
            ? "so small that their squares (Σw², for the effective rows) would underflow"
            : "so large that their sums with the scores (Σw·score) would overflow"
        return "the weights of \(column) reach at most \(scale.largest), \(why); every weight was multiplied by 2^\(scale.exponent), "
            + "which changes no rate, interval or effective row count, and the weight sums the report shows "
            + "(numerator, denominator) are in that unit"
    }

    /// The reason rows without consent are counted under in `rows.excluded`.
    public static let noConsentReason = "no_consent"

    /// Rows left out for lack of consent are read rows too: every accounting counts them
    /// (read = used + Σ excluded); the consent column and purpose, and whether ids are
    /// pseudonymized, are recorded in `data`.
    static func recordPrivacyOfRows(in report: inout AuditReport, profile: AuditProfile, withoutConsent: Int) {
        if let consent = profile.data.consent {
            report.data.consent = AuditReport.ConsentInfo(column: consent.column, purpose: consent.purpose, excluded: withoutConsent)
            if !report.data.columns.contains(consent.column) { report.data.columns.append(consent.column) }
            if withoutConsent > 0 {
                report.rows.read += withoutConsent
                report.rows.excluded[noConsentReason] = withoutConsent
                for name in Array(report.decisions.keys) {
                    report.decisions[name]?.rows.read += withoutConsent
                    report.decisions[name]?.rows.excluded[noConsentReason] = withoutConsent
                }
            }
        }
        if profile.privacy?.pseudonymizeIDs == true {
            report.data.pseudonymizedIds = LeadPseudonymizer.algorithm
        }
    }

    /// An audit of no rows would judge nothing: it is an error that says where the rows went.
    static func requireUsableRows(_ rows: AuditReport.RowAccounting, dataPath: String) throws {
        guard rows.used == 0 else { return }
        guard rows.read > 0 else {
            throw FairleadError(.invalidData, "the data has a header but no rows; there is nothing to audit",
                                at: SourceLocation(file: dataPath))
        }
        let reasons = rows.excluded.filter { $0.value > 0 }.sorted { $0.key < $1.key }
            .map { "\($0.value) \($0.key.replacingOccurrences(of: "_", with: " "))" }.joined(separator: ", ")
        throw FairleadError(.invalidData,
                            "no usable rows: all \(rows.read) rows read were excluded (\(reasons)); check the score and label columns and data.missing_markers",
                            at: SourceLocation(file: dataPath))
    }

    /// Every report gets its score histograms (a later audit's baseline); a profile with
    /// `drift:` also gets the comparison with its baseline.
    private func addScoreDistributionAndDrift(to report: inout AuditReport, summary: ScoreSummary) {
        report.scoreDistribution = summary.distribution
        guard let spec = profile.drift else { return }
        let evaluation = DriftEvaluation(spec: spec, level: profile.settings.intervalLevel,
                                         minimumGroupSize: profile.settings.minimumGroupSize)
        switch driftBaseline {
        case .found(let baseline)?:
            report.drift = evaluation.report(current: report, baseline: baseline, countsInBaselineBins: summary.countsInBaselineBins)
        case .unavailable(let reason)?:
            report.drift = evaluation.unavailable(reason)
        case nil:
            report.drift = evaluation.unavailable("no baseline was looked up")
        }
    }

    /// The group metrics the report lists: the profile's `metrics`, or all of them.
    func reportedGroupMetrics() throws -> [GroupMetric] {
        guard let names = profile.metrics else { return GroupMetric.allCases }
        // Profiles read from files were checked when decoded; one built in code is checked
        // here through the same catalog look-up.
        return try names.map { name in
            let metric = try Metric.named(name, at: SourceLocation(file: profile.sourceFiles.first, field: "metrics"),
                                          context: " in 'metrics'")
            guard let groupMetric = metric.groupMetric else {
                throw FairleadError(.invalidProfile, "'\(name)' in 'metrics' is a \(metric.definition.family.rawValue); 'metrics' lists group rates",
                                    at: SourceLocation(file: profile.sourceFiles.first, field: "metrics"))
            }
            return groupMetric
        }
    }

    /// SHA-256 of the profile file and of each base, joined by `+`; of the profile's
    /// summary for a profile built in code or from flags.
    func profileDigest() throws -> String {
        if let recordedProfileSHA256 { return recordedProfileSHA256 }
        guard !profile.sourceFiles.isEmpty else { return profile.summaryDigest }
        return try profile.sourceFiles.map { try ContentDigest.sha256(ofFile: $0).hex }.joined(separator: "+")
    }
}
