import FairleadCore

/// One decision rule applied to the audit's data: a pass per attribute and intersection
/// into ``GroupStats``, its ``MetricFrame`` and bootstrap intervals, the report section,
/// and the profile's rules checked against it.
struct DecisionEvaluation {
    /// One attribute or intersection under this decision.
    struct Dimension {
        var name: String
        var frame: MetricFrame
        var reference: ReferenceGroup
        var intervals: BootstrapIntervals?
    }

    let decision: AuditProfile.DecisionSpec
    let dimensions: [Dimension]
    var report: AuditReport.DecisionReport
    let settings: AuditProfile.Settings
    let isLabeled: Bool
    /// Why no rule can be judged under this decision: it selects every row used or none,
    /// or its top k cuts through tied scores (``selectionCause``).
    var selectionShortfall: String?
    /// The cause of ``selectionShortfall``.
    var selectionCause = AuditReport.UndecidedCause.selectsAllOrNone
    /// What would let it judge them.
    var selectionRemedy: String?
    /// When the top k cuts through tied scores and point verdicts judge unweighted rows:
    /// what every split of the tie leaves each group (``TieBounds``), so that a rule that
    /// fails (or holds) however the tie splits is decided.
    var tieBounds: TieBounds?

    /// The evaluation of `decision` on the audit's rows: a pass per attribute and
    /// intersection into statistics, then ``init(decision:statistics:profile:reportedMetrics:)``.
    init(decision: AuditProfile.DecisionSpec, data: AuditData, profile: AuditProfile,
         reportedMetrics: [GroupMetric], dataPath: String) throws {
        let statistics = try Self.statistics(decision: decision, data: data, profile: profile, dataPath: dataPath)
        try self.init(decision: decision, statistics: statistics, profile: profile, reportedMetrics: reportedMetrics,
                      dataPath: dataPath)
        // Only the rows show a tie at the cut (statistics parts hold no ranks).
        if let tie = decision.rule.tieAtCutoff(scores: data.scores) {
            report.tieAtCutoff = .init(score: tie.score, tied: tie.tied, selected: tie.taken)
            if selectionShortfall == nil {
                selectionShortfall = "the top k cuts through \(tie.tied) rows tied at score \(FindingJudge.format(tie.score)) and takes "
                    + "\(tie.taken) of them in row order: which rows are selected, and each group's rate, follows the rows' order, not their scores"
                selectionRemedy = "scores that tell the tied rows apart, or a threshold decision, would decide it"
                selectionCause = .tiedAtCutoff
                // Why no range over the splits judges the rules, when none does: said in each reason.
                var unbounded: String?
                if profile.settings.verdict == .point {
                    do {
                        tieBounds = try TieBounds(decision: decision, data: data, profile: profile)
                    } catch TieBounds.Unbounded.weighted {
                        unbounded = "weighted rows give no range of values over the splits of the tie"
                    } catch TieBounds.Unbounded.selectsAllOrNone(let grouping) {
                        unbounded = "a split of the tie (rows no metric counts hold tied places too) can select none of the rows counted for "
                            + "\(MessageQuote.clipped(grouping)) or all of them, and compare nothing"
                    }
                } else {
                    unbounded = "settings.verdict: interval judges no range of values over the splits of the tie"
                }
                if let unbounded { selectionShortfall? += "; " + unbounded }
            }
        }
    }

    /// The per-group statistics of `decision` under every attribute and intersection of
    /// the profile, from the rows: what a statistics part carries (``StatisticsPart``).
    static func statistics(decision: AuditProfile.DecisionSpec, data: AuditData, profile: AuditProfile,
                           dataPath: String) throws -> DecisionStatistics {
        let rule = decision.rule
        let columns = data.columns(for: decision)
        var groupings: [DecisionStatistics.GroupingStatistics] = []
        for attributes in profile.groupings {
            let grouping = try Grouping(columns: columns, attributes: attributes, missingPolicies: profile.missingPolicies(for: attributes),
                                        maxGroups: profile.limits.maxGroups)
            do {
                let stats = try GroupStats.accumulate(columns, rule: rule, grouping: grouping,
                                                      scoreRange: profile.data.scoreRange, rows: nil)
                groupings.append(.init(grouping: grouping, stats: stats))
            } catch let error as FairleadError {
                throw Self.locate(error, dataPath: dataPath, profile: profile, decision: decision, records: data.sourceRecords)
            }
        }
        return DecisionStatistics(rowsRead: data.rowCount, isLabeled: data.labels != nil,
                                  observedScores: ScoreScale.observedRange(data.scores), groupings: groupings)
    }

