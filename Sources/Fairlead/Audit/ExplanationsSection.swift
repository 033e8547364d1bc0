import FairleadCore
import Foundation

/// Builds the report's explanations section: attributes every row of the audit data in
/// batches, accumulates per-group sums for the decomposition and the importance, and runs
/// proxy detection and the multivariate check on the reference rows.
///
/// The rows come from the audit's one read (``AuditInput``), which read the model's
/// feature columns with the rest; so do the reference rows when the profile names no
/// reference or background file (the first `reference_rows` rows of the data).
enum ExplanationsSection {
    /// The section; `unseen` counts the values of one-hot columns in the audit data that
    /// the model has no feature for (read as none of its levels), for the report's notes.
    ///
    /// `agreement` compares the model's score of every row (its base value plus its
    /// attributions, through the model's link) with the score column the audit judged:
    /// the section explains the model's margins, which must be those scores' for its
    /// decomposition to explain the gaps the audit found.
    static func report(profile: AuditProfile, model spec: AuditProfile.ModelSpec, input: AuditInput, threads: Int,
                       unseen: inout UnseenLevels, agreement: inout ScoreAgreement,
                       progress: (@Sendable (String) -> Void)?) throws -> AuditReport.ExplanationsReport {
        let explanations = profile.explanations ?? AuditProfile.ExplanationsSpec()
        let markers = profile.missingMarkers
        let method = try spec.explainer.map { name -> AttributionMethod in
            guard let method = AttributionMethod(rawValue: name) else {
                throw FairleadError(.invalidProfile, "unknown explainer '\(name)'", at: SourceLocation(field: "model.explainer"))
            }
            return method
        }
        guard let explained = input.explained else {
            throw FairleadError(.internalFailure, "the audit's read did not match the model's features", at: SourceLocation(file: input.path))
        }
        let sensitive = profile.sensitive.map(\.column)
        let sources = try explained.sources.declaringBaselineLevels(spec.baselineLevels, field: "model.baseline_levels")
        let referencePath = explanations.reference ?? spec.background ?? input.path
        var referenceRows: (batch: LeadBatch, sources: FeatureSources, header: [String])?
        if referencePath == input.path {
            let rows = min(explanations.referenceRows, input.table.rowCount)
            referenceRows = (try input.leads(0..<rows, sources: sources, attributeColumns: sensitive), sources,
                             input.table.columns.map(\.name))
        }
        let context = try ExplanationContext.make(
            modelPath: spec.path, method: method, backgroundPath: spec.background,
            referencePath: referencePath, sensitive: sensitive,
            spec: explanations, missingMarkers: markers, model: explained.model, limits: profile.limits, threads: threads,
            backgroundOption: "model.background", baselineLevels: spec.baselineLevels, baselineField: "model.baseline_levels",
            reference: referenceRows)
        progress?("explaining \(input.path) with \(spec.path) (\(context.method.rawValue) SHAP)")

        let names = sources.sources.map(\.name)
        var accumulators = profile.sensitive.map { attribute in
            DisparityDecomposition.Accumulator(attribute: attribute.column, featureNames: names,
                                               missingGroup: attribute.missing == .unknownGroup ? "unknown" : nil)
        }
        var overall = DisparityDecomposition.Accumulator(attribute: "(all)", featureNames: names, missingGroup: "all")
        let rows = input.table.rowCount
        // The rows' records of the file (rows without consent left out), in its format.
        let source = RecordLocator(input.table, path: input.path, options: profile.csvOptions())
        for start in stride(from: 0, to: rows, by: 16_384) {
            let batch = try input.leads(start..<min(start + 16_384, rows), sources: sources, attributeColumns: sensitive)
            unseen.merge(batch.unseenLevels(sources))
            let grouped = try context.explainer.explain(batch.features, threads: threads).grouped(by: sources.groups)
            try grouped.requireFinite { row, feature in
                // Found after the read: the file is read again for the record's line, as for a bad score.
                source.locate(start + row, column: feature) ?? SourceLocation(file: input.path, field: feature)
            }
            for index in accumulators.indices {
                var attribute = batch.attributes[index]
                if let bins = profile.sensitive[index].bins { attribute = try bins.regrouped(attribute, path: input.path) }
                accumulators[index].add(grouped, codes: attribute.codes, levels: attribute.levels)
            }
            overall.add(grouped, codes: [Int32](repeating: -1, count: batch.count), levels: [])
            let (link, margins) = (context.model.link, grouped.margins())
            agreement.observe(ids: batch.ids, lines: [], model: { link.prediction(fromMargin: margins[$0]) },
                              recorded: Array(input.data.scores[start..<(start + batch.count)]))
        }

        var decomposition: [String: AuditReport.Decomposition] = [:]
        var byAttribute: [String: [String: [String: AuditReport.FeatureImportance]]] = [:]
        for (attribute, accumulator) in zip(profile.sensitive, accumulators) {
            let (reference, method) = Self.reference(attribute.reference)
            // A named reference group without rows falls back to the largest group.
            let split = accumulator.decomposition(reference: reference).map { ($0, method) }
                ?? accumulator.decomposition(reference: .largest).map { ($0, "largest") }
            if let (split, method) = split {
                decomposition[attribute.column] = AuditReport.Decomposition(
                    referenceGroup: split.referenceGroup, referenceMethod: method,
                    groups: Dictionary(uniqueKeysWithValues: split.groups.map { gap in
                        (gap.group, AuditReport.GroupGap(count: gap.count, meanMargin: gap.meanMargin, gap: gap.gap,
                                                         contributions: Dictionary(uniqueKeysWithValues: zip(names, gap.contributions)),
                                                         residual: gap.residual))
                    }))
            }
            byAttribute[attribute.column] = Dictionary(uniqueKeysWithValues: accumulator.importance().map { group in
                (group.group, importance(names, group.meanAbsolute, group.mean))
            })
        }
        let overallImportance = overall.importance().first.map { importance(names, $0.meanAbsolute, $0.mean) } ?? [:]

        progress?("proxy detection on \(context.referencePath) (\(context.reference.count) rows)")
        // The section's names resolved to source columns (`sex_Female` names `sex`).
        let resolved = context.spec
        let thresholds = resolved.thresholds
        var measures: [String: [String: AuditReport.ProxyMeasure]] = [:]
        var findings: [AuditReport.ExplanationFinding] = []
        for measure in context.measures {
            let declared = resolved.proxies.contains(measure.feature)
            measures[measure.feature, default: [:]][measure.attribute] = AuditReport.ProxyMeasure(measure, thresholds: thresholds,
                                                                                                   declared: declared)
            let shortfall = context.reference.attributes.first { $0.name == measure.attribute }
                .flatMap { Self.referenceShortfall($0, minimumGroupSize: profile.settings.minimumGroupSize, file: context.referencePath) }
            if let finding = proxyFinding(measure, thresholds: thresholds, allowed: resolved.allowInReasons.contains(measure.feature),
                                          shortfall: shortfall) {
                findings.append(finding)
            }
        }
        for column in sensitive {
            // However the model encodes it: `sex_Female` and `sex_Male` are `sex`.
            guard let source = sources.sourceName(for: column) else { continue }
            let allowed = resolved.allowInReasons.contains(source)
            let strength = overallImportance[source]?.meanAbsolute ?? 0
            findings.append(AuditReport.ExplanationFinding(
                kind: "sensitive_feature", feature: source, attribute: column, group: nil, measure: "mean_absolute_attribution",
                value: strength, threshold: 0, verdict: judged(strength, below: 0, allowed: allowed),
                reason: "the model reads the sensitive attribute \(column) itself (mean |attribution| \(ReportFormatting.number(strength)))"
                    + (allowed ? "; allowed by the profile (allow_in_reasons)" : "; never shown to reps as a reason")))
        }
        var multivariate: [String: AuditReport.Multivariate] = [:]
        for attribute in context.reference.attributes {
            let keep = sources.featureNames.indices.filter { sources.sources[sources.membership[$0]].name != attribute.name }
            let x = Matrix(rows: context.reference.count, columns: keep.count) { output in
                for row in 0..<context.reference.count {
                    for (column, feature) in keep.enumerated() {
                        output[row * keep.count + column] = context.reference.features[row, feature]
                    }
                }
            }
            let check = try MultivariateProxyCheck(features: x, attribute: attribute, folds: explanations.folds, l2: explanations.l2)
            multivariate[attribute.name] = AuditReport.Multivariate(check)
            if let best = check.best {
                let fails = best.crossValidatedAUC >= thresholds.multivariateAUC
                findings.append(AuditReport.ExplanationFinding(
                    kind: "multivariate", feature: nil, attribute: attribute.name, group: best.group, measure: "multivariate_auc",
                    value: best.crossValidatedAUC, threshold: thresholds.multivariateAUC,
                    verdict: judged(best.crossValidatedAUC, below: thresholds.multivariateAUC, allowed: false),
                    reason: fails
                        ? "the model's features together tell \(attribute.name) = \(best.group) from the rest with cross-validated AUC \(ReportFormatting.number(best.crossValidatedAUC)), at or above \(thresholds.multivariateAUC)"
                        : "the model's features together tell no \(attribute.name) group from the rest with AUC \(thresholds.multivariateAUC) or more (best: \(best.group), \(ReportFormatting.number(best.crossValidatedAUC)))"))
            }
        }

        let withheld = context.withheld.mapValues { reason -> AuditReport.WithheldFeature in
            switch reason {
            case .sensitive: return AuditReport.WithheldFeature(reason: "sensitive")
            case .declaredProxy: return AuditReport.WithheldFeature(reason: "declared_proxy")
            case .detectedProxy(let attribute): return AuditReport.WithheldFeature(reason: "detected_proxy", attribute: attribute)
            case .undeclaredSensitive: return AuditReport.WithheldFeature(reason: "undeclared_sensitive")
            }
        }
        let modelKind: String
        if let ensemble = context.model as? TreeEnsemble { modelKind = ensemble.source.rawValue } else { modelKind = "linear" }
        return AuditReport.ExplanationsReport(
            status: findings.contains { $0.verdict == .fail } ? .fail : .pass,
            model: AuditReport.ModelInfo(path: spec.path, sha256: try ContentDigest.sha256(ofFile: spec.path).hex, kind: modelKind,
                                         link: context.model.link.rawValue, explainer: context.method.rawValue,
                                         baseValue: context.baseValue),
            rows: rows,
            reference: AuditReport.ReferenceInfo(source: context.referencePath, rows: context.reference.count),
            features: names, columnsRead: columnsRead(sources, sensitive: sensitive), withheld: withheld, allowed: resolved.allowInReasons,
            importance: AuditReport.Importance(overall: overallImportance, byAttribute: byAttribute),
            decomposition: decomposition,
            proxies: AuditReport.Proxies(thresholds: AuditReport.Thresholds(thresholds), measures: measures, multivariate: multivariate),
            findings: findings)
    }

