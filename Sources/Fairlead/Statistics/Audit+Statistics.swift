import FairleadCore
import Foundation

extension Audit {
    /// The statistics part of the profile's data — here a shard of the whole — for
    /// `fairlead stats`: every decision's per-group statistics under every attribute and
    /// intersection. Parts of disjoint shards merge, and ``fromStatistics(profile:parts:clock:threads:progress:)``
    /// completes the audit from them.
    ///
    /// - Throws: `FairleadError(.invalidProfile)` for a profile with something that needs
    ///   the rows themselves (``StatisticsSupport/check(_:)``), and everything ``run(progress:)``
    ///   throws for unreadable or malformed data.
    public func statisticsPart(progress: (@Sendable (String) -> Void)? = nil) throws -> StatisticsPart {
        try Concurrently.limited(threads: threads) { try statisticsPartSteps(progress: progress) }
    }

    private func statisticsPartSteps(progress: (@Sendable (String) -> Void)?) throws -> StatisticsPart {
        try StatisticsSupport.check(profile)
        try AuditPreflight.check(profile, dataPath: streamedInput == nil ? dataPath : AuditInput.standardInputPath,
                                 readingHeader: false)
        progress?("reading \(dataPath) (columns: \(AuditData.columnRequests(profile: profile).map(\.name).joined(separator: ", ")))")
        let input = try AuditInput.read(profile: profile, path: dataPath, threads: threads, idColumn: nil, model: nil,
                                        streamed: streamedInput, shard: true)
        var statistics: [(name: String, statistics: DecisionStatistics)] = []
        for decision in profile.decisions {
            progress?("decision \(decision.name): \(decision.kind.summary)")
            statistics.append((decision.name, try DecisionEvaluation.statistics(decision: decision, data: input.data,
                                                                                profile: profile, dataPath: dataPath)))
        }
        let shard = StatisticsPart.ShardInfo(source: dataPath, sha256: input.fingerprint.hex,
                                             bytes: input.fingerprint.bytes,
                                             rowsRead: input.data.rowCount + input.withoutConsent,
                                             contentSHA256: input.contentSHA256)
        var histograms: [StatisticsPart.ScoreHistogram]?
        if let grid = profile.scoreGrid {
            progress?("score histograms on a grid of \(grid.bins) cells over \(grid.lower)–\(grid.upper)")
            histograms = try profile.groupings.map { attributes in
                try StatisticsPart.ScoreHistogram.make(data: input.data, attributes: attributes,
                                                       policies: profile.missingPolicies(for: attributes), grid: grid,
                                                       dataPath: dataPath, scoreColumn: profile.data.score,
                                                       maxGroups: profile.limits.maxGroups, options: profile.csvOptions())
            }
        }
        let part = StatisticsPart(profile: profile, spec: StatisticsSpec(profile), data: input.data, shard: shard,
                                  statistics: statistics, histograms: histograms,
                                  withoutConsent: profile.data.consent == nil ? nil : input.withoutConsent)
        try part.checkFiniteSums(dataPath: dataPath)
        return part
    }

    /// The audit of the profile completed from statistics parts (`fairlead audit
    /// --from-stats`): the parts are merged (``StatisticsPart/merged(_:)``) and every
    /// decision's group metrics, intervals and findings computed from the sums, as an
    /// audit of the shards' concatenated rows computes them.
    ///
    /// The report's `data` lists the shards (``AuditReport/DataInfo/shards``); its
    /// `sha256` is the digest of their digests in order. Sections that need the rows —
    /// the lead queue, the score distribution — are absent, and a note says so.
    ///
    /// - Throws: `FairleadError` for parts that do not merge or were made under another
    ///   profile, and for a profile with something that needs the rows.
    public static func fromStatistics(profile: AuditProfile, parts: [(file: String, part: StatisticsPart)],
                                      clock: @escaping @Sendable () -> Date = { Date() },
                                      threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                                      progress: (@Sendable (String) -> Void)? = nil) throws -> AuditReport {
        try Concurrently.limited(threads: threads) {
            try fromStatisticsSteps(profile: profile, parts: parts, clock: clock, progress: progress)
        }
    }

