import FairleadCore
import Foundation

/// `fairlead explain` on a whole file, streamed (`scripts/bench-vs-peers explain`):
/// `--model M.json --data leads.csv [--threads 2] [--top 3] [--batch 16384] [--out reasons.csv]`.
///
/// Timed: what `fairlead explain --model M --data F --sensitive age_band --proxies postal_area
/// --format csv` does — typical values from the first 100,000 leads, then batch by batch
/// reading the CSV, cached TreeSHAP, grouping one-hot columns, choosing the top reasons
/// each way (postal_area and age_band withheld), writing their sentences as CSV to a file.
enum ExplainWorkload: BenchWorkload {
    static let name = "explain"

    static func run(arguments: [String]) throws -> BenchResult {
        let options = try benchOptions(arguments)
        guard let modelPath = options["model"], let dataPath = options["data"] else {
            throw BenchUsageError(message: "explain needs --model M.json --data leads.csv")
        }
        let threads = Int(options["threads"] ?? "2") ?? 2
        let top = Int(options["top"] ?? "3") ?? 3
        let batchSize = Int(options["batch"] ?? "16384") ?? 16_384
        let out = options["out"] ?? (NSTemporaryDirectory() + "fairlead-bench-explain.csv")
        BLAS.setThreadCount(1)
        let model = try XGBoostModelLoader.load(contentsOf: modelPath)
        var summary = ExplanationStream.Summary(leads: 0, leadsWithWithheldReasons: 0)
        var bytes = 0
        let cpuStart = processCPUSeconds()
        let seconds = try measureSeconds {
            let reference = try LeadReader(path: dataPath, featureNames: model.featureNames, idColumn: nil)
            var typical = TypicalValues.Accumulator(sources: reference.sources)
            if let batch = try reference.next(maxRows: 100_000) { typical.add(batch) }
            let reader = try LeadReader(path: dataPath, featureNames: model.featureNames, idColumn: "lead_id")
            let codes = ReasonCodes(sources: reader.sources, typical: typical.result(), top: top,
                                    withheld: ["postal_area": .declaredProxy, "age_band": .sensitive], link: model.link)
            let writer = ExplanationWriter(format: .csv, top: top, baseValue: model.expectedMargin, link: model.link)
            let stream = ExplanationStream(explainer: try CachedTreeSHAP(model: model), reasons: codes, writer: writer,
                                           threads: threads, batchSize: batchSize)
            guard FileManager.default.createFile(atPath: out, contents: nil),
                  let handle = FileHandle(forWritingAtPath: out) else {
                throw BenchUsageError(message: "cannot write \(out)")
            }
            defer { try? handle.close() }
            summary = try stream.run(reader) { text in
                bytes += text.count
                try handle.write(contentsOf: text)
            }
        }
        let cpuSeconds = processCPUSeconds() - cpuStart
        return BenchResult(seconds: seconds, extra: [
            "leads": Double(summary.leads), "threads": Double(threads), "trees": Double(model.trees.count),
            "depth": Double(model.maximumDepth), "rows_per_second": Double(summary.leads) / seconds,
            "cpu_seconds": cpuSeconds, "output_bytes": Double(bytes),
            "leads_with_withheld_reasons": Double(summary.leadsWithWithheldReasons),
        ])
    }
}