    /// The data columns the explanations read: the model's, those its ambiguous features
    /// were compared with to group them (``FeatureSources/comparedColumns``, when not
    /// among the model's), and the sensitive ones.
    /// The report's note when the model's scores are not the score column's (beyond
    /// ``ScoreAgreement/tolerance``); `nil` when every row agrees.
    static func disagreementNote(_ agreement: ScoreAgreement, scoreColumn: String) -> String? {
        guard agreement.disagreeing > 0, let largest = agreement.largest else { return nil }
        return "explanations: the model's score differs from the score column '\(MessageQuote.clipped(scoreColumn))' by more than "
            + "\(FindingJudge.format(ScoreAgreement.tolerance)) for \(agreement.disagreeing) of \(agreement.compared) rows (by up to "
            + "\(FindingJudge.format(largest.difference)): \(FindingJudge.format(largest.model)) by the model, "
            + "\(FindingJudge.format(largest.recorded)) in the column); the decomposition and importances explain the model's "
            + "margins, not the scores audited: check that model.path is the model that scored the data"
    }

    static func columnsRead(_ sources: FeatureSources, sensitive: [String]) -> [String] {
        let model = sources.columnRequests.map(\.name)
        return model + sources.comparedColumns.filter { !model.contains($0) && !sensitive.contains($0) } + sensitive
    }