    /// With `data.label.positive`, an audit of the rows refuses a positive value its label
    /// column lacks (a typo, `Won` for `won`, would make every label 0). A shard may lack
    /// one (`fairlead stats` does not refuse it: a week without a win), and a query's
    /// result does not say which values it saw; so the completed audit refuses statistics
    /// in which no used row has a positive label at all.
    private static func requirePositiveLabels(profile: AuditProfile, statistics: [String: DecisionStatistics],
                                              merged: StatisticsPart, source: String) throws {
        guard let positive = profile.data.labelPositive, merged.labelled, merged.rowsCounted > 0,
              let decision = profile.decisions.first, let grouping = statistics[decision.name]?.groupings.first else { return }
        let cells = grouping.stats.cells
        let used = cells.reduce(0) { $0 + $1.truePositives.count + $1.falsePositives.count + $1.trueNegatives.count + $1.falseNegatives.count }
        let positives = cells.reduce(0) { $0 + $1.truePositives.count + $1.falseNegatives.count }
        guard used > 0, positives == 0 else { return }
        throw FairleadError(.invalidData,
                            "no row's label is one of data.label.positive (\(positive.map { "\"\(MessageQuote.clipped($0))\"" }.joined(separator: ", "))) in the \(used) rows the statistics count: every label would be 0; check the values for a typo (an audit of the rows names the values it saw)",
                            at: SourceLocation(file: source))
    }

    private static func fromStatisticsSteps(profile: AuditProfile, parts: [(file: String, part: StatisticsPart)],
                                            clock: @escaping @Sendable () -> Date,
                                            progress: (@Sendable (String) -> Void)?) throws -> AuditReport {
        try StatisticsSupport.check(profile)
        guard let first = parts.first else {
            throw FairleadError(.usage, "--from-stats needs at least one statistics part")
        }
        let spec = StatisticsSpec(profile)
        for (file, part) in parts where part.profile.statisticsSHA256 != spec.sha256 {
            // The profile as given here: its file with any flags (--threshold, …) applied.
            let here = "the profile here (\(profile.sourceFiles.first ?? profile.name), with its flags)"
            var why = spec.difference(from: part.profile.spec, mine: here, theirs: file) ?? "the statistics specs differ"
            // A grid no one declared: a lead-queue rule (one given by --rule, say) asks for it.
            if profile.statistics?.scoreGridBins == nil, spec.scoreGrid != nil, part.profile.spec.scoreGrid == nil,
               let rule = profile.rules.first(where: { $0.metric.isQueueMetric }) {
                why += " (no statistics.score_grid is declared here: the lead-queue rule '\(rule.expression)' asks for the default grid of "
                    + "\(AuditProfile.defaultScoreGridBins) cells, which \(file) was not made on; make the parts with the rule, or audit without it)"
            }
            throw FairleadError(.invalidData,
                                "\(file) was made under a different profile than \(profile.sourceFiles.first ?? profile.name): \(why); make the parts with this profile (fairlead stats --profile …)",
                                at: SourceLocation(file: file))
        }
        progress?("merging \(parts.count) statistics part\(parts.count == 1 ? "" : "s")")
        let merged = try StatisticsPart.merged(parts)
        if let consent = profile.data.consent, merged.rowsCounted == 0, merged.rowsRead > 0 {
            throw consent.noneConsents(rows: merged.rowsRead, path: parts.count == 1 ? first.file : "\(parts.count) statistics parts")
        }
        let audit = try Audit(profile: profile, dataPath: parts.count == 1 ? first.file : "\(parts.count) statistics parts",
                              threads: 1, clock: clock)
        let reported = try audit.reportedGroupMetrics()
        let observed = merged.scores.map { $0.min...$0.max }
        let scale = ScoreScale.resolve(declared: profile.data.scoreRange, observed: observed)
        try scale.checkThresholds(profile.decisions, dataPath: audit.dataPath)
        var statistics: [String: DecisionStatistics] = [:]
        for decision in merged.decisions {
            var groupings: [DecisionStatistics.GroupingStatistics] = []
            for grouping in decision.groupings {
                // Two levels that print alike (`white` and `white `): the database kept them
                // apart, and the report would show one group twice; the audit of the rows
                // refuses them too.
                for (attribute, levels) in zip(grouping.attributes, grouping.levels) {
                    if let blank = MessageQuote.firstBlankOnly(levels) {
                        throw FairleadError(.invalidData,
                                            "sensitive attribute \"\(MessageQuote.clipped(attribute))\" holds \"\(MessageQuote.spelled(levels[blank]))\", only blanks: a group every table would print without a name; make such values empty (missing) or name them (in the query or the data)",
                                            at: SourceLocation(file: first.file))
                    }
                    if let (a, b) = MessageQuote.firstAlikeButForBlanks(levels) {
                        throw FairleadError(.invalidData,
                                            "sensitive attribute \"\(MessageQuote.clipped(attribute))\" holds \"\(MessageQuote.spelled(levels[a]))\" and \"\(MessageQuote.spelled(levels[b]))\", which \(MessageQuote.blankDifference(levels[a], levels[b])): they would be two groups that print alike; trim the column's values and write their spaces as plain spaces first (in the query or the data)",
                                            at: SourceLocation(file: first.file))
                    }
                }
                do {
                    groupings.append(try grouping.statistics(missingPolicies: profile.missingPolicies(for: grouping.attributes),
                                                             isLabeled: merged.labelled, maxGroups: profile.limits.maxGroups))
                } catch var error as FairleadError {
                    error.message = "decision \(decision.name), \(grouping.attributes.joined(separator: "*")): " + error.message
                    error.location = SourceLocation(file: first.file)
                    throw error
                }
            }
            statistics[decision.name] = DecisionStatistics(rowsRead: merged.rowsCounted, isLabeled: merged.labelled,
                                                           observedScores: observed, groupings: groupings)
        }
        try Self.requirePositiveLabels(profile: profile, statistics: statistics, merged: merged,
                                       source: parts.count == 1 ? first.file : "\(parts.count) statistics parts")
        let digest = ContentDigest.sha256(Data(merged.data.map(\.sha256).joined(separator: "\n").utf8))
        var data = AuditReport.DataInfo(source: audit.dataPath, sha256: digest,
                                        bytes: merged.data.reduce(0) { $0 + $1.bytes },
                                        columns: AuditData.columnRequests(profile: profile).map(\.name))
        data.shards = merged.data.map {
            AuditReport.ShardInfo(source: $0.source, sha256: $0.sha256, bytes: $0.bytes, rowsRead: $0.rowsRead,
                                  contentSHA256: $0.contentSHA256)
        }
        var report = try audit.decisionReport(data: data, rowsRead: merged.rowsCounted, scale: scale, lateLabels: nil,
                                              progress: progress) { decision in
            guard let statistics = statistics[decision.name] else {
                throw FairleadError(.internalFailure, "no statistics for decision \(decision.name)")
            }
            return try DecisionEvaluation(decision: decision, statistics: statistics, profile: profile,
                                          reportedMetrics: reported, dataPath: audit.dataPath)
        }
        // A shard with a header and no rows adds nothing; it is counted, and said.
        let empty = merged.data.filter { $0.rowsRead == 0 }.map { "\"\(MessageQuote.clipped($0.source))\"" }
        let emptyShards = empty.isEmpty ? "" : ", \(empty.count) of them with no rows (a header only: "
            + empty.prefix(3).joined(separator: ", ") + (empty.count > 3 ? " and \(empty.count - 3) more" : "") + ")"
        let completed = "completed from the statistics of \(merged.data.count) shard\(merged.data.count == 1 ? "" : "s") (\(parts.count) part\(parts.count == 1 ? "" : "s"))\(emptyShards); "
        if let grid = spec.scoreGrid, merged.histograms != nil {
            progress?("lead queue: from the score grid of \(grid.bins) cells")
            let section = try GridQueue.section(merged: merged, profile: profile, grid: grid, notProbabilities: scale.notProbabilities)
            report.queue = section.reports
            report.findings += QueueEvaluation.findings(rules: profile.rules, mode: profile.settings.verdict,
                                                        level: profile.settings.intervalLevel,
                                                        dimensions: section.dimensions, reports: section.reports,
                                                        isLabeled: merged.labelled, probabilityShortfall: scale.notProbabilities,
                                                        fromGrid: grid)
            report.notes = (report.notes ?? []) + [
                completed + "the score-distribution section needs the rows and is not computed",
                "the lead-queue section comes from a score grid of \(grid.bins) equal cells over \(grid.lower)–\(grid.upper) "
                    + "(statistics.score_grid): each value's grid_bound holds the value an audit of the rows gives — "
                    + "exact (equal bounds) for ECE, calibration in the large and the Brier score; "
                    + "top-k values are at the top 10% with the cutoff cell's leads split in proportion; NDKL and exposure need the rows",
            ]
        } else {
            report.notes = (report.notes ?? []) + [
                completed + "the lead-queue and score-distribution sections need the rows and are not computed",
            ]
        }
        if let unchecked = StatisticsPart.uncheckedOverlap(merged.data) {
            report.notes = (report.notes ?? []) + [unchecked]
        }
        let outcomes = Self.outcomeCopyNotes(statistics: statistics, profile: profile)
        if !outcomes.isEmpty { report.notes = (report.notes ?? []) + outcomes }
        Self.recordPrivacyOfRows(in: &report, profile: profile, withoutConsent: merged.withoutConsent ?? 0)
        report.aggregateStatus()
        return report
    }
}

