import FairleadCore

/// The individual-fairness section of a report (``AuditReport/IndividualFairnessReport``)
/// for the terminal and Markdown renderings: per decision, the consistency over the k
/// nearest leads and each counterfactual check's flip rate, each beside the verdict of the
/// profile's rule on it. It formats what the report holds and recomputes nothing.
///
///     Individual fairness (k nearest leads on the model's 9 standardized features)
///       threshold_0.3: consistency 0.934 over 5 nearest of 5000 leads   PASS  consistency >= 0.9
///       feature       attribute  leads  flipped  flip rate  verdict  rule
///       age_band      age_band    5000       37      0.007  PASS     counterfactual_flip_rate <= 0.01
enum IndividualFairnessRendering {
    /// One decision's rows, in key order.
    static func decisions(_ report: AuditReport) -> [(String, AuditReport.IndividualFairnessReport)] {
        (report.individualFairness ?? [:]).sorted { $0.key < $1.key }
    }

    /// The findings of `metric` under `decision` at `attribute` (the check's key, or
    /// ``IndividualFairnessSection/allLeads`` for consistency).
    static func findings(_ report: AuditReport, metric: Metric, decision: String, attribute: String) -> [AuditReport.Finding] {
        report.findings.filter { $0.metric == metric.rawValue && $0.decision == decision && $0.attribute == attribute }
    }

    /// "PASS consistency >= 0.9; FAIL …", or "no rule" when none judged the value.
    static func verdicts(_ findings: [AuditReport.Finding]) -> String {
        guard !findings.isEmpty else { return "no rule" }
        return findings.map { "\(ReportFormatting.verdictWord($0.verdict)) \($0.rule)" }.joined(separator: "; ")
    }

    /// "0.934 over the 5 nearest of 5000 leads"
    static func consistencyText(_ section: AuditReport.IndividualFairnessReport) -> String {
        "\(ReportFormatting.estimate(section.consistency)) over the \(section.neighbours) nearest of \(section.leads) leads"
    }

    /// Flipped per group, largest first: "black 12, hispanic 9".
    static func byGroup(_ check: AuditReport.CounterfactualReport) -> String {
        guard !check.flippedByGroup.isEmpty else { return "none" }
        return check.flippedByGroup.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\(TextTable.label($0.key)) \($0.value)" }.joined(separator: ", ")
    }

    /// The counterfactual checks of one decision as a table: feature, attribute, leads,
    /// flipped, flip rate, model cutoff and the rule verdicts (`verbose` adds who flipped).
    static func counterfactualTable(_ report: AuditReport, decision: String, section: AuditReport.IndividualFairnessReport,
                                    verbose: Bool) -> TextTable {
        var table = TextTable(header: ["feature", "attribute", "leads", "flipped", "flip rate", "cutoff", "rule"]
                              + (verbose ? ["flipped by group"] : []))
        table.rightAligned = [2, 3, 4, 5]
        table.labelColumns = [0, 1]
        table.fittedColumns = [0, 1, 6, 7]
        for (key, check) in section.counterfactual.sorted(by: { $0.key < $1.key }) {
            let judged = findings(report, metric: .counterfactualFlipRate, decision: decision, attribute: key)
            table.rows.append([check.feature, check.attribute, String(check.leads), String(check.flipped),
                               ReportFormatting.estimate(check.flipRate), ReportFormatting.number(check.cutoff), verdicts(judged)]
                              + (verbose ? [byGroup(check)] : []))
        }
        return table
    }

    /// The terminal lines: a heading, then per decision its consistency line and its
    /// counterfactual table. With `verbose`, the features and who flipped per group.
    static func terminalLines(_ report: AuditReport, verbose: Bool, into lines: inout TerminalLines) {
        let sections = decisions(report)
        guard !sections.isEmpty else { return }
        lines.append("")
        lines.append("Individual fairness: are leads that look alike to the model decided alike?")
        for (name, section) in sections {
            lines.append("")
            let judged = findings(report, metric: .consistency, decision: name, attribute: IndividualFairnessSection.allLeads)
            lines.append("  Decision \(name): consistency \(consistencyText(section)) (\(verdicts(judged)))")
            if verbose {
                lines.append("    neighbours found on \(section.features.count) standardized features: \(section.features.joined(separator: ", "))")
            }
            if section.counterfactual.isEmpty {
                lines.append("    counterfactual check: the model reads no sensitive column and no declared proxy")
            } else {
                let table = counterfactualTable(report, decision: name, section: section, verbose: verbose)
                lines.append(contentsOf: table.renderPlain(indent: "    ", width: TerminalWidth.lineWidth))
            }
        }
    }

