import FairleadCore

/// Builds the report's individual-fairness section from the audit's one read: the
/// model's feature matrix (``AuditInput/leads(_:sources:attributeColumns:)``), each
/// decision's selections, ``Consistency`` and the counterfactual check; and judges the
/// profile's rules on them with ``FindingJudge``.
enum IndividualFairnessSection {
    /// The attribute name findings on consistency carry: it is measured over every lead.
    static let allLeads = "(all leads)"

    static func report(profile: AuditProfile, spec: AuditProfile.IndividualFairnessSpec, input: AuditInput,
                       data: AuditData, threads: Int) throws -> [String: AuditReport.IndividualFairnessReport] {
        guard let explained = input.explained else {
            throw FairleadError(.internalFailure, "the audit's read did not match the model's features", at: SourceLocation(file: input.path))
        }
        let rows = input.table.rowCount
        guard rows <= spec.maximumRows else {
            throw FairleadError(.invalidProfile,
                                "individual fairness compares every lead with every other: \(rows) rows exceed individual_fairness.max_rows (\(spec.maximumRows)); raise it or audit a sample",
                                at: SourceLocation(file: profile.sourceFiles.first, field: "individual_fairness.max_rows"))
        }
        let sensitive = profile.sensitive.map(\.column)
        let batch = try input.leads(0..<rows, sources: explained.sources, attributeColumns: sensitive)
        let features = batch.features
        let model = explained.model
        let probabilities = model.probabilities(features)
        let columns = AuditColumns(scores: data.scores, labelColumn: data.labels, weights: data.weights, attributes: data.attributes)
        var result: [String: AuditReport.IndividualFairnessReport] = [:]
        for decision in profile.decisions {
            // A prediction column has no score to re-decide by.
            if case .predictionColumn = decision.kind { continue }
            let rule = decision.rule
            let selections = try rule.selections(on: columns)
            let decided = selections.indices.filter { !selections[$0].isNaN }
            let matrix = standardized(features, rows: decided)
            let k = min(spec.neighbours, max(1, decided.count))
            let consistency = decided.isEmpty ? MetricValue.undefined(.emptyGroup)
                : .value(Consistency.value(features: matrix, decisions: decided.map { selections[$0] }, k: k, threads: threads))
            // The model's own decisions, for the counterfactual: its probabilities at the
            // decision's threshold, or at its k-th highest for top-k.
            let modelRule: DecisionRule
            switch decision.kind {
            case .threshold(let threshold): modelRule = .threshold(threshold)
            default: modelRule = rule
            }
            let cutoff = try modelCutoff(modelRule, probabilities: probabilities)
            var counterfactual: [String: AuditReport.CounterfactualReport] = [:]
            for (index, attribute) in profile.sensitive.enumerated() {
                var codes = batch.attributes[index]
                if let bins = attribute.bins { codes = try bins.regrouped(codes, path: input.path) }
                var checked = [attribute.column]
                checked += (profile.explanations?.proxies ?? []).filter { $0 != attribute.column }
                for feature in checked {
                    guard let source = explained.sources.sourceIndex(named: feature) else { continue }
                    let key = feature == attribute.column ? feature : "\(feature)~\(attribute.column)"
                    counterfactual[key] = check(feature: feature, attribute: attribute.column,
                                                columns: explained.sources.sources[source].features,
                                                codes: codes.codes, levels: codes.levels, features: features,
                                                model: model, probabilities: probabilities, cutoff: cutoff)
                }
            }
            result[decision.name] = AuditReport.IndividualFairnessReport(
                consistency: AuditReport.Estimate(value: consistency.number, undefinedReason: consistency.undefinedReason?.rawValue),
                neighbours: k, leads: decided.count, features: explained.sources.featureNames, counterfactual: counterfactual)
        }
        return result
    }

    /// The rows' features, each column standardized over them (mean 0, population standard
    /// deviation 1); a missing value (NaN) becomes 0, the column's mean.
    static func standardized(_ features: Matrix, rows: [Int]) -> Matrix {
        let p = features.columns
        var values = [Double](repeating: 0, count: rows.count * p)
        for column in 0..<p {
            var sum = 0.0, count = 0.0
            for row in rows where !features[row, column].isNaN { sum += features[row, column]; count += 1 }
            let mean = count > 0 ? sum / count : 0
            var squares = 0.0
            for row in rows where !features[row, column].isNaN {
                let d = features[row, column] - mean
                squares += d * d
            }
            let deviation = count > 0 ? (squares / count).squareRoot() : 0
            for (position, row) in rows.enumerated() {
                let value = features[row, column]
                values[position * p + column] = value.isNaN || deviation == 0 ? 0 : (value - mean) / deviation
            }
        }
        return Matrix(rows: rows.count, columns: p, values: values)
    }

