import FairleadCore
import Foundation

/// Individual fairness: ``Consistency`` (k = 5) over ``NearestNeighbours``' blocked GEMM
/// tiles, on the rows scripts/peers/consistency_aif360.py prepares (`--data X.f64`: n × 9
/// float64, 8 features then a 0/1 decision; `--tile`, `--leaf`, `--gemm-share` as
/// ``NearestNeighbours/search(_:k:threads:tile:leaf:gemmShare:)``). Timed: standardizing the features and the
/// consistency, as the peer times StandardScaler and AIF360's consistency()
/// (`scripts/bench-vs-peers consistency --rows 20000 --threads 2`).
enum ConsistencyWorkload: BenchWorkload {
    static let name = "consistency"

    static func run(arguments: [String]) throws -> BenchResult {
        let options = try benchOptions(arguments)
        guard let path = options["data"] else { throw BenchUsageError(message: "consistency needs --data X.f64") }
        let threads = Int(options["threads"] ?? "1") ?? 1
        let tile = Int(options["tile"] ?? "") ?? NearestNeighbours.defaultTile
        let leaf = Int(options["leaf"] ?? "") ?? NearestNeighbours.defaultLeaf
        let gemmShare = Double(options["gemm-share"] ?? "") ?? NearestNeighbours.defaultGEMMShare
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let values = data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
        let columns = 9
        let rows = values.count / columns
        var features: [Double] = []
        features.reserveCapacity(rows * 8)
        var decisions: [Double] = []
        for row in 0..<rows {
            features += values[(row * columns)..<(row * columns + 8)]
            decisions.append(values[row * columns + 8])
        }
        let matrix = Matrix(rows: rows, columns: 8, values: features)
        var value = 0.0
        let seconds = measureSeconds {
            value = Consistency.value(features: Consistency.standardized(matrix), decisions: decisions, k: 5,
                                      threads: threads, tile: tile, leaf: leaf, gemmShare: gemmShare)
        }
        return BenchResult(seconds: seconds, extra: ["rows": Double(rows), "threads": Double(threads), "tile": Double(tile),
                                                     "leaf": Double(leaf), "gemm_share": gemmShare,
                                                     "consistency": value])
    }
}
