import FairleadCore

/// All group metrics of one threshold rule over the intersection of two sensitive
/// attributes (4 × 4 = 16 groups) on `--rows` in-memory rows (10M by default), plus
/// 1,000 bootstrap replicates (`scripts/bench-vs-peers metrics --rows 10000000`).
///
/// The rows are a pure function of the row index (SplitMix64 of 4i + field), so the
/// Python peer (scripts/peers/metrics_fairlearn.py) builds exactly the same data; both
/// print the overall selection rate and the selection-rate difference as a check.
enum MetricsWorkload: BenchWorkload {
    static let name = "metrics"

    static func run(arguments: [String]) throws -> BenchResult {
        let options = try benchOptions(arguments)
        let rows = Int(options["rows"] ?? "10000000") ?? 10_000_000
        let replicates = Int(options["replicates"] ?? "1000") ?? 1000
        let columns = makeColumns(rows: rows)

        var passSeconds = 0.0
        var metricsSeconds = 0.0
        var bootstrapSeconds = 0.0
        var checks: [String: Double] = [:]
        let total = try measureSeconds {
            var frame: MetricFrame?
            passSeconds = try measureSeconds {
                let grouping = try Grouping(columns: columns, attributes: ["region", "age_band"])
                let stats = try GroupStats.accumulate(columns, rule: .threshold(0.5), grouping: grouping)
                frame = MetricFrame(stats: stats, grouping: grouping)
            }
            guard let frame else { return }
            metricsSeconds = try measureSeconds {
                var defined = 0
                for metric in GroupMetric.allCases {
                    for method in DisparityMethod.allCases {
                        if frame.difference(metric, method: method).isDefined { defined += 1 }
                        if frame.ratio(metric, method: method).isDefined { defined += 1 }
                    }
                    for reference in [ReferenceGroup.largest, .bestValued] {
                        defined += try frame.differences(metric, from: reference).filter(\.isDefined).count
                        defined += try frame.ratios(metric, to: reference).filter(\.isDefined).count
                    }
                    for group in frame.groups.indices where frame.wilsonInterval(metric, group: group) != nil {
                        defined += 1
                    }
                }
                checks["defined_values"] = Double(defined)
            }
            bootstrapSeconds = try measureSeconds {
                let intervals = try frame.bootstrap(BootstrapConfiguration(replicates: replicates))
                checks["bootstrap_dp_upper"] = intervals.interval(.selectionRate, .difference(.betweenGroups))?.upper ?? .nan
            }
            checks["selection_rate"] = frame.overall(.selectionRate).number ?? .nan
            checks["dp_difference"] = frame.demographicParityDifference().number ?? .nan
            checks["groups"] = Double(frame.groups.count)
        }
        var extra = checks
        extra["rows"] = Double(rows)
        extra["replicates"] = Double(replicates)
        extra["pass_seconds"] = passSeconds
        extra["metrics_seconds"] = metricsSeconds
        extra["bootstrap_seconds"] = bootstrapSeconds
        return BenchResult(seconds: total, extra: extra)
    }

    /// SplitMix64's output function of `x`.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Row i: score = U(4i), region = mix(4i+1) mod 4, age band = mix(4i+2) mod 4,
    /// label = 1 when U(4i+3) < score (so the score is calibrated).
    static func makeColumns(rows: Int) -> AuditColumns {
        var scores = [Double](repeating: 0, count: rows)
        var labels = [Double](repeating: 0, count: rows)
        var regions = [Int32](repeating: 0, count: rows)
        var ages = [Int32](repeating: 0, count: rows)
        for row in 0..<rows {
            let base = UInt64(row) &* 4
            let score = Double(mix(base) >> 11) * 0x1.0p-53
            scores[row] = score
            regions[row] = Int32(mix(base + 1) % 4)
            ages[row] = Int32(mix(base + 2) % 4)
            labels[row] = Double(mix(base + 3) >> 11) * 0x1.0p-53 < score ? 1 : 0
        }
        return AuditColumns(scores: scores, labels: labels, attributes: [
            SensitiveAttribute(name: "region", codes: regions, levels: ["r0", "r1", "r2", "r3"]),
            SensitiveAttribute(name: "age_band", codes: ages, levels: ["a0", "a1", "a2", "a3"]),
        ])
    }
}