    /// The probability at or above which the model selects a lead under `rule`.
    static func modelCutoff(_ rule: DecisionRule, probabilities: [Double]) throws -> Double {
        if case .threshold(let threshold) = rule { return threshold }
        let selections = try rule.selections(on: AuditColumns(scores: probabilities, attributes: []))
        return zip(probabilities, selections).filter { $0.1 == 1 }.map(\.0).min() ?? .infinity
    }

    /// For each lead with a group, whether setting `feature`'s model columns to another
    /// group's typical encoding (the most common one; the median of a lone numeric column)
    /// flips the model's decision at `cutoff`.
    static func check(feature: String, attribute: String, columns: [Int], codes: AttributeCodes, levels: [String],
                      features: Matrix, model: any Model, probabilities: [Double], cutoff: Double)
        -> AuditReport.CounterfactualReport {
        let n = features.rows
        var typical: [[Double]?] = []
        for group in levels.indices {
            let members = (0..<n).filter { Int(codes[$0]) == group }
            if columns.count == 1 {
                let values = members.map { features[$0, columns[0]] }.filter { !$0.isNaN }.sorted()
                typical.append(values.isEmpty ? nil : [values[values.count / 2]])
            } else {
                var counts: [[UInt64]: (count: Int, values: [Double])] = [:]
                for row in members {
                    let values = columns.map { features[row, $0] }
                    let key = values.map(\.bitPattern)
                    counts[key, default: (0, values)].count += 1
                }
                typical.append(counts.values.max { $0.count != $1.count ? $0.count < $1.count : $0.values.lexicographicallyPrecedes($1.values) }?.values)
            }
        }
        var flipped = [Bool](repeating: false, count: n)
        for (group, values) in typical.enumerated() {
            guard let values else { continue }
            var changed = features
            for row in 0..<n where codes[row] >= 0 && Int(codes[row]) != group {
                for (position, column) in columns.enumerated() { changed[row, column] = values[position] }
            }
            let after = model.probabilities(changed)
            for row in 0..<n where codes[row] >= 0 && Int(codes[row]) != group {
                if (after[row] >= cutoff) != (probabilities[row] >= cutoff) { flipped[row] = true }
            }
        }
        var byGroup: [String: Int] = [:]
        var leads = 0, flips = 0
        for row in 0..<n where codes[row] >= 0 {
            leads += 1
            if flipped[row] {
                flips += 1
                byGroup[levels[Int(codes[row])], default: 0] += 1
            }
        }
        return AuditReport.CounterfactualReport(
            feature: feature, attribute: attribute, leads: leads, flipped: flips,
            flipRate: AuditReport.Estimate(value: leads > 0 ? Double(flips) / Double(leads) : nil,
                                           undefinedReason: leads > 0 ? nil : UndefinedReason.emptyGroup.rawValue),
            flippedByGroup: byGroup, cutoff: cutoff)
    }

    /// The profile's rules on individual fairness, judged per decision (consistency) and
    /// per checked feature (counterfactual flip rate).
    static func findings(rules: [AuditProfile.RuleSpec], section: [String: AuditReport.IndividualFairnessReport]?,
                         profile: AuditProfile) -> [AuditReport.Finding] {
        var findings: [AuditReport.Finding] = []
        for rule in rules where rule.metric.definition.family == .individual {
            for decision in profile.decisions where rule.decisions.map({ $0.contains(decision.name) }) ?? true {
                guard let report = section?[decision.name] else {
                    var measured = MeasuredValue(decision: decision.name, attribute: allLeads, value: nil)
                    if case .predictionColumn = decision.kind {
                        measured.shortfall = .init(.notApplicable, "\(rule.metric) needs a score to find neighbours' decisions and re-decide; decision \(decision.name) is a prediction column")
                    } else {
                        measured.shortfall = .init(.notApplicable, "\(rule.metric) needs the model's features; the profile names no model (model:)")
                        measured.wouldDecide = "a model: section naming the model file would decide it"
                    }
                    findings.append(FindingJudge.finding(rule, measured, mode: profile.settings.verdict))
                    continue
                }
                if rule.metric == .consistency {
                    let measured = MeasuredValue(decision: decision.name, attribute: allLeads, value: report.consistency.value,
                                                 undefinedReason: report.consistency.undefinedReason)
                    findings.append(FindingJudge.finding(rule, measured, mode: profile.settings.verdict))
                } else if report.counterfactual.isEmpty {
                    var measured = MeasuredValue(decision: decision.name, attribute: allLeads, value: nil)
                    measured.shortfall = .init(.notApplicable, "the model reads no sensitive column and no declared proxy (explanations.proxies): nothing to flip")
                    findings.append(FindingJudge.finding(rule, measured, mode: profile.settings.verdict))
                } else {
                    for (key, check) in report.counterfactual.sorted(by: { $0.key < $1.key }) {
                        let measured = MeasuredValue(decision: decision.name, attribute: key, value: check.flipRate.value,
                                                     undefinedReason: check.flipRate.undefinedReason)
                        findings.append(FindingJudge.finding(rule, measured, mode: profile.settings.verdict))
                    }
                }
            }
        }
        return findings
    }
}