    /// A finding for a feature at or over a threshold: fail, or pass when the profile allows it.
    /// Why the reference rows cannot judge a proxy of `attribute`: a proxy check tells
    /// groups apart, so it needs two groups with at least `minimumGroupSize` rows, as a
    /// rule's finding needs them; `nil` when they are there.
    static func referenceShortfall(_ attribute: SensitiveAttribute, minimumGroupSize: Int, file: String) -> String? {
        var rows = [Int](repeating: 0, count: attribute.levels.count)
        for index in 0..<attribute.codes.count {
            let code = Int(attribute.codes[index])
            if code >= 0 { rows[code] += 1 }
        }
        let large = rows.filter { $0 >= minimumGroupSize }.count
        guard large < 2 else { return nil }
        return "the reference rows (\(file), \(attribute.codes.count) rows) hold \(large) group\(large == 1 ? "" : "s") of \(attribute.name) "
            + "with min_group_size (\(minimumGroupSize)) rows, and a proxy check needs two; a larger explanations.reference would decide it"
    }

    /// A finding for a feature at or over a threshold: fail, or pass when the profile allows
    /// it; insufficient evidence when the reference rows are too few to judge (`shortfall`).
    static func proxyFinding(_ measure: ProxyMeasures, thresholds: ProxyThresholds, allowed: Bool,
                             shortfall: String? = nil) -> AuditReport.ExplanationFinding? {
        guard let first = measure.exceeded(thresholds).first else { return nil }
        let (value, threshold): (Double, Double)
        switch first {
        case "cramers_v": (value, threshold) = (measure.cramersVCorrected ?? 0, thresholds.cramersV)
        case "correlation_ratio": (value, threshold) = (measure.correlationRatio ?? 0, thresholds.correlationRatio)
        case "mutual_information": (value, threshold) = (measure.mutualInformation, thresholds.mutualInformation ?? 0)
        default: (value, threshold) = (measure.best?.auc ?? 0, thresholds.auc)
        }
        let evidence = measure.exceeded(thresholds).map { name -> String in
            switch name {
            case "cramers_v": return "Cramér's V \(ReportFormatting.number(measure.cramersVCorrected)) (bias-corrected)"
            case "correlation_ratio": return "correlation ratio \(ReportFormatting.number(measure.correlationRatio))"
            case "mutual_information": return "mutual information \(ReportFormatting.number(measure.mutualInformation)) nats"
            default: return "AUC \(ReportFormatting.number(measure.best?.auc)) for \(measure.best?.group ?? "")"
            }
        }.joined(separator: ", ")
        return AuditReport.ExplanationFinding(
            kind: "proxy", feature: measure.feature, attribute: measure.attribute, group: measure.best?.group, measure: first,
            value: value, threshold: threshold, verdict: judged(value, below: threshold, allowed: allowed, shortfall: shortfall),
            reason: "\(measure.feature) stands in for \(measure.attribute): \(evidence)"
                + (allowed ? "; allowed by the profile (allow_in_reasons)" : "; never shown to reps as a reason")
                + (shortfall.map { "; insufficient evidence: \($0)" } ?? ""))
    }

