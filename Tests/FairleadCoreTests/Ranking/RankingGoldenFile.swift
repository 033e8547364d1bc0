import Foundation
@testable import FairleadCore

/// A golden file written by fixtures/ranking/make_goldens.py: the values scikit-learn,
/// scipy and numpy give on the inputs of a fixtures/metrics golden file.
struct RankingGoldenFile: Decodable {
    struct Calibration: Decodable {
        var prob_true: [Double]
        var prob_pred: [Double]
        var counts: [Int]
        var ece: Double
    }

    struct CalibrationSet: Decodable {
        var groups: [Calibration?]
        var overall: Calibration?
    }

    struct Cutoff: Decodable {
        var count: Int?
        var fraction: Double?

        var rankingCutoff: RankingCutoff {
            if let count { return .count(count) }
            return .fraction(fraction ?? 0)
        }
    }

    struct TopKGroups: Decodable {
        var count_in_top_k: [Int]
        var share_of_top_k: [Double?]
        var share_of_population: [Double?]
        var selection_rate: [Double?]
        var precision: [Double?]
        var recall: [Double?]
        var skew: [Double?]
        var exposure: [Double?]
        var exposure_share: [Double?]
        var merit: [Double?]
        var exposure_ratio: [Double?]
    }

    struct TopK: Decodable {
        var cutoff: Cutoff
        var k: Int
        var groups: TopKGroups
        var precision: Double?
        var recall: Double?
        var ndkl: Double?
    }

    struct Case: Decodable {
        var attributes: [String]
        var weighted: Bool
        var groups: [[String]]
        var counts: [Int]
        var reference: [String]
        var overall_auc: Double?
        var auc: [Double?]
        var xauc: [[Double?]]
        var xauc_versus_rest: [Double?]
        var xauc_rest_versus: [Double?]
        var ks_versus_rest: [Double?]
        var wasserstein_versus_rest: [Double?]
        var ks_versus_reference: [Double?]
        var wasserstein_versus_reference: [Double?]
        var brier: [Double?]
        var overall_brier: Double?
        var calibration_in_the_large: [Double?]
        var overall_calibration_in_the_large: Double
        var calibration: [String: CalibrationSet]?
        var top_k: [TopK]
        var sweep_ranges: [String: [[Double]]]
    }

    var dataset: String
    var inputs: String
    var versions: [String: String]
    var cases: [Case]

    /// The files under fixtures/ranking, decoded once.
    static let all: [String: RankingGoldenFile] = {
        let directory = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/ranking")
        var files: [String: RankingGoldenFile] = [:]
        for name in ["leads-sample", "german-credit"] {
            let url = directory.appendingPathComponent("\(name).json")
            guard let data = try? Data(contentsOf: url),
                  let file = try? JSONDecoder().decode(RankingGoldenFile.self, from: data) else {
                preconditionFailure("cannot read golden file \(url.path)")
            }
            files[name] = file
        }
        return files
    }()
}

/// One golden case: a data set and an index into its cases.
struct RankingCase: Sendable, CustomStringConvertible {
    var dataset: String
    var index: Int

    var golden: RankingGoldenFile.Case {
        guard let file = RankingGoldenFile.all[dataset] else { preconditionFailure("no golden file \(dataset)") }
        return file.cases[index]
    }

    var description: String {
        let golden = golden
        return "\(dataset) \(golden.attributes.joined(separator: "*"))\(golden.weighted ? " weighted" : "")"
    }

    /// The inputs, from the group metrics golden file of the same data set.
    var inputs: MetricsGoldenFile {
        guard let file = MetricsGoldenFile.all[dataset] else { preconditionFailure("no inputs \(dataset)") }
        return file
    }

    var columns: AuditColumns { inputs.columns(weighted: golden.weighted) }

    /// The case's grouped ranking.
    func grouped() throws -> GroupedRanking {
        let columns = columns
        let ranking = try ScoreRanking(columns: columns)
        return ranking.grouped(by: try Grouping(columns: columns, attributes: golden.attributes))
    }

    static let all: [RankingCase] = RankingGoldenFile.all.keys.sorted().flatMap { name in
        (RankingGoldenFile.all[name]?.cases.indices ?? 0..<0).map { RankingCase(dataset: name, index: $0) }
    }
}

/// Every value matches its golden (null = undefined) to 1e-9; the first mismatch, if any.
func goldenMismatch(_ values: [MetricValue], _ expected: [Double?], tolerance: Double = 1e-9) -> String? {
    guard values.count == expected.count else { return "\(values.count) values, golden has \(expected.count)" }
    for (index, (value, golden)) in zip(values, expected).enumerated() where !matchesGolden(value, golden, tolerance: tolerance) {
        return "index \(index): \(value) vs golden \(golden.map { "\($0)" } ?? "null")"
    }
    return nil
}

/// Whether a computed value matches a golden one (null = undefined) to `tolerance`.
func matchesGolden(_ value: MetricValue, _ expected: Double?, tolerance: Double) -> Bool {
    switch (value.number, expected) {
    case (nil, nil): return true
    case (let actual?, let expected?): return abs(actual - expected) <= tolerance * max(1, abs(expected))
    default: return false
    }
}
