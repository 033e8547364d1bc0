import FairleadCore

/// Reads typed columns of a CSV file with ``CSVReader/batches(path:columns:options:)``,
/// then the same columns with ``CSVReader/read(path:columns:options:)`` on one thread,
/// in the same run.
///
///     fairlead-bench csv-batches --file bench-data/leads-1000000.csv [--columns a:numeric,b:categorical]
///                                [--batch 16384] [--block-size 1048576]
///
/// `seconds` times the batches; `read_seconds` the table read. Without `--columns`, the
/// columns `fairlead explain` reads of the leads file (its id, features and sensitive
/// columns). `rss_after_batches_bytes` is the peak RSS before the table read starts.
enum CSVBatchesWorkload: BenchWorkload {
    static let name = "csv-batches"

    static let explainColumns = "lead_id:categorical,lead_source:categorical,industry:categorical,"
        + "company_size:categorical,region:categorical,postal_area:categorical,web_visits:numeric,"
        + "email_opens:numeric,pricing_page_views:numeric,days_since_first_touch:numeric,"
        + "job_level:categorical,gender:categorical,age_band:categorical"

    static func run(arguments: [String]) throws -> BenchResult {
        let options = try benchOptions(arguments)
        guard let file = options["file"] else { throw BenchUsageError(message: "csv-batches needs --file PATH") }
        let requests = try (options["columns"] ?? explainColumns).split(separator: ",").map { spec in
            let parts = spec.split(separator: ":").map(String.init)
            guard parts.count == 2, let type = ColumnType(rawValue: parts[1]) else {
                throw BenchUsageError(message: "a column is name:numeric, name:categorical or name:boolean, found \(spec)")
            }
            return ColumnRequest(parts[0], type: type)
        }
        let batchSize = Int(options["batch"] ?? "16384") ?? 16_384
        var readOptions = CSVOptions()
        if let blockSize = options["block-size"].flatMap({ Int($0) }) { readOptions.blockSize = blockSize }

        var rows = 0
        var batchCount = 0
        let seconds = try measureSeconds {
            let batches = try CSVReader.batches(path: file, columns: requests, options: readOptions)
            while let batch = try batches.next(maxRows: batchSize) {
                rows += batch.rowCount
                batchCount += 1
            }
        }
        let rssAfterBatches = peakResidentBytes()
        var tableRows = 0
        let readSeconds = try measureSeconds {
            tableRows = try CSVReader.read(path: file, columns: requests, options: readOptions).rowCount
        }
        guard tableRows == rows else {
            throw BenchUsageError(message: "batches gave \(rows) rows, the table \(tableRows)")
        }
        return BenchResult(seconds: seconds, extra: [
            "rows": Double(rows),
            "columns": Double(requests.count),
            "batches": Double(batchCount),
            "batch_rows": Double(batchSize),
            "read_seconds": readSeconds,
            "rss_after_batches_bytes": Double(rssAfterBatches),
        ])
    }
}
