import FairleadCore

/// Every lead-queue metric over two sensitive attributes (4 groups each) on `--rows`
/// in-memory rows (10M by default): one sort of the queue, then per attribute
/// ``RankingMetrics`` — the top-k at three cutoffs (top 1,000, 1%, 10%: shares, rates,
/// skew, NDKL, exposure), AUC and xAUC per group, KS and Wasserstein-1 against the rest
/// and the largest group, calibration (10 bins, ECE, Brier, calibration-in-the-large) and
/// a 101-point threshold sweep (`scripts/bench-vs-peers ranking --rows 10000000`).
/// `--breakdown 1` runs the four families one after the other and times each.
///
/// The rows are ``MetricsWorkload``'s (SplitMix64 of 4i + field), so the Python peer
/// (scripts/peers/ranking_sklearn.py) builds exactly the same data; both print the AUC,
/// Brier score and top-10% share of the first region as a check.
enum RankingWorkload: BenchWorkload {
    static let name = "ranking"

    static func run(arguments: [String]) throws -> BenchResult {
        let options = try benchOptions(arguments)
        let rows = Int(options["rows"] ?? "10000000") ?? 10_000_000
        let breakdown = options["breakdown"] == "1"
        let columns = MetricsWorkload.makeColumns(rows: rows)
        let configuration = RankingMetrics.Configuration(
            cutoffs: [.count(1000), .fraction(0.01), .fraction(0.1)], calibrationBins: 10,
            sweepGrid: .standard, reference: .largest)

        var times: [String: Double] = [:]
        var checks: [String: Double] = [:]
        func timed<T>(_ key: String, _ body: () throws -> T) rethrows -> T {
            var result: T?
            times[key, default: 0] += try measureSeconds { result = try body() }
            guard let result else { preconditionFailure("no result") }
            return result
        }
        let total = try measureSeconds {
            let ranking = try timed("sort_seconds") { try ScoreRanking(columns: columns) }
            for attribute in ["region", "age_band"] {
                let grouped = try timed("group_seconds") {
                    ranking.grouped(by: try Grouping(columns: columns, attributes: [attribute]))
                }
                let topK: [TopKMetrics]
                let separation: ScoreSeparation
                let calibration: GroupCalibration
                let sweep: ThresholdSweep
                if breakdown {
                    topK = try timed("top_k_seconds") { try TopKMetrics.compute(grouped, cutoffs: configuration.cutoffs) }
                    separation = try timed("separation_seconds") { try ScoreSeparation(grouped, reference: configuration.reference) }
                    calibration = try timed("calibration_seconds") { try GroupCalibration(grouped, binCount: configuration.calibrationBins) }
                    sweep = try timed("sweep_seconds") { try ThresholdSweep(grouped, grid: configuration.sweepGrid) }
                } else {
                    let metrics = try timed("metrics_seconds") { try RankingMetrics(grouped, configuration: configuration) }
                    (topK, separation, calibration, sweep) = (metrics.topK, metrics.separation, metrics.calibration, metrics.sweep)
                }
                if attribute == "region" {
                    checks["auc_r0"] = separation.auc[0].number ?? .nan
                    checks["brier_r0"] = calibration.byGroup[0].brierScore.number ?? .nan
                    checks["ece_r0"] = calibration.byGroup[0].expectedCalibrationError.number ?? .nan
                    checks["top10_share_r0"] = topK[2].byGroup[0].shareOfTopK.number ?? .nan
                    checks["ndkl_top10"] = topK[2].ndkl.number ?? .nan
                    checks["ks_r0"] = separation.ksVersusRest[0].number ?? .nan
                    checks["selection_rate_r0_t50"] = sweep.value(.selectionRate, group: 0, at: 50).number ?? .nan
                }
            }
        }
        var extra = checks.merging(times) { value, _ in value }
        extra["rows"] = Double(rows)
        return BenchResult(seconds: total, extra: extra)
    }
}
