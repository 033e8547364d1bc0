import Foundation
@testable import FairleadCore

/// Columns with one attribute `group` given as strings ("" = missing).
func columns(scores: [Double], labels: [Double]?, groups: [String], weights: [Double]? = nil,
             predictions: [Double]? = nil) -> AuditColumns {
    AuditColumns(scores: scores, labels: labels, weights: weights, predictions: predictions,
                 attributes: [SensitiveAttribute(name: "group", values: groups)])
}

/// The frame of one rule over the named attributes.
func frame(_ columns: AuditColumns, rule: DecisionRule = .threshold(0.5), attributes: [String] = ["group"],
           missingPolicy: MissingSensitivePolicy = .ownGroup) throws -> MetricFrame {
    let grouping = try Grouping(columns: columns, attributes: attributes, missingPolicy: missingPolicy)
    let stats = try GroupStats.accumulate(columns, rule: rule, grouping: grouping)
    return MetricFrame(stats: stats, grouping: grouping)
}

/// |a − b| ≤ tolerance · max(1, |a|, |b|).
func close(_ a: Double?, _ b: Double?, tolerance: Double = 1e-12) -> Bool {
    guard let a, let b else { return false }
    if a == b { return true }
    return abs(a - b) <= tolerance * max(1, abs(a), abs(b))
}

/// Statistics equal up to floating rounding in their sums, exactly in their counts.
func statsClose(_ a: GroupStats, _ b: GroupStats, tolerance: Double = 1e-12) -> Bool {
    guard a.groupCount == b.groupCount, a.exclusions == b.exclusions, a.isLabeled == b.isLabeled else { return false }
    for (x, y) in zip(a.cells, b.cells) {
        for (p, q) in zip(x.all, y.all) {
            guard p.count == q.count, close(p.weight, q.weight, tolerance: tolerance),
                  close(p.squaredWeight, q.squaredWeight, tolerance: tolerance),
                  close(p.scoredWeight, q.scoredWeight, tolerance: tolerance),
                  close(p.scoreSum, q.scoreSum, tolerance: tolerance) else { return false }
        }
    }
    return true
}

/// Deterministic random columns: `rows` rows, attributes `a` (3 levels, some missing) and
/// `b` (4 levels), weights in 0...2 with some zeros.
func randomColumns(rows: Int, seed: UInt64, weighted: Bool = true) -> AuditColumns {
    var generator = SeededGenerator(seed: seed)
    var scores: [Double] = []
    var labels: [Double] = []
    var weights: [Double] = []
    var a: [Int32] = []
    var b: [Int32] = []
    for _ in 0..<rows {
        let score = generator.nextUniform()
        scores.append(generator.nextUniform() < 0.05 ? .nan : score)
        labels.append(generator.nextUniform() < 0.03 ? .nan : (generator.nextUniform() < score ? 1 : 0))
        weights.append(generator.nextUniform() < 0.1 ? 0 : 2 * generator.nextUniform())
        a.append(generator.nextUniform() < 0.04 ? -1 : Int32(generator.next() % 3))
        b.append(Int32(generator.next() % 4))
    }
    return AuditColumns(scores: scores, labels: labels, weights: weighted ? weights : nil, attributes: [
        SensitiveAttribute(name: "a", codes: a, levels: ["a0", "a1", "a2"]),
        SensitiveAttribute(name: "b", codes: b, levels: ["b0", "b1", "b2", "b3"]),
    ])
}
