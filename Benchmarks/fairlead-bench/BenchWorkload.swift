import Foundation

/// One timed workload of `fairlead-bench`. Add a type per workload under `Workloads/`,
/// list its `run` in `main.swift` and its Python peer in `scripts/bench-vs-peers`.
protocol BenchWorkload {
    /// The name given on the command line, e.g. `csv`.
    static var name: String { get }
    /// Runs the workload with the remaining arguments and returns what was measured.
    static func run(arguments: [String]) throws -> BenchResult
}

/// What a workload measured: wall-clock seconds of the timed part and extra facts
/// (rows, threads, …) printed as JSON fields.
struct BenchResult {
    var seconds: Double
    var extra: [String: Double] = [:]

    func json(workload: String) -> String {
        var fields = [
            "\"workload\":\"\(workload)\"",
            "\"seconds\":\(seconds)",
            "\"peak_rss_bytes\":\(peakResidentBytes())",
        ]
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) {
            fields.append("\"\(key)\":\(value)")
        }
        return "{" + fields.joined(separator: ",") + "}"
    }
}

/// Wall-clock seconds taken by `body`, on a monotonic clock.
func measureSeconds(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let elapsed = try clock.measure(body)
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}

/// The process's peak resident set size in bytes (Linux reports ru_maxrss in KiB).
func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(0 /* RUSAGE_SELF */, &usage)
    return usage.ru_maxrss * 1024
}

/// Parses `--key value` pairs after the workload name.
func benchOptions(_ arguments: [String]) throws -> [String: String] {
    var options: [String: String] = [:]
    var index = 0
    while index < arguments.count {
        let key = arguments[index]
        guard key.hasPrefix("--"), index + 1 < arguments.count else {
            throw BenchUsageError(message: "expected --key value pairs, found \(key)")
        }
        options[String(key.dropFirst(2))] = arguments[index + 1]
        index += 2
    }
    return options
}

struct BenchUsageError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
