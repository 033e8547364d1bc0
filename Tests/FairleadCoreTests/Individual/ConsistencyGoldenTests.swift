import Foundation
import Testing
@testable import FairleadCore

/// Consistency and nearest neighbours against AIF360's consistency() and scikit-learn's
/// kneighbors (fixtures/mitigation/consistency.json, made by
/// fixtures/mitigation/make_consistency_goldens.py) on standardized features: the value to
/// 1e-12 and the first rows' neighbours exactly, by both searches, for several bucket and
/// tile sizes and thread counts.
@Suite struct ConsistencyGoldenTests {
    struct GoldenFile: Decodable {
        struct Case: Decodable {
            var k: Int
            var consistency: Double
            var first_neighbours: [[Int]]
        }
        var features: [String]
        var decision: String
        var versions: [String: String]
        var cases: [Case]
    }

    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/mitigation")

    static func load() throws -> (golden: GoldenFile, features: Matrix, decisions: [Double]) {
        let golden = try JSONDecoder().decode(GoldenFile.self, from: Data(contentsOf: folder.appendingPathComponent("consistency.json")))
        let text = try String(contentsOf: folder.appendingPathComponent("consistency-sample.csv"), encoding: .utf8)
        var lines = text.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        let header = lines.removeFirst()
        let featureColumns = try golden.features.map { name in try #require(header.firstIndex(of: name)) }
        let decisionColumn = try #require(header.firstIndex(of: golden.decision))
        var values: [Double] = []
        var decisions: [Double] = []
        for line in lines {
            for column in featureColumns { values.append(try #require(Double(line[column]))) }
            decisions.append(try #require(Double(line[decisionColumn])))
        }
        return (golden, Matrix(rows: lines.count, columns: featureColumns.count, values: values), decisions)
    }

    /// `size` is the tile for the GEMM tiles and the bucket for the k-d tree.
    @Test(arguments: [NearestNeighbours.Method.kdTree, .gemmTiles],
          [(1, NearestNeighbours.defaultTile), (2, 7), (2, 64), (3, 400), (2, 512), (1, NearestNeighbours.defaultBucket), (2, 1)])
    func matchesAIF360(method: NearestNeighbours.Method, sizes: (Int, Int)) throws {
        let (golden, raw, decisions) = try Self.load()
        #expect(golden.versions["aif360"] == "0.6.1")
        let features = Consistency.standardized(raw)
        let (threads, size) = sizes
        for testCase in golden.cases {
            let neighbours = NearestNeighbours.search(features, k: testCase.k, threads: threads, method: method,
                                                      bucket: size, tile: size)
            for (row, expected) in testCase.first_neighbours.enumerated() {
                let actual = (0..<testCase.k).map { Int(neighbours[row * testCase.k + $0]) }
                #expect(actual == expected, "k = \(testCase.k), row \(row), \(method), size \(size)")
            }
            let value = Consistency.value(features: features, decisions: decisions, k: testCase.k, threads: threads,
                                          method: method, bucket: size, tile: size)
            #expect(abs(value - testCase.consistency) <= 1e-12, "k = \(testCase.k), \(method): \(value) vs AIF360 \(testCase.consistency)")
        }
    }

    /// Decisions that are all alike are perfectly consistent.
    @Test func identicalDecisionsAreConsistent() throws {
        let (_, raw, decisions) = try Self.load()
        let value = Consistency.value(features: Consistency.standardized(raw), decisions: decisions.map { _ in 1 }, k: 5, threads: 2)
        #expect(value == 1)
    }
}
