import FairleadCore
import Testing
@testable import Fairlead

/// How every rendering shows a lead-queue value from a score grid: with the bound the rows'
/// value lies in, or marked as unbounded — never like an exact value.
@Suite struct GridEstimateRenderingTests {
    static func estimate(_ value: Double?, bound: [Double]? = nil, reason: String? = nil) -> AuditReport.Estimate {
        var estimate = AuditReport.Estimate(value: value, undefinedReason: reason)
        estimate.gridBound = bound
        return estimate
    }

    @Test(arguments: [
        (estimate(0.41234), "0.412"),
        (estimate(0.41234, bound: [0.41231, 0.41238]), "0.412"),
        (estimate(0.412, bound: [0.401, 0.423]), "0.412 (grid: 0.401–0.423)"),
        (estimate(-0.134, bound: [-0.886, 0.619]), "-0.134 (grid: -0.886 to 0.619)"),
        (estimate(-1.2264, reason: GridQueue.unboundedOnGrid), "≈ -1.226 (no bound on the grid)"),
        (estimate(nil, reason: "needs_rows"), "undefined"),
    ] as [(AuditReport.Estimate, String)])
    func estimatesShowTheirGridBound(estimate: AuditReport.Estimate, shown: String) {
        #expect(ReportFormatting.estimate(estimate) == shown)
    }

    /// A finite bound is cut to the metric's range; an infinite end stays (the rows may give
    /// no value: a precision whose group may have no lead selected, a skew whose share may
    /// be 0), so the value stays unbounded on the grid and a rule on it undecided.
    @Test func aFiniteBoundIsCutToTheMetricsRangeAndAnInfiniteOneStays() {
        let wide = GridQueue.Bounded(value: .value(0.8), low: -0.1, high: 1.5).clamped(to: .precisionAtK)
        #expect(wide.estimate == Self.estimate(0.8, bound: [0, 1]))
        let precision = GridQueue.Bounded(value: .value(0.8), low: -.infinity, high: 1.5).clamped(to: .precisionAtK)
        #expect(precision.estimate == Self.estimate(0.8, reason: GridQueue.unboundedOnGrid))
        let skew = GridQueue.Bounded(value: .value(-1.2), low: -.infinity, high: 0.3).clamped(to: .skewAtK)
        #expect(skew.estimate == Self.estimate(-1.2, reason: GridQueue.unboundedOnGrid))
    }

    /// The queue tables of the terminal and Markdown renderings carry the marks (the HTML
    /// page formats its cells with the same ``ReportFormatting/estimate(_:)``).
    @Test func everyRenderingMarksGridValues() throws {
        let queue = AuditReport.QueueReport(
            referenceGroup: nil,
            groups: ["a": ["auc": Self.estimate(0.7, bound: [0.65, 0.75]), "brier_score": Self.estimate(0.2, bound: [0.2, 0.2])],
                     "b": ["auc": Self.estimate(0.6, bound: [0.55, 0.66]), "brier_score": Self.estimate(0.25, bound: [0.25, 0.25])]],
            calibrationBins: [:],
            topK: ["top_10pct": .init(k: 10, metrics: [:], groups: [
                "a": ["share_of_top_k": Self.estimate(0.5, bound: [0.4, 0.6]), "skew_at_k": Self.estimate(0.1, bound: [-0.2, 0.3])],
                "b": ["share_of_top_k": Self.estimate(0.5, bound: [0.4, 0.6]), "skew_at_k": Self.estimate(-1.2264, reason: GridQueue.unboundedOnGrid)],
            ])],
            fairness: [:], thresholdRanges: [:])
        let markdown = QueueRendering.table(queue, cutoff: "top_10pct").table.renderMarkdown()
        #expect(markdown == [
            "| group | AUC | Brier | share top\\_10pct | skew |",
            "|---|---:|---:|---:|---:|",
            "| a | 0.700 (grid: 0.650–0.750) | 0.200 | 0.500 (grid: 0.400–0.600) | 0.100 (grid: -0.200 to 0.300) |",
            "| b | 0.600 (grid: 0.550–0.660) | 0.250 | 0.500 (grid: 0.400–0.600) | ≈ -1.226 (no bound on the grid) |",
        ])
        let terminal = QueueRendering.table(queue, cutoff: "top_10pct", terminal: true).table.rows
        #expect(terminal.map(\.last) == ["0.100 (grid: -0.200 to 0.300)", "≈ -1.226 (no bound on the grid)"])
    }
}
