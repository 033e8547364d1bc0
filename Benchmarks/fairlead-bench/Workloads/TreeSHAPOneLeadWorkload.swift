import FairleadCore
import Foundation

/// Latency of explaining one lead at a time with path-dependent TreeSHAP, top reasons
/// included (`scripts/bench-vs-peers treeshap-one-lead`):
/// `--model M.json --data X.f64 [--leads N] [--top K]`. Reports p50/p99 milliseconds.
enum TreeSHAPOneLeadWorkload: BenchWorkload {
    static let name = "treeshap-one-lead"

    static func run(arguments: [String]) throws -> BenchResult {
        let options = try benchOptions(arguments)
        guard let modelPath = options["model"], let dataPath = options["data"] else {
            throw BenchUsageError(message: "treeshap-one-lead needs --model M.json --data X.f64")
        }
        let leads = Int(options["leads"] ?? "1000") ?? 1000
        let top = Int(options["top"] ?? "5") ?? 5
        BLAS.setThreadCount(1)
        let model = try XGBoostModelLoader.load(contentsOf: modelPath)
        let x = try readMatrix(dataPath)
        let explainer = try TreeSHAP(model: model)
        let width = x.columns
        var latencies: [Double] = []
        latencies.reserveCapacity(leads)
        var checksum = 0.0
        let total = measureSeconds {
            for lead in 0..<leads {
                let row = lead % x.rows
                let seconds = measureSeconds {
                    let one = Matrix(rows: 1, columns: width, values: Array(x.row(row)))
                    let values = explainer.explain(one).values.values
                    let reasons = values.indices.sorted { abs(values[$0]) > abs(values[$1]) }.prefix(top)
                    checksum += reasons.reduce(0) { $0 + values[$1] }
                }
                latencies.append(seconds)
            }
        }
        latencies.sort()
        func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(p * Double(latencies.count)))] }
        return BenchResult(seconds: total, extra: [
            "leads": Double(leads), "p50_ms": percentile(0.5) * 1000, "p99_ms": percentile(0.99) * 1000,
            "max_ms": (latencies.last ?? 0) * 1000, "checksum": checksum,
        ])
    }
}
