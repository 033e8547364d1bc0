import FairleadCore

extension AuditProfile {
    /// A plain-language account of what an audit with this profile will do: the data and
    /// columns it reads, the decisions, groups, rules and settings. `fairlead validate`
    /// prints it, each of ``summaryLines`` escaped as one line (a name holding a line
    /// break cannot forge a line of its own).
    public var summary: String { summaryLines.joined(separator: "\n") }

    /// ``summary``'s lines, names and values in them as the profile gives them.
    public var summaryLines: [String] {
        var lines: [String] = []
        lines.append("Profile \(name)" + (purpose.map { ": \($0)" } ?? ""))
        if sourceFiles.count > 1 {
            lines.append("  extends \(sourceFiles.dropFirst().joined(separator: ", then "))")
        }
        lines.append("Data: \(data.path ?? data.postgres?.displayName ?? "(given with --data)")")
        lines.append("  reads only the columns: \(columnsRead.joined(separator: ", "))")
        if data.label == nil {
            lines.append("  no label column: label-dependent metrics (TPR, FPR, precision, …) are not computed")
        }
        if let label = data.label, let positive = data.labelPositive {
            lines.append("  label \(label): \(positive.joined(separator: ", ")) → 1 (positive), every other value → 0")
        }
        if let range = data.scoreRange {
            lines.append("  scores must lie in [\(range.lowerBound), \(range.upperBound)]")
        }
        lines.append("Decisions:")
        for decision in decisions {
            lines.append("  \(decision.name): \(decision.kind.summary)")
        }
        lines.append("Groups:")
        for attribute in sensitive {
            let reference: String
            switch attribute.reference {
            case .group(let group): reference = "reference group \(group)"
            case .largest: reference = "reference: the largest group"
            case .best: reference = "reference: the best-valued group"
            }
            let bins = attribute.bins.map { "groups \($0.groupNames.joined(separator: ", ")); " } ?? ""
            let values = attribute.values.map { values in
                "declared groups \(values.joined(separator: ", "))" + (attribute.other.map { ", any other value as \($0)" } ?? "") + "; "
            } ?? ""
            let oneHot = attribute.oneHot.map { indicators in
                "one-hot: the group whose indicator is 1, "
                    + indicators.map { "\($0.group) (\($0.column))" }.joined(separator: ", ")
                    + "; two indicators at 1 on a row are refused; "
            } ?? ""
            let missing = attribute.missing == .unknownGroup
                ? "missing values\(attribute.oneHot == nil ? "" : " (no indicator at 1, or one missing)") audited as \"unknown\""
                : "missing values\(attribute.oneHot == nil ? "" : " (no indicator at 1, or one missing)") excluded and counted"
            lines.append("  \(attribute.column) (\(oneHot)\(bins)\(values)\(reference); \(missing))")
        }
        for columns in intersections {
            lines.append("  \(columns.joined(separator: "*")) (intersection)")
        }
        if let privacy, let epsilon = privacy.epsilon {
            let undeclared = sensitive.filter { DeclaredGroups($0) == nil }.map(\.column)
            let groups = undeclared.isEmpty ? "each names the declared groups only"
                : privacy.groupNames == .fromData ? "the groups of \(ListWording.and(undeclared)) come from the data, which ε does not cover"
                : "refused until \(ListWording.and(undeclared)) \(undeclared.count == 1 ? "declares its" : "declare their") groups (values:) or privacy.group_names is from_data"
            lines.append("Privacy: differentially private releases of ε = \(epsilon) (budget \(privacy.budget.map(\.description) ?? "none")); \(groups)")
        }
        if rules.isEmpty {
            lines.append("Rules: none; the audit reports metrics and its status is NO RULES (add rules to judge them)")
        } else {
            lines.append("Rules:")
            for rule in rules {
                // A top-k metric without decisions is judged at every top-k decision's
                // cutoff, or at the top 10% when the profile has none: said, not implied.
                let topK = decisions.filter(\.isTopK).map(\.name)
                let cutoff = rule.decisions == nil && rule.metric.isAtTopKCutoff
                    ? (topK.isEmpty ? "at top_10pct, the default cutoff: the profile has no top-k decision" : "at \(topK.joined(separator: ", "))")
                    : nil
                let scope = [rule.attributes.map { "attributes \($0.joined(separator: ", "))" },
                             rule.decisions.map { "decisions \($0.joined(separator: ", "))" }, cutoff]
                    .compactMap { $0 }.joined(separator: "; ")
                lines.append("  \(rule.expression)" + (scope.isEmpty ? "" : " (\(scope))"))
            }
        }
        lines.append("Settings: groups under \(settings.minimumGroupSize) rows get insufficient evidence; "
                     + "\(Int((settings.intervalLevel * 100).rounded()))% intervals; "
                     + (settings.bootstrapReplicates > 0 ? "\(settings.bootstrapReplicates) bootstrap replicates, seed \(settings.seed)"
                                                         : "no bootstrap"))
        if let model {
            lines.append("Model: \(model.path)" + (model.explainer.map { " (explainer \($0))" } ?? ""))
            lines.append("  its feature columns are read too; the report gets an explanations section")
            let spec = explanations ?? ExplanationsSpec()
            let thresholds = spec.thresholds
            lines.append("Explanations: \(spec.top) reasons each way per lead; never reasons: the sensitive columns"
                         + (spec.proxies.isEmpty ? "" : ", \(spec.proxies.joined(separator: ", ")) (declared proxies)")
                         + " and detected proxies" + (spec.allowInReasons.isEmpty ? "" : "; allowed all the same: \(spec.allowInReasons.joined(separator: ", "))"))
            lines.append("  a proxy: bias-corrected Cramér's V ≥ \(thresholds.cramersV), correlation ratio ≥ \(thresholds.correlationRatio), "
                         + "one-feature AUC ≥ \(thresholds.auc)" + (thresholds.mutualInformation.map { ", mutual information ≥ \($0) nats" } ?? "")
                         + "; all features: cross-validated AUC ≥ \(thresholds.multivariateAUC)")
        }
        if let drift {
            let baseline: String
            switch drift.baseline {
            case .lastPassing: baseline = "the last passing audit of \(name) in the history"
            case .entry(let id): baseline = "history entry \(id)"
            case .reportFile(let path): baseline = "the report \(path)"
            }
            lines.append("Drift: compared with \(baseline); unchanged data reports drift with at most "
                         + String(format: "%g", ((1 - drift.confidence) * 1e8).rounded() / 1e6) + "% chance")
            // What is compared, as drift.metrics narrows it: "a fairness value" promised
            // comparisons that `metrics: []` or `metrics: [true_positive_rate]` turned off.
            var values: [String] = []
            if !drift.comparedFairness.isEmpty {
                values.append(drift.metrics == nil ? "a fairness value" : drift.comparedFairness.joined(separator: ", "))
            }
            if !drift.comparedGroupMetrics.isEmpty {
                values.append("a group's \(drift.comparedGroupMetrics.joined(separator: ", ")) difference to the reference")
            }
            let changes = values.isEmpty ? "" : "a change beyond ±\(drift.tolerance) in \(values.joined(separator: " or ")), "
            lines.append("  drift: \(changes)a score PSI beyond \(drift.psi), or a group's share changing beyond ±\(drift.shareShift)")
            if values.isEmpty {
                lines.append("  (drift.metrics is an empty list: no fairness value or group difference is compared)")
            }
        }
        return lines
    }

    /// The data columns an audit reads, in a stable order; no other column is parsed.
    public var columnsRead: [String] {
        var columns: [String] = []
        func add(_ name: String?) {
            if let name, !columns.contains(name) { columns.append(name) }
        }
        add(data.id)
        add(data.score)
        add(data.label)
        add(data.weight)
        for decision in decisions {
            if case .predictionColumn(let column) = decision.kind { add(column) }
        }
        for attribute in sensitive { attribute.dataColumns.forEach(add) }
        for name in privacy?.quasiIdentifiers ?? [] { add(name) }
        add(data.consent?.column)
        return columns
    }
}

extension AuditProfile.DecisionSpec.Kind {
    /// The rule in words, e.g. "selected when score ≥ 0.3".
    public var summary: String {
        switch self {
        case .threshold(let threshold): return "selected when score ≥ \(threshold)"
        case .topCount(let count): return "the \(count) highest scores are selected"
        case .topFraction(let fraction): return "the top \(AuditProfile.compactNumber(fraction * 100))% of scores are selected"
        case .predictionColumn(let column): return "the 0/1 column \(column) holds the decisions"
        }
    }
}