    /// The evaluation of `decision` from its statistics — of the rows, or merged from
    /// statistics parts (`audit --from-stats`): metric frames, bootstrap intervals, the
    /// report section, and what the rules will be judged on.
    init(decision: AuditProfile.DecisionSpec, statistics: DecisionStatistics, profile: AuditProfile,
         reportedMetrics: [GroupMetric], dataPath: String? = nil) throws {
        self.decision = decision
        self.settings = profile.settings
        self.isLabeled = statistics.isLabeled
        let rule = decision.rule
        let reported = isLabeled ? reportedMetrics : reportedMetrics.filter { !$0.needsLabels }
        // A fraction on scores of 0–100 selecting nearly every row used: refused before
        // any interval is drawn, on the rows the report's accounting counts.
        let accounting = Self.accountingStats(statistics.groupings.map(\.stats))
        if let counted = accounting?.overall {
            try ScoreScale.resolve(declared: profile.data.scoreRange, observed: statistics.observedScores)
                .checkSelection(decision, selected: counted.truePositives.count + counted.falsePositives.count,
                                used: counted.count, dataPath: dataPath)
        }

        var dimensions: [Dimension] = []
        var attributeReports: [String: AuditReport.AttributeReport] = [:]
        for entry in statistics.groupings {
            let (grouping, stats) = (entry.grouping, entry.stats)
            let attributes = grouping.attributeNames
            let specs = attributes.compactMap { name in profile.sensitive.first { $0.column == name } }
            if stats.overall.count == 0, stats.exclusions.missingSensitive > 0 {
                // Every usable row lacks a value of the attribute and the profile excludes
                // such rows: the attribute has no group to audit.
                throw FairleadError(.invalidData,
                                    "no usable rows for \(attributes.joined(separator: "*")): all \(stats.exclusions.missingSensitive) rows with a score have no value of it, and the profile says missing: exclude; audit the missing values as their own group (missing: unknown) or check the column",
                                    at: specs.first?.location ?? SourceLocation(file: profile.data.path, field: attributes.first))
            }
            let frame = MetricFrame(stats: stats, grouping: grouping)
            let reference = Self.reference(for: specs)
            var intervals: BootstrapIntervals?
            // No row in any group: nothing to compare with the reference, and the audit says
            // where the rows went (Audit.requireUsableRows) rather than that the reference
            // group is not among no groups.
            if stats.overall.count > 0 {
                do {
                    _ = try frame.referenceIndex(reference, for: .selectionRate)
                    if profile.settings.bootstrapReplicates > 0 {
                        let replicates = profile.settings.bootstrapReplicates
                        let metrics = reported.filter { $0 != .count }
                        try profile.limits.checkMemory(
                            MetricFrame.bootstrapBytes(replicates: replicates, metrics: metrics.count, groups: frame.groups.count),
                            for: "settings.bootstrap (--bootstrap): \(replicates) replicates of \(metrics.count) metrics over the \(frame.groups.count) groups of \(attributes.joined(separator: "*"))")
                        intervals = try frame.bootstrap(
                            BootstrapConfiguration(replicates: profile.settings.bootstrapReplicates,
                                                   seed: profile.settings.seed, level: profile.settings.intervalLevel),
                            reference: reference, metrics: reported.filter { $0 != .count })
                    }
                } catch var error as FairleadError {
                    error.location = specs.first?.location
                    throw error
                }
            }
            let name = attributes.joined(separator: "*")
            let dimension = Dimension(name: name, frame: frame, reference: reference, intervals: intervals)
            dimensions.append(dimension)
            attributeReports[name] = AttributeSection.report(dimension, specs: specs, metrics: reported, settings: settings)
        }
        self.dimensions = dimensions

        let exclusions = accounting?.exclusions ?? ExclusionCounts()
        var excluded: [String: Int] = [:]
        if rule.usesScores { excluded["missing_score"] = exclusions.missingScore } else { excluded["missing_prediction"] = exclusions.missingPrediction }
        if isLabeled { excluded["missing_label"] = exclusions.missingLabel }
        let used = statistics.rowsRead - excluded.values.reduce(0, +)
        let overall = accounting?.overall ?? ConfusionCells()
        let selected = overall.truePositives.count + overall.falsePositives.count
        (selectionShortfall, selectionRemedy) = Self.selectionShortfall(decision.kind, selected: selected,
                                                                        used: overall.count, observed: statistics.observedScores)
        var section = AuditReport.DecisionReport(
            rule: decision.kind.summary, kind: "threshold", selected: selected,
            rows: AuditReport.RowAccounting(read: statistics.rowsRead, used: used, excluded: excluded),
            attributes: attributeReports)
        switch decision.kind {
        case .threshold(let threshold): section.threshold = threshold
        case .topCount(let count): (section.kind, section.topCount) = ("top_k", count)
        case .topFraction(let fraction): (section.kind, section.topFraction) = ("top_k", fraction)
        case .predictionColumn(let column): (section.kind, section.predictionColumn) = ("prediction", column)
        }
        report = section
    }

