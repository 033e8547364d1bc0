import FairleadCore
import Foundation

enum ExplainWorkload: BenchWorkload {
    static let name = "explain"

    static func run(arguments: [String]) throws -> BenchResult {
        let options = try benchOptions(arguments)
        let model = try XGBoostModelLoader.load(contentsOf: options["model"] ?? "")
        let x = try readMatrix(options["data"] ?? "")
        let threads = Int(options["threads"] ?? "1") ?? 1
        let shap = try CachedTreeSHAP(model: model)
        var attributions: Attributions?
        let cpuStart = processCPUSeconds()
        let seconds = measureSeconds { attributions = shap.explain(x, threads: threads) }
        let cpu = processCPUSeconds() - cpuStart
        let reference = try TreeSHAP(model: model).explain(x, threads: threads)
        let difference = zip(attributions?.values.values ?? [], reference.values.values).map { abs($0 - $1) }.max() ?? 0
        return BenchResult(seconds: seconds, extra: ["rows_per_second": Double(x.rows) / seconds, "cpu_seconds": cpu, "max_difference": difference])
    }
}
