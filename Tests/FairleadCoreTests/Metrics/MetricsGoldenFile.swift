import Foundation
@testable import FairleadCore

/// A golden file written by fixtures/metrics/make_goldens.py: audit inputs plus the values
/// Fairlearn and AIF360 give on them.
struct MetricsGoldenFile: Decodable {
    struct Inputs: Decodable {
        var score: [Double]
        var label: [Double]
        var weight: [Double]
        var attributes: [String: [String]]
        var missing_values: [String]
    }

    struct FairlearnCase: Decodable {
        var attributes: [String]
        var weighted: Bool
        var groups: [[String]]
        var by_group: [String: [Double?]]
        var overall: [String: Double?]
        var group_min: [String: Double?]
        var group_max: [String: Double?]
        var difference: [String: [String: Double?]]
        var ratio: [String: [String: Double?]]
        var named: [String: [String: Double?]]
        var named_from_fairlearn_functions: Bool
    }

    struct AIF360Case: Decodable {
        var attributes: [String]
        var weighted: Bool
        var group: [String]
        var reference: [String]
        var values: [String: Double?]
    }

    var dataset: String
    var versions: [String: String]
    var threshold: Double
    var inputs: Inputs
    var fairlearn: [FairlearnCase]
    var aif360: [AIF360Case]

    /// The files under fixtures/metrics, decoded once.
    static let all: [String: MetricsGoldenFile] = {
        let directory = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/metrics")
        var files: [String: MetricsGoldenFile] = [:]
        for name in ["leads-sample", "german-credit"] {
            let url = directory.appendingPathComponent("\(name).json")
            guard let data = try? Data(contentsOf: url),
                  let file = try? JSONDecoder().decode(MetricsGoldenFile.self, from: data) else {
                preconditionFailure("cannot read golden file \(url.path)")
            }
            files[name] = file
        }
        return files
    }()

    /// The audit's columns: every attribute, weights only when asked for.
    func columns(weighted: Bool) -> AuditColumns {
        let missing = Set(inputs.missing_values)
        return AuditColumns(
            scores: inputs.score, labels: inputs.label, weights: weighted ? inputs.weight : nil,
            attributes: inputs.attributes.keys.sorted().map {
                SensitiveAttribute(name: $0, values: inputs.attributes[$0] ?? [], missingValues: missing)
            })
    }

    /// The frame of the threshold rule over `attributes`.
    func frame(attributes: [String], weighted: Bool) throws -> MetricFrame {
        let columns = columns(weighted: weighted)
        let grouping = try Grouping(columns: columns, attributes: attributes)
        let stats = try GroupStats.accumulate(columns, rule: .threshold(threshold), grouping: grouping)
        return MetricFrame(stats: stats, grouping: grouping)
    }
}

/// One golden case: a data set and an index into its Fairlearn or AIF360 cases.
struct GoldenCase: Sendable, CustomStringConvertible {
    var dataset: String
    var index: Int
    var description: String { "\(dataset)#\(index)" }

    var file: MetricsGoldenFile {
        guard let file = MetricsGoldenFile.all[dataset] else { preconditionFailure("no golden file \(dataset)") }
        return file
    }

    static func fairlearn() -> [GoldenCase] {
        MetricsGoldenFile.all.keys.sorted().flatMap { name in
            (MetricsGoldenFile.all[name]?.fairlearn.indices ?? 0..<0).map { GoldenCase(dataset: name, index: $0) }
        }
    }

    static func aif360() -> [GoldenCase] {
        MetricsGoldenFile.all.keys.sorted().flatMap { name in
            (MetricsGoldenFile.all[name]?.aif360.indices ?? 0..<0).map { GoldenCase(dataset: name, index: $0) }
        }
    }
}

/// Whether a computed value matches a golden one (null = undefined) to 1e-9.
func matchesGolden(_ value: MetricValue, _ expected: Double?) -> Bool {
    switch (value.number, expected) {
    case (nil, nil): return true
    case (let actual?, let expected?): return abs(actual - expected) <= 1e-9 * max(1, abs(expected))
    default: return false
    }
}
