import FairleadCore

/// The report as one self-contained HTML page with inline SVG charts, for the people who
/// read and forward audits: the verdict first — the failing rules with their groups and
/// how far each is from its limit — then per decision and attribute the rules' metrics
/// as bars with intervals and limits, the lead queue (score distributions, threshold
/// sweep, calibration, top-k shares), the explanations (gap decomposition, proxies),
/// drift and the row accounting (docs/html-report.md explains each chart).
///
/// Like every rendering it draws what the report holds and computes no metric. Every
/// number a chart shows is in a table beside it; every metric has its plain-words
/// explanation from the catalog (``MetricDefinition/plainWords``). Every value from the
/// data, the profile or a model goes through ``HTMLEscaping``. The page fetches nothing
/// (its Content-Security-Policy forbids it), and the same report gives the same bytes.
///
///     let html = HTMLRendering.render(report)      // a whole page, "<!DOCTYPE html>…"
public enum HTMLRendering {
    /// The page of `report`.
    public static func render(_ report: AuditReport) -> String {
        var body: [Markup] = [header(report), verdict(report), contents(report)]
        body += PrivacyRendering.htmlSection(report)
        body += decisions(report)
        body += queue(report)
        body += explanations(report)
        body += individualFairness(report)
        body += mitigation(report)
        body += drift(report)
        body += ReidentificationRendering.htmlSection(report)
        body.append(rowAccounting(report))
        body.append(footer(report))
        return HTMLPage.document(title: "Fairness audit: \(report.profile.name) — \(ReportFormatting.verdictWord(report.status))",
                                 body: [.tag("main", [:], body)])
    }

    // MARK: - Header and verdict

    static func header(_ report: AuditReport) -> Markup {
        var children: [Markup] = [
            .tag("h1", [:], [.text("Fairness audit: \(report.profile.name) "),
                             .tag("span", ["class": "status \(report.status.rawValue)"], text: ReportFormatting.verdictWord(report.status))]),
        ]
        if let purpose = report.profile.purpose { children.append(.tag("p", text: purpose)) }
        var facts = ["Data \(report.data.source) (SHA-256 \(report.data.sha256.prefix(16))…, \(report.data.bytes) bytes)",
                     "\(report.rows.used) of \(report.rows.read) rows used"]
        if let scale = report.data.scoreScale {
            facts.append("scores \(scale.source) \(ReportFormatting.range(scale.range))"
                         + (scale.probabilities ? " (probabilities)" : " (not probabilities: no calibration)"))
        }
        facts.append("audited \(report.generatedAt) by Fairlead \(report.tool.version)")
        children.append(.tag("p", ["class": "meta"], text: facts.joined(separator: " · ")))
        return .tag("header", [:], children)
    }

    /// The verdict: the status and its counts, then the failing rules grouped by rule,
    /// each place with its value, interval, limit and distance to the limit.
    static func verdict(_ report: AuditReport) -> Markup {
        var children: [Markup] = [
            .tag("h2", ["id": "verdict"], text: "Verdict"),
            .tag("div", ["class": "verdict \(report.status.rawValue)"], [
                .tag("p", [:], [.tag("strong", text: ReportFormatting.verdictWord(report.status)), .text(" — " + ReportFormatting.judgementText(report))]),
            ] + (report.notes ?? []).map { .tag("p", text: "Note: \($0)") }),
        ]
        let failing = report.findings.filter { $0.verdict == .fail }
        if report.findings.isEmpty {
            children.append(.tag("p", text: "The profile has no rules; nothing was checked, so nothing passed."))
        } else if failing.isEmpty {
            children.append(.tag("p", text: "No rule failed."))
        } else {
            children.append(.tag("h3", text: "Failing rules"))
            for (rule, findings) in grouped(failing) {
                children.append(findingsTable(rule: rule, findings: findings, caption: "\(rule) — fails at \(findings.count) place\(findings.count == 1 ? "" : "s")"))
            }
        }
        let undecided = report.findings.filter { $0.verdict == .insufficientEvidence }
        if !undecided.isEmpty {
            children.append(.tag("details", [:], [
                .tag("summary", text: "\(undecided.count) finding\(undecided.count == 1 ? "" : "s") with insufficient evidence"),
            ] + grouped(undecided).map { rule, findings in findingsTable(rule: rule, findings: findings, caption: rule) }))
        }
        let passing = report.findings.filter { $0.verdict == .pass }
        if !passing.isEmpty {
            children.append(.tag("details", [:], [
                .tag("summary", text: "\(passing.count) finding\(passing.count == 1 ? "" : "s") passed"),
            ] + grouped(passing).map { rule, findings in findingsTable(rule: rule, findings: findings, caption: rule) }))
        }
        return .tag("section", ["class": "verdict-section"], children)
    }

