import FairleadCore

/// Reads a CSV file with ``CSVReader`` (`scripts/bench-vs-peers csv`; peer: pandas.read_csv).
///
///     fairlead-bench csv --file bench-data/leads-1000000.csv [--columns all|a,b] [--threads 1]
///
/// Reports the rows, columns and threads, the CPU seconds of the read (all threads), the in-memory bytes of the columns read
/// (`column_bytes`, see `Column.memoryFootprint`) and peak RSS over it.
enum CSVWorkload: BenchWorkload {
    static let name = "csv"

    static func run(arguments: [String]) throws -> BenchResult {
        let options = try benchOptions(arguments)
        guard let file = options["file"] else { throw BenchUsageError(message: "csv needs --file PATH") }
        let columnList = options["columns"] ?? "all"
        let requests: [ColumnRequest]? = columnList == "all"
            ? nil : columnList.split(separator: ",").map { ColumnRequest(String($0)) }
        var readOptions = CSVOptions()
        readOptions.threads = Int(options["threads"] ?? "1") ?? 1
        if let blockSize = options["block-size"].flatMap({ Int($0) }) { readOptions.blockSize = blockSize }
        let rssBefore = peakResidentBytes()
        var table: Table?
        let cpuBefore = processCPUSeconds()
        let seconds = try measureSeconds {
            table = try CSVReader.read(path: file, columns: requests, options: readOptions)
        }
        let cpuSeconds = processCPUSeconds() - cpuBefore
        guard let table else { throw BenchUsageError(message: "no table") }
        let columnBytes = table.columns.reduce(0) { $0 + $1.memoryFootprint }
        let peak = peakResidentBytes()
        return BenchResult(seconds: seconds, extra: [
            "rows": Double(table.rowCount),
            "columns": Double(table.columns.count),
            "threads": Double(readOptions.threads),
            "cpu_seconds": cpuSeconds,
            "column_bytes": Double(columnBytes),
            "rss_before_bytes": Double(rssBefore),
            "peak_rss_over_column_bytes": Double(peak) / Double(max(columnBytes, 1)),
        ])
    }
}
