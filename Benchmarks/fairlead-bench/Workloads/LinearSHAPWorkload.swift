import FairleadCore
import Foundation

/// Interventional LinearSHAP of a random 50-feature logistic model on a random matrix
/// (`scripts/bench-vs-peers linearshap`): `[--rows 1000000] [--features 50] [--threads 1]`.
/// Reports the memory traffic rate: 8 bytes read and 8 written per attribution.
enum LinearSHAPWorkload: BenchWorkload {
    static let name = "linearshap"

    static func run(arguments: [String]) throws -> BenchResult {
        let options = try benchOptions(arguments)
        let rows = Int(options["rows"] ?? "1000000") ?? 1_000_000
        let features = Int(options["features"] ?? "50") ?? 50
        let threads = Int(options["threads"] ?? "1") ?? 1
        BLAS.setThreadCount(threads)
        var generator = SeededGenerator(seed: 2026)
        let x = Matrix(rows: rows, columns: features,
                       values: (0..<(rows * features)).map { _ in Double.random(in: -1...1, using: &generator) })
        let model = LinearModel(featureNames: (0..<features).map { "f\($0)" },
                                coefficients: (0..<features).map { _ in Double.random(in: -1...1, using: &generator) },
                                intercept: -1, link: .logit)
        let background = Matrix(rows: 1000, columns: features, values: Array(x.values.prefix(1000 * features)))
        let explainer = try LinearSHAP(model: model, background: background)
        var attributions: Attributions?
        let cpuStart = processCPUSeconds()
        let seconds = measureSeconds { attributions = explainer.explain(x, threads: threads) }
        let cpuSeconds = processCPUSeconds() - cpuStart
        // The same pass into an output that is already mapped: the memory-bandwidth view,
        // without the first-touch page faults of a fresh 400 MB result.
        let checksum = attributions?.values.values.prefix(1000).reduce(0, +) ?? 0
        attributions = nil
        var reused = Matrix(rows: rows, columns: features)
        let reusedSeconds = measureSeconds { explainer.explain(x, into: &reused, threads: threads) }
        let bytes = Double(rows * features * 16)
        return BenchResult(seconds: seconds, extra: [
            "rows": Double(rows), "features": Double(features), "threads": Double(threads),
            "gigabytes_per_second": bytes / seconds / 1e9, "cpu_seconds": cpuSeconds,
            "reused_output_seconds": reusedSeconds,
            "reused_output_gigabytes_per_second": bytes / reusedSeconds / 1e9,
            "checksum": checksum,
            "reused_checksum": reused.values.prefix(1000).reduce(0, +),
        ])
    }
}
