import FairleadCore
import Foundation

/// KernelSHAP of a model (XGBoost or linear JSON) (`scripts/bench-vs-peers kernelshap`):
/// `--model M.json --data X.f64 [--rows 20] [--background-rows 50] [--samples 512] [--threads 1]`.
/// Rows 0..<rows are explained against rows 1000..<1000+background-rows of the same matrix;
/// missing values are replaced by 0 for a linear model (which would propagate them).
enum KernelSHAPWorkload: BenchWorkload {
    static let name = "kernelshap"

    static func run(arguments: [String]) throws -> BenchResult {
        let options = try benchOptions(arguments)
        guard let modelPath = options["model"], let dataPath = options["data"] else {
            throw BenchUsageError(message: "kernelshap needs --model M.json --data X.f64")
        }
        let rows = Int(options["rows"] ?? "20") ?? 20
        let backgroundRows = Int(options["background-rows"] ?? "50") ?? 50
        let samples = Int(options["samples"] ?? "512") ?? 512
        let threads = Int(options["threads"] ?? "1") ?? 1
        BLAS.setThreadCount(1)
        let model = try ModelLoader.load(contentsOf: modelPath)
        var data = try readMatrix(dataPath)
        if model is LinearModel {
            data = Matrix(rows: data.rows, columns: data.columns, values: data.values.map { $0.isNaN ? 0 : $0 })
        }
        let width = data.columns
        let x = Matrix(rows: rows, columns: width, values: Array(data.values.prefix(rows * width)))
        let background = Matrix(rows: backgroundRows, columns: width,
                                values: Array(data.values[(1000 * width)..<((1000 + backgroundRows) * width)]))
        var attributions: Attributions?
        let cpuStart = processCPUSeconds()
        let seconds = try measureSeconds {
            let explainer = try KernelSHAP(model: model, background: background, sampleCount: samples, seed: 1)
            attributions = try explainer.explain(x, threads: threads)
        }
        let cpuSeconds = processCPUSeconds() - cpuStart
        let meanError = (attributions?.standardErrors?.values.reduce(0, +) ?? 0) / Double(rows * width)
        return BenchResult(seconds: seconds, extra: [
            "rows": Double(rows), "background_rows": Double(backgroundRows), "samples": Double(samples),
            "threads": Double(threads), "mean_standard_error": meanError, "cpu_seconds": cpuSeconds,
        ])
    }
}