    private static func importance(_ names: [String], _ meanAbsolute: [Double], _ mean: [Double]) -> [String: AuditReport.FeatureImportance] {
        Dictionary(uniqueKeysWithValues: names.indices.map {
            (names[$0], AuditReport.FeatureImportance(meanAbsolute: meanAbsolute[$0], mean: mean[$0]))
        })
    }

    private static func reference(_ reference: AuditProfile.SensitiveSpec.Reference) -> (DisparityDecomposition.Reference, String) {
        switch reference {
        case .group(let name): return (.group(name), "named")
        case .largest: return (.largest, "largest")
        case .best: return (.highestMeanMargin, "highest_mean_margin")
        }
    }

    /// A proxy check's verdict is FindingJudge's: the measure must stay below its
    /// threshold (a sensitive column read at all fails against 0); the profile's
    /// `allow_in_reasons` waives a failure.
    static func judged(_ value: Double, below threshold: Double, allowed: Bool, shortfall: String? = nil) -> AuditReport.Verdict {
        var measured = MeasuredValue(decision: "explanations", attribute: "", value: value)
        measured.waiver = allowed ? "allowed by the profile (allow_in_reasons)" : nil
        measured.shortfall = shortfall.map { .init(.tooFewRows, $0) }
        return FindingJudge.judge(measured, FindingJudge.Check(comparison: .lessThan, bound: threshold)).verdict
    }
}