    /// An evaluation that only judges rules, on frames made elsewhere: a mitigation
    /// option's expected cells (``OptionRules``). Its findings come from the same
    /// ``findings(rules:)`` and ``FindingJudge`` as an audit's, so an option holds a rule
    /// exactly when an audit of those cells would pass it; the report section is empty.
    /// `selectionShortfall` says why nothing can be judged (the way of selecting selects
    /// every row used or none), as ``selectionShortfall(_:selected:used:observed:)`` does.
    init(judging decision: AuditProfile.DecisionSpec, dimensions: [Dimension], settings: AuditProfile.Settings,
         isLabeled: Bool, selectionShortfall: (reason: String?, remedy: String?)) {
        self.decision = decision
        self.dimensions = dimensions
        self.settings = settings
        self.isLabeled = isLabeled
        (self.selectionShortfall, self.selectionRemedy) = selectionShortfall
        report = AuditReport.DecisionReport(rule: decision.kind.summary, kind: "threshold", selected: 0,
                                            rows: AuditReport.RowAccounting(read: 0, used: 0, excluded: [:]), attributes: [:])
    }

    /// The statistics the report's row accounting counts: of the grouping that leaves out
    /// the fewest rows for a missing sensitive value (the first of those). `mitigate`
    /// counts its rows used by it too.
    static func accountingStats(_ groupings: [GroupStats]) -> GroupStats? {
        var best: GroupStats?
        for stats in groupings {
            if let kept = best, kept.exclusions.missingSensitive <= stats.exclusions.missingSensitive { continue }
            best = stats
        }
        return best
    }

    /// A decision that selects none of the rows used, or all of them, compares nothing:
    /// every group's selection rate is 0 (or 1). Without `kind` (a mitigation option that
    /// is no one rule) the reason names no rule.
    static func selectionShortfall(_ kind: AuditProfile.DecisionSpec.Kind?, selected: Int, used: Int,
                                   observed range: ClosedRange<Double>?) -> (String?, String?) {
        guard used > 0, selected == 0 || selected == used else { return (nil, nil) }
        let rangeText = range.map { " (scores run \(FindingJudge.format($0.lowerBound))–\(FindingJudge.format($0.upperBound)))" } ?? ""
        let what = selected == 0 ? "selects none of the \(used) rows used" : "selects every one of the \(used) rows used"
        var reason = "the decision \(what)\(rangeText); it compares no groups"
        var remedy: String?
        switch kind {
        case nil:
            break
        case .threshold(let threshold)?:
            reason = "the decision score ≥ \(FindingJudge.format(threshold)) \(what)\(rangeText); it compares no groups"
            remedy = "a threshold inside the scores' range would decide it"
        case .topCount(let count)?:
            if selected == used { reason = "top_k \(count) \(what); it compares no groups" }
            remedy = "a top_k below \(used) would decide it"
        case .topFraction?:
            remedy = "a smaller top_k share would decide it"
        case .predictionColumn(let column)?:
            reason = "the prediction column \(column) \(what); it compares no groups"
        }
        return (reason, remedy)
    }

    /// The profile's reference for one attribute; for an intersection, the combination of
    /// its attributes' named references when every one names a group, else the largest.
    static func reference(for specs: [AuditProfile.SensitiveSpec]) -> ReferenceGroup {
        if specs.count == 1 {
            switch specs[0].reference {
            case .group(let group): return .named(GroupKey([group]))
            case .largest: return .largest
            case .best: return .bestValued
            }
        }
        var values: [String] = []
        for spec in specs {
            guard case .group(let group) = spec.reference else { return .largest }
            values.append(group)
        }
        return .named(GroupKey(values))
    }

    /// Puts the metrics engine's value errors in the data file's terms, as the reader's
    /// own errors are: `file:line:field (column)`, the physical line found from the
    /// error's ``FairleadError/row``. Input that cannot be read again (standard input)
    /// gets the data record's number instead (1 = the first after the header).
    /// `records` are the file's records of the rows (``AuditData/sourceRecords``), when
    /// rows without consent were left out.
    static func locate(_ error: FairleadError, dataPath: String, profile: AuditProfile,
                       decision: AuditProfile.DecisionSpec?, records: [Int]?) -> FairleadError {
        var error = error
        let spec = profile.data
        var column = error.location?.field
        switch column {
        case "score": column = spec.score
        case "label": column = spec.label
        case "weight": column = spec.weight
        case "prediction":
            if case .predictionColumn(let name)? = decision?.kind { column = name }
        default: break
        }
        let source = RecordLocator(path: dataPath, options: profile.csvOptions(), sourceRecords: records)
        if let row = error.row, let located = source.locate(row, column: column) {
            error.location = located
        } else {
            if let row = error.row { error.message = "data record \(source.record(row) + 1): " + error.message }
            error.location = SourceLocation(file: dataPath, field: column)
        }
        error.row = nil
        return error
    }
}
