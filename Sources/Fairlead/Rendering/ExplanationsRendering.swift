import FairleadCore

/// The explanations section of a report for the terminal and Markdown renderings: proxy
/// findings, what reps never see, the per-feature split of each group's score gap, the
/// proxy measures and the features' importance. It formats what the report holds.
enum ExplanationsRendering {
    /// Contributions shown per group gap.
    static let contributionsShown = 3

    /// "xgb-leads-score.json (tree SHAP over 5000 rows; proxies measured on 5000 rows of leads-sample.csv)"
    static func heading(_ explanations: AuditReport.ExplanationsReport) -> String {
        "\(explanations.model.path) (\(explanations.model.explainer) SHAP over \(explanations.rows) rows; "
            + "proxies measured on \(explanations.reference.rows) rows of \(explanations.reference.source))"
    }

    /// "age_band (sensitive), postal_area (proxy of ethnicity)"
    static func withheld(_ explanations: AuditReport.ExplanationsReport) -> String {
        guard !explanations.withheld.isEmpty else { return "none" }
        return explanations.withheld.sorted { $0.key < $1.key }.map { name, why in
            switch why.reason {
            case "sensitive": return "\(TextTable.label(name)) (sensitive)"
            case "declared_proxy": return "\(TextTable.label(name)) (declared proxy)"
            case "undeclared_sensitive": return "\(TextTable.label(name)) (named like a sensitive attribute, not declared)"
            default: return "\(TextTable.label(name)) (proxy of \(TextTable.label(why.attribute ?? "a sensitive attribute")))"
            }
        }.joined(separator: ", ")
    }

    /// The largest contributions of a gap by size: "postal_area -0.474, pricing_page_views -0.032".
    static func topContributions(_ gap: AuditReport.GroupGap) -> String {
        gap.contributions.sorted { abs($0.value) != abs($1.value) ? abs($0.value) > abs($1.value) : $0.key < $1.key }
            .prefix(contributionsShown).map { "\(TextTable.label($0.key)) \(signed($0.value))" }.joined(separator: ", ")
    }

    static func signed(_ value: Double) -> String {
        (value >= 0 ? "+" : "") + ReportFormatting.number(value)
    }

    /// Groups other than the reference, in their natural order
    /// (``ReportFormatting/orderedNames(_:counts:reference:)``).
    static func gaps(_ decomposition: AuditReport.Decomposition) -> [(String, AuditReport.GroupGap)] {
        let others = decomposition.groups.filter { $0.key != decomposition.referenceGroup }
        return ReportFormatting.orderedNames(Array(others.keys), counts: others.mapValues(\.count), reference: nil)
            .compactMap { name in others[name].map { (name, $0) } }
    }

    /// Features by mean |attribution|, largest first.
    static func ranking(_ importance: [String: AuditReport.FeatureImportance]) -> [(String, AuditReport.FeatureImportance)] {
        importance.sorted { $0.value.meanAbsolute != $1.value.meanAbsolute ? $0.value.meanAbsolute > $1.value.meanAbsolute : $0.key < $1.key }
    }

    /// The proxy checks' verdict and their failures, for the terminal's first screen: each
    /// with its reason and how far its measure is over the threshold.
    static func terminalSummary(_ report: AuditReport, into lines: inout TerminalLines) {
        guard let explanations = report.explanations, !explanations.findings.isEmpty else { return }
        let failed = explanations.findings.enumerated().filter { $0.element.verdict == .fail }
            .sorted { ($0.element.value - $0.element.threshold, $1.offset) > ($1.element.value - $1.element.threshold, $0.offset) }
            .map { $0.element }
        lines.append("")
        lines.appendVerdict(ReportFormatting.verdictWord(explanations.status), explanations.status,
                            "proxy checks: \(failed.count) of \(explanations.findings.count) failed")
        for finding in failed.prefix(TerminalSummary.worstShown) {
            lines.append("  \(finding.reason) (\(finding.measure) \(ReportFormatting.number(finding.value)), "
                         + "\(TerminalFindings.distance(finding.value, bound: finding.threshold)))")
        }
        if failed.count > TerminalSummary.worstShown {
            lines.append("  \(failed.count - TerminalSummary.worstShown) more failed: --verbose")
        }
    }