    static func markdownLines(_ report: AuditReport) -> [String] {
        let sections = decisions(report)
        guard !sections.isEmpty else { return [] }
        var lines = ["", "## Individual fairness", "",
                     "`consistency`: \(MarkdownEscaping.text(Metric.consistency.plainWords))",
                     "`counterfactual_flip_rate`: \(MarkdownEscaping.text(Metric.counterfactualFlipRate.plainWords))"]
        for (name, section) in sections {
            let judged = findings(report, metric: .consistency, decision: name, attribute: IndividualFairnessSection.allLeads)
            lines += ["", "### Decision \(MarkdownEscaping.code(name))", "",
                      "- Consistency: \(consistencyText(section)) — \(MarkdownEscaping.text(verdicts(judged)))",
                      "- Features (standardized): \(MarkdownEscaping.text(section.features.joined(separator: ", ")))"]
            if section.counterfactual.isEmpty {
                lines.append("- Counterfactual check: the model reads no sensitive column and no declared proxy.")
            } else {
                lines.append("")
                lines += counterfactualTable(report, decision: name, section: section, verbose: true).renderMarkdown()
            }
        }
        return lines
    }
}

extension HTMLRendering {
    /// The individual-fairness section: per decision its consistency and a table of the
    /// counterfactual checks, each with the verdicts of the rules on it and the catalog's
    /// plain words.
    static func individualFairness(_ report: AuditReport) -> [Markup] {
        let sections = IndividualFairnessRendering.decisions(report)
        guard !sections.isEmpty else { return [] }
        var children: [Markup] = [.tag("h2", ["id": "individual-fairness"], text: "Individual fairness")]
        for metric in [Metric.consistency, .counterfactualFlipRate] {
            children.append(.tag("p", ["class": "explain"], [.tag("code", text: metric.rawValue), .text(": " + metric.plainWords)]))
        }
        var consistency = HTMLTable(caption: "Consistency per decision", header: ["decision", "consistency", "neighbours", "leads", "rules"],
                                    numeric: [1, 2, 3])
        for (name, section) in sections {
            let judged = IndividualFairnessRendering.findings(report, metric: .consistency, decision: name,
                                                             attribute: IndividualFairnessSection.allLeads)
            consistency.append([name, ReportFormatting.estimate(section.consistency), String(section.neighbours), String(section.leads),
                                IndividualFairnessRendering.verdicts(judged)],
                               className: judged.contains { $0.verdict == .fail } ? "fail" : "")
        }
        children.append(consistency.markup)
        for (name, section) in sections where !section.counterfactual.isEmpty {
            var table = HTMLTable(caption: "Counterfactual check, decision \(HTMLPage.label(name))",
                                  header: ["feature", "attribute", "leads", "flipped", "flip rate", "model cutoff", "rules", "flipped by group"],
                                  numeric: [2, 3, 4, 5])
            table.labelColumns = [0, 1]
            for (key, check) in section.counterfactual.sorted(by: { $0.key < $1.key }) {
                let judged = IndividualFairnessRendering.findings(report, metric: .counterfactualFlipRate, decision: name, attribute: key)
                table.append([check.feature, check.attribute, String(check.leads), String(check.flipped),
                              ReportFormatting.estimate(check.flipRate), ReportFormatting.number(check.cutoff),
                              IndividualFairnessRendering.verdicts(judged), IndividualFairnessRendering.byGroup(check)],
                             className: judged.contains { $0.verdict == .fail } ? "fail" : "")
            }
            children.append(table.markup)
        }
        if let features = sections.first?.1.features {
            children.append(.tag("p", ["class": "meta"], text: "Neighbours are found on the model's \(features.count) standardized features: "
                                 + features.joined(separator: ", ") + "."))
        }
        return [.tag("section", ["class": "individual-fairness"], children)]
    }
}