extension StatisticsPart {
    /// What a merge of `shards` cannot check, when some are query results beside other
    /// shards: two shards of rows with the same content are refused (``merged(_:)``), but
    /// a query result's digest is of the sums it returned, so rows that it and another
    /// shard both count cannot be found. `nil` when every shard is one of rows, or the
    /// only shard is a query result.
    public static func uncheckedOverlap(_ shards: [ShardInfo]) -> String? {
        let results = shards.filter { $0.queryResult == true }
        guard !results.isEmpty, shards.count > 1 else { return nil }
        let named = results.prefix(3).map { "\"\(MessageQuote.clipped($0.source))\"" }.joined(separator: ", ")
            + (results.count > 3 ? " and \(results.count - 3) more" : "")
        return "\(results.count) of the \(shards.count) shards \(results.count == 1 ? "is a query result" : "are query results") (\(named)): "
            + "a query result holds the database's sums, and its digest is of those sums, not of the rows, so whether its rows "
            + "are also counted by another shard cannot be checked; the counts are right only if the shards hold disjoint rows"
    }
}

/// What an audit from statistics parts cannot do: everything that needs the rows
/// themselves rather than per-group sums.
public enum StatisticsSupport {
    /// Why `profile` cannot be audited from statistics parts, one reason per item; empty
    /// when it can.
    public static func obstacles(_ profile: AuditProfile) -> [String] {
        var reasons: [String] = []
        for decision in profile.decisions {
            switch decision.kind {
            case .topCount, .topFraction:
                reasons.append("decision '\(decision.name)' (\(decision.kind.summary)) ranks all leads: a shard's top leads are not the whole data's")
            case .threshold, .predictionColumn:
                break
            }
        }
        for rule in profile.rules where !rule.metric.isDecisionMetric {
            if rule.metric.isQueueMetric {
                // Computed from the score grid, except what depends on positions within the top k.
                guard needsPositions.contains(rule.metric) else { continue }
                reasons.append("rule '\(rule.expression)': \(rule.metric) depends on each lead's position within the top k, which the score grid does not hold")
                continue
            }
            let family = rule.metric.definition.family.rawValue
            let article = family.first.map { "aeiou".contains($0) } == true ? "an" : "a"
            reasons.append("rule '\(rule.expression)' is \(article) \(family) metric, computed from the rows")
        }
        if profile.model != nil { reasons.append("model: explanations and proxy checks need the rows") }
        if profile.individualFairness != nil { reasons.append("individual_fairness: needs the rows") }
        if profile.drift != nil { reasons.append("drift: compares score distributions, which need the rows") }
        if profile.mitigation != nil {
            reasons.append("mitigation: threshold options are computed from the rows' scores")
        }
        if profile.privacy?.quasiIdentifiers != nil {
            reasons.append("privacy.quasi_identifiers: re-identification risk counts the rows' equivalence classes")
        }
        return reasons
    }

    /// The lead-queue metrics a score grid cannot give: they weigh each lead by its
    /// position within the top k.
    static let needsPositions: Set<Metric> = [.ndkl, .exposureShare, .exposureRatio, .exposureDisparity]

    /// - Throws: `FairleadError(.invalidProfile)` listing every obstacle.
    public static func check(_ profile: AuditProfile) throws {
        let reasons = obstacles(profile)
        guard !reasons.isEmpty else { return }
        throw FairleadError(.invalidProfile,
                            "this profile cannot be audited from statistics parts, which hold per-group counts and sums: "
                                + reasons.joined(separator: "; ")
                                + " — audit the rows (fairlead audit --data), or use a profile without these",
                            at: SourceLocation(file: profile.sourceFiles.first))
    }
}
