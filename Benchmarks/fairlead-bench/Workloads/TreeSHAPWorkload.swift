import FairleadCore
import Foundation

/// Path-dependent TreeSHAP of an XGBoost model over a feature matrix
/// (`scripts/bench-vs-peers treeshap`): `--model M.json --data X.f64 [--rows N] [--threads T]`.
enum TreeSHAPWorkload: BenchWorkload {
    static let name = "treeshap"

    static func run(arguments: [String]) throws -> BenchResult {
        let options = try benchOptions(arguments)
        guard let modelPath = options["model"], let dataPath = options["data"] else {
            throw BenchUsageError(message: "treeshap needs --model M.json --data X.f64")
        }
        let threads = Int(options["threads"] ?? "1") ?? 1
        BLAS.setThreadCount(1)
        let model = try XGBoostModelLoader.load(contentsOf: modelPath)
        var x = try readMatrix(dataPath)
        if let limit = options["rows"].flatMap(Int.init), limit > 0, limit < x.rows {
            x = Matrix(rows: limit, columns: x.columns, values: Array(x.values.prefix(limit * x.columns)))
        }
        // The timed part includes building the leaf tables, a one-time cost per model.
        var attributions: Attributions?
        var buildSeconds = 0.0
        let cpuStart = processCPUSeconds()
        let seconds = try measureSeconds {
            var explainer: TreeSHAP?
            buildSeconds = try measureSeconds { explainer = try TreeSHAP(model: model) }
            attributions = explainer?.explain(x, threads: threads)
        }
        let cpuSeconds = processCPUSeconds() - cpuStart
        let additivity = zip(attributions?.margins() ?? [], model.exactMargins(x)).map { abs($0 - $1) }.max() ?? 0
        return BenchResult(seconds: seconds, extra: [
            "rows": Double(x.rows), "threads": Double(threads), "trees": Double(model.trees.count),
            "rows_per_second": Double(x.rows) / seconds, "max_additivity_error": additivity,
            "table_build_seconds": buildSeconds, "cpu_seconds": cpuSeconds,
        ])
    }
}

/// CPU seconds (user + system) this process has used: with one thread on a shared machine
/// this is the time the work took, whatever else was running.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(0 /* RUSAGE_SELF */, &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
    let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
    return user + system
}

/// A matrix written by scripts/peers/treeshap.py: int64 rows, int64 columns, float64 values (little-endian).
func readMatrix(_ path: String) throws -> Matrix {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    guard data.count >= 16 else { throw BenchUsageError(message: "\(path): too short for a matrix header") }
    let header = data.prefix(16).withUnsafeBytes { Array($0.bindMemory(to: Int64.self)) }
    let (rows, columns) = (Int(Int64(littleEndian: header[0])), Int(Int64(littleEndian: header[1])))
    guard data.count == 16 + rows * columns * 8 else {
        throw BenchUsageError(message: "\(path): expected \(rows) × \(columns) values")
    }
    let values = data.dropFirst(16).withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
    return Matrix(rows: rows, columns: columns, values: values)
}