    /// Findings by rule, in the order rules first appear.
    static func grouped(_ findings: [AuditReport.Finding]) -> [(String, [AuditReport.Finding])] {
        var order: [String] = []
        var byRule: [String: [AuditReport.Finding]] = [:]
        for finding in findings {
            if byRule[finding.rule] == nil { order.append(finding.rule) }
            byRule[finding.rule, default: []].append(finding)
        }
        return order.map { ($0, byRule[$0] ?? []) }
    }

    static func findingsTable(rule: String, findings: [AuditReport.Finding], caption: String) -> Markup {
        let limit = RuleLimit(rule)
        var table = HTMLTable(caption: caption,
                              header: ["decision", "attribute", "group", "value", "interval", "limit", "distance to limit", "verdict", "why"],
                              numeric: [3, 4, 5, 6])
        table.labelColumns = [0, 1, 2]
        for finding in findings {
            let judged = finding.distanceValue
            table.append([finding.decision, finding.attribute, finding.group ?? "—", ReportFormatting.decidingValue(of: finding),
                          ReportFormatting.decidingInterval(of: finding, interval: finding.verdictInterval ?? finding.interval),
                          limit.map { "\($0.comparison.rawValue) \(ChartNumber.label($0.bound, digits: 3))" } ?? "",
                          limit.map { $0.distanceText(judged) } ?? "", ReportFormatting.verdictWord(finding.verdict), finding.reason],
                         className: finding.verdict == .fail ? "fail" : finding.verdict == .insufficientEvidence ? "insufficient" : "")
        }
        var children: [Markup] = []
        if let metric = limit.flatMap({ Metric(rawValue: $0.metric) }) {
            children.append(.tag("p", ["class": "explain"], [.tag("code", text: metric.rawValue), .text(": " + metric.definition.plainWords)]))
        }
        children.append(table.markup)
        return .tag("div", ["class": "rule-findings"], children)
    }

    /// Links to every section.
    static func contents(_ report: AuditReport) -> Markup {
        var items: [Markup] = [link("#verdict", "Verdict")]
        if report.privacy != nil { items.append(link("#privacy", "Published view")) }
        for (index, name) in report.decisions.keys.sorted().enumerated() {
            items.append(link("#decision-\(index)", "Decision \(HTMLPage.label(name))"))
        }
        if let queue = report.queue, !queue.isEmpty { items.append(link("#queue", "Lead queue")) }
        if report.explanations != nil { items.append(link("#explanations", "Explanations")) }
        if report.individualFairness?.isEmpty == false { items.append(link("#individual-fairness", "Individual fairness")) }
        if report.mitigation != nil { items.append(link("#mitigation", "Mitigation options")) }
        if report.drift != nil { items.append(link("#drift", "Drift against the baseline")) }
        if report.reidentification != nil { items.append(link("#reidentification", "Re-identification risk")) }
        items.append(link("#rows", "Row accounting"))
        return .tag("nav", ["class": "toc", "aria-label": "Contents"], [.tag("ol", [:], items.map { .tag("li", [:], [$0]) })])
    }

    static func link(_ target: String, _ text: String) -> Markup {
        .tag("a", ["href": target], text: text)
    }

    static func footer(_ report: AuditReport) -> Markup {
        let settings = report.settings
        let judged: [Markup] = report.findings.contains { $0.judgedValue != nil }
            ? [.tag("p", text: ReportFormatting.judgedLegend(minimumGroupSize: settings.minimumGroupSize, sections: true) + ".")] : []
        let tied: [Markup] = report.findings.contains(where: \.isDecidedThroughTie) ? [.tag("p", text: ReportFormatting.tieLegend + ".")] : []
        return .tag("footer", ["class": "meta"], [
            .tag("p", text: ReportFormatting.intervalLegend(report) + "."),
        ] + judged + tied + [
            .tag("p", text: "Profile \(report.profile.name) (SHA-256 \(report.profile.sha256.prefix(16))…)"
                 + (report.profile.files.isEmpty ? "" : " from \(report.profile.files.joined(separator: ", "))")
                 + "; seed \(settings.seed); schema version \(report.schemaVersion)."),
            .tag("p", text: "Every number on this page is read from the canonical JSON report; none is computed by the page."),
        ])
    }

    /// The catalog's explanation of `name`, when it is a catalog metric.
    static func explanation(_ name: String) -> Markup? {
        guard let metric = Metric(rawValue: name) else { return nil }
        return .tag("p", ["class": "explain"], [.tag("code", text: name), .text(": " + metric.definition.plainWords)])
    }
}
