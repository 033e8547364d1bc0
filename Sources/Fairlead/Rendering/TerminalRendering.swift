import FairleadCore

/// The report for a terminal, verdict first. The first screen (``TerminalSummary``)
/// carries the verdict and the counts of findings passed, failed and undecided; the
/// failing rules grouped by rule with their worst groups, each value with its labelled
/// interval and its distance to the limit; what lacked evidence; the drift and proxy
/// failures; and where the rest is. Then, with `verbose`, every finding with its reason;
/// then per decision and attribute the groups and fairness values (``TerminalTables``),
/// the explanations and the lead queue.
///
///     FAIL  leads-predeployment: 3 of 3 rules judged · 33 passed, 21 failed, 20 insufficient evidence
///     …
///     Failed: 3 rules, worst first (value, 95% CI, distance to the limit)
///       disparate_impact >= 0.8: fails for 14 groups (11 pass, 13 insufficient evidence); worst 3:
///         top_10pct / ethnicity*gender / black & female  0.256  95% CI 0.098–0.444  0.544 below 0.8
///
/// Every line fits ``TerminalWidth/lineWidth`` (100) display columns: tables cut long
/// names with `…`, other lines wrap onto indented continuation lines; abbreviations and
/// marks have a legend. Colour (ANSI) only when asked, which the CLI does on a TTY, and
/// only on verdict words that say the same without it.
///
/// Every line is built through ``TerminalLines``, so names, reasons and notes from the
/// data or the profile are shown with their control characters visible
/// (``TerminalEscaping``). It renders what the report holds and recomputes nothing.
public enum TerminalRendering {
    /// The report as terminal text; `verbose` adds every finding, drift check and proxy
    /// check with its reason after the first screen.
    public static func render(_ report: AuditReport, colour: Bool = false, verbose: Bool = false) -> String {
        var lines = TerminalLines(colour: colour)
        TerminalSummary.append(report, verbose: verbose, into: &lines)
        if verbose {
            TerminalFindings.appendAll(report, into: &lines)
            DriftRendering.terminalLines(report, into: &lines)
        }
        PrivacyRendering.terminalLines(report, into: &lines)
        ReidentificationRendering.terminalSection(report, into: &lines)
        var legend = TerminalLegend()
        TerminalTables.append(report, legend: &legend, into: &lines)
        ExplanationsRendering.terminalLines(report, verbose: verbose, into: &lines)
        IndividualFairnessRendering.terminalLines(report, verbose: verbose, into: &lines)
        MitigationRendering.terminalLines(report, into: &lines)
        QueueRendering.terminalLines(report, legend: &legend, into: &lines)
        return lines.text
    }
}