    /// The explanations section after the tables: every proxy check (with `verbose`), what
    /// reps never see, each group's score gap split per feature, the features' importance.
    static func terminalLines(_ report: AuditReport, verbose: Bool, into lines: inout TerminalLines) {
        guard let explanations = report.explanations else { return }
        lines.append("")
        lines.append("Explanations: \(heading(explanations))")
        if verbose {
            for finding in explanations.findings {
                lines.appendVerdict(ReportFormatting.verdictWord(finding.verdict), finding.verdict, indent: "  ",
                                    "\(finding.reason) (\(finding.measure) \(ReportFormatting.number(finding.value)), "
                                    + "threshold \(FindingJudge.format(finding.threshold)))")
            }
        }
        lines.append("  never given as reasons: \(withheld(explanations))")
        for (attribute, decomposition) in explanations.decomposition.sorted(by: { $0.key < $1.key }) {
            lines.append("  score gap by \(TextTable.label(attribute)), mean margin against \(TextTable.label(decomposition.referenceGroup)), "
                         + "largest contributions:")
            var table = TextTable(header: ["group", "n", "gap", "contributions"])
            table.rightAligned = [1, 2]
            table.fittedColumns = [0, 3]
            for (group, gap) in gaps(decomposition) {
                table.rows.append([group, String(gap.count), signed(gap.gap), topContributions(gap)])
            }
            lines.append(contentsOf: table.renderPlain(indent: "    ", width: TerminalWidth.lineWidth))
        }
        let ranked = ranking(explanations.importance.overall).prefix(5)
        lines.append("  most important (mean |attribution|): "
                     + ranked.map { "\(TextTable.label($0.0)) \(ReportFormatting.number($0.1.meanAbsolute))" }.joined(separator: ", "))
    }

    /// Rows of the Markdown proxy table at least (more when more pairs are over a threshold).
    static let proxyRowsShown = 10

    /// Every feature–attribute pair, strongest association first (bias-corrected Cramér's V
    /// for a categorical feature, the correlation ratio η for a numeric one).
    static func proxyPairsByStrength(_ proxies: AuditReport.Proxies)
        -> [(feature: String, attribute: String, measure: AuditReport.ProxyMeasure)] {
        let pairs = proxies.measures.flatMap { feature, byAttribute in
            byAttribute.map { (feature: feature, attribute: $0.key, measure: $0.value) }
        }
        func strength(_ measure: AuditReport.ProxyMeasure) -> Double {
            let value = measure.kind == "categorical" ? measure.cramersVCorrected : measure.correlationRatio
            return value.flatMap { $0.isNaN ? nil : $0 } ?? -1
        }
        return pairs.sorted {
            strength($0.measure) != strength($1.measure) ? strength($0.measure) > strength($1.measure)
                : ($0.feature, $0.attribute) < ($1.feature, $1.attribute)
        }
    }

