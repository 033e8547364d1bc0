import FairleadCore
import Foundation

/// Individual fairness: ``Consistency`` (k = 5) over ``NearestNeighbours``, on the rows
/// scripts/peers/consistency_aif360.py prepares (`--data X.f64`: n × (p + 1) float64, p
/// features then a 0/1 decision; `--features p`, 8 unless given; `--method`
/// automatic|kd-tree|gemm-tiles, `--bucket`, `--tile`, `--leaf`, `--gemm-share` as
/// ``NearestNeighbours/search(_:k:threads:method:bucket:tile:leaf:gemmShare:)``). Timed: standardizing the features and the
/// consistency, as the peer times StandardScaler and AIF360's consistency()
/// (`scripts/bench-vs-peers consistency --rows 20000 --threads 2`).
enum ConsistencyWorkload: BenchWorkload {
    static let name = "consistency"

    static func run(arguments: [String]) throws -> BenchResult {
        let options = try benchOptions(arguments)
        guard let path = options["data"] else { throw BenchUsageError(message: "consistency needs --data X.f64") }
        let threads = Int(options["threads"] ?? "1") ?? 1
        let featureCount = Int(options["features"] ?? "8") ?? 8
        guard featureCount >= 1 else { throw BenchUsageError(message: "--features must be at least 1") }
        guard let method = NearestNeighbours.Method(rawValue: options["method"] ?? "automatic") else {
            throw BenchUsageError(message: "--method must be automatic, kd-tree or gemm-tiles")
        }
        let bucket = Int(options["bucket"] ?? "") ?? NearestNeighbours.defaultBucket
        let tile = Int(options["tile"] ?? "") ?? NearestNeighbours.defaultTile
        let leaf = Int(options["leaf"] ?? "") ?? NearestNeighbours.defaultLeaf
        let gemmShare = Double(options["gemm-share"] ?? "") ?? NearestNeighbours.defaultGEMMShare
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let values = data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
        let columns = featureCount + 1
        let rows = values.count / columns
        var features: [Double] = []
        features.reserveCapacity(rows * featureCount)
        var decisions: [Double] = []
        for row in 0..<rows {
            features += values[(row * columns)..<(row * columns + featureCount)]
            decisions.append(values[row * columns + featureCount])
        }
        let matrix = Matrix(rows: rows, columns: featureCount, values: features)
        let chosen = method == .automatic ? NearestNeighbours.method(forFeatureCount: featureCount) : method
        var value = 0.0
        let seconds = measureSeconds {
            value = Consistency.value(features: Consistency.standardized(matrix), decisions: decisions, k: 5,
                                      threads: threads, method: method, bucket: bucket, tile: tile, leaf: leaf,
                                      gemmShare: gemmShare)
        }
        return BenchResult(seconds: seconds, extra: ["rows": Double(rows), "threads": Double(threads), "features": Double(featureCount),
                                                     "kd_tree": chosen == .kdTree ? 1 : 0,
                                                     "bucket": Double(bucket), "tile": Double(tile),
                                                     "leaf": Double(leaf), "gemm_share": gemmShare,
                                                     "consistency": value])
    }
}
