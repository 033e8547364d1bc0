/// Sums `--n` doubles: a self-check of the harness (`scripts/bench-vs-peers echo`).
enum EchoWorkload: BenchWorkload {
    static let name = "echo"

    static func run(arguments: [String]) throws -> BenchResult {
        let options = try benchOptions(arguments)
        let count = Int(options["n"] ?? "10000000") ?? 10_000_000
        let values = (0..<count).map(Double.init)
        var total = 0.0
        let seconds = measureSeconds { total = values.reduce(0, +) }
        return BenchResult(seconds: seconds, extra: ["n": Double(count), "sum": total])
    }
}