    static func markdownLines(_ report: AuditReport) -> [String] {
        guard let explanations = report.explanations else { return [] }
        var lines = ["", "## Explanations — \(ReportFormatting.verdictWord(explanations.status))", "",
                     "- Model: \(MarkdownEscaping.code(explanations.model.path)) (\(MarkdownEscaping.text(explanations.model.kind)), "
                        + "SHA-256 \(MarkdownEscaping.code(explanations.model.sha256.prefix(16) + "…"))), "
                        + "\(MarkdownEscaping.text(explanations.model.explainer)) SHAP over \(explanations.rows) rows; typical lead margin "
                        + ReportFormatting.number(explanations.model.baseValue),
                     "- Proxy detection on \(explanations.reference.rows) rows of \(MarkdownEscaping.code(explanations.reference.source))",
                     "- Never given to reps as a reason: \(MarkdownEscaping.text(withheld(explanations)))"]
        if !explanations.allowed.isEmpty {
            lines.append("- Allowed as reasons by the profile: \(MarkdownEscaping.text(explanations.allowed.map(TextTable.label).joined(separator: ", ")))")
        }
        if !explanations.findings.isEmpty {
            lines.append("")
            var table = TextTable(header: ["verdict", "check", "attribute", "measure", "value", "threshold", "why"])
            table.rightAligned = [4, 5]
            for finding in explanations.findings {
                table.rows.append([ReportFormatting.verdictWord(finding.verdict), finding.feature.map { "`\($0)`" } ?? "all features",
                                   finding.attribute, finding.measure, ReportFormatting.number(finding.value),
                                   ReportFormatting.number(finding.threshold), finding.reason])
            }
            lines += table.renderMarkdown()
        }
        for (attribute, decomposition) in explanations.decomposition.sorted(by: { $0.key < $1.key }) {
            lines += ["", "### Score gap by \(MarkdownEscaping.text(attribute)) (mean margin against \(MarkdownEscaping.text(TextTable.label(decomposition.referenceGroup))))", ""]
            var table = TextTable(header: ["group", "n", "mean margin", "gap", "largest contributions"])
            table.rightAligned = [1, 2, 3]
            for (group, gap) in gaps(decomposition) {
                table.rows.append([group, String(gap.count), ReportFormatting.number(gap.meanMargin), signed(gap.gap), topContributions(gap)])
            }
            lines += table.renderMarkdown()
        }
        lines += ["", "### Proxy measures", ""]
        var measures = TextTable(header: ["feature", "attribute", "V (corrected) / η", "mutual information", "best AUC", "over a threshold"])
        measures.rightAligned = [2, 3, 4]
        let pairs = proxyPairsByStrength(explanations.proxies)
        // Every pair over a threshold, then the strongest others up to a readable table;
        // the JSON report keeps them all.
        let over = pairs.filter { !$0.measure.exceeded.isEmpty }
        let shown = over + pairs.filter { $0.measure.exceeded.isEmpty }.prefix(max(0, proxyRowsShown - over.count))
        for (feature, attribute, measure) in shown {
            let association = measure.kind == "categorical" ? "V \(ReportFormatting.number(measure.cramersVCorrected))"
                : "η \(ReportFormatting.number(measure.correlationRatio))"
            let best = measure.bestAuc.map { "\(ReportFormatting.number($0)) (\(measure.bestGroup ?? ""))" } ?? "—"
            measures.rows.append(["`\(feature)`", attribute, association, ReportFormatting.number(measure.mutualInformation),
                                  best, measure.exceeded.joined(separator: ", ")])
        }
        lines += measures.renderMarkdown()
        if pairs.count > shown.count {
            lines += ["", "\(pairs.count - shown.count) weaker feature–attribute pairs, under every threshold, are in the JSON report (`explanations.proxies.measures`)."]
        }
        lines += ["", "All features together (cross-validated AUC of an L2 logistic regression per group):", ""]
        var multivariate = TextTable(header: ["attribute", "rows", "best group", "AUC"])
        multivariate.rightAligned = [1, 3]
        for (attribute, check) in explanations.proxies.multivariate.sorted(by: { $0.key < $1.key }) {
            multivariate.rows.append([attribute, String(check.rows), check.bestGroup ?? "—", ReportFormatting.number(check.bestAuc)])
        }
        lines += multivariate.renderMarkdown()
        lines += ["", "### Feature importance (mean |attribution| over all rows)", ""]
        var importance = TextTable(header: ["feature", "mean |attribution|", "mean attribution"])
        importance.rightAligned = [1, 2]
        for (feature, value) in ranking(explanations.importance.overall) {
            importance.rows.append(["`\(feature)`", ReportFormatting.number(value.meanAbsolute), signed(value.mean)])
        }
        lines += importance.renderMarkdown()
        return lines
    }
}
