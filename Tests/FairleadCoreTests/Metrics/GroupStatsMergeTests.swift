import Testing
@testable import FairleadCore

/// Merging is associative and order-free; metrics do not depend on row order or chunking.
@Suite struct GroupStatsMergeTests {
    let columns = randomColumns(rows: 3_000, seed: 7)

    func stats(_ rows: Range<Int>, rule: DecisionRule = .threshold(0.4)) throws -> GroupStats {
        let grouping = try Grouping(columns: columns, attributes: ["a", "b"])
        return try GroupStats.accumulate(columns, rule: rule, grouping: grouping, rows: rows)
    }

    /// Three cut points splitting 0..<3000 into four ranges, from a seeded generator.
    static let splits: [[Int]] = {
        var generator = SeededGenerator(seed: 99)
        return (0..<8).map { _ in (0..<3).map { _ in Int(generator.next() % 3_001) }.sorted() }
    }()

    @Test(arguments: splits)
    func mergeIsAssociativeOverRandomSplits(cuts: [Int]) throws {
        let bounds = [0] + cuts + [3_000]
        let parts = try (0..<4).map { try stats(bounds[$0]..<bounds[$0 + 1]) }
        let left = parts[0].merging(parts[1]).merging(parts[2]).merging(parts[3])
        let right = parts[0].merging(parts[1].merging(parts[2].merging(parts[3])))
        let whole = try stats(0..<3_000)
        #expect(statsClose(left, right))
        #expect(statsClose(left, whole))
        // Counts merge exactly.
        #expect(left.cells.map(\.count) == whole.cells.map(\.count))
        #expect(left.exclusions == whole.exclusions)
    }

    @Test(arguments: splits)
    func mergeIsOrderFree(cuts: [Int]) throws {
        let bounds = [0] + cuts + [3_000]
        let parts = try (0..<4).map { try stats(bounds[$0]..<bounds[$0 + 1]) }
        let forward = parts.dropFirst().reduce(parts[0]) { $0.merging($1) }
        let backward = parts.reversed().dropFirst().reduce(parts[3]) { $0.merging($1) }
        let shuffled = parts[2].merging(parts[0]).merging(parts[3]).merging(parts[1])
        #expect(statsClose(forward, backward))
        #expect(statsClose(forward, shuffled))
    }

    @Test func emptyStatsAreTheIdentity() throws {
        let whole = try stats(0..<3_000)
        let empty = GroupStats(groupCount: whole.groupCount, isLabeled: true)
        #expect(whole.merging(empty) == whole)
        #expect(empty.merging(whole) == whole)
    }

    @Test(arguments: [DecisionRule.threshold(0.4), .topCount(700), .topFraction(0.25)])
    func metricsAreInvariantToRowOrder(rule: DecisionRule) throws {
        // Scores are distinct, so the top-k selects the same rows in any order.
        var generator = SeededGenerator(seed: 3)
        var permutation = Array(0..<columns.rowCount)
        permutation.shuffle(using: &generator)
        func permuted(_ values: [Double]?) -> [Double]? { values.map { v in permutation.map { v[$0] } } }
        let shuffled = AuditColumns(
            scores: permutation.map { columns.scores[$0] }, labels: permuted(columns.labels?.values),
            weights: permuted(columns.weights), predictions: nil,
            attributes: columns.attributes.map { attribute in
                SensitiveAttribute(name: attribute.name, codes: permutation.map { attribute.codes[$0] }, levels: attribute.levels)
            })
        let original = try frame(columns, rule: rule, attributes: ["a", "b"])
        let reordered = try frame(shuffled, rule: rule, attributes: ["a", "b"])
        #expect(statsClose(original.stats, reordered.stats))
        for metric in GroupMetric.allCases {
            for (x, y) in zip(original.byGroup(metric), reordered.byGroup(metric)) {
                #expect(x.isDefined == y.isDefined)
                if let x = x.number { #expect(close(x, y.number), "\(metric)") }
            }
            #expect(close(original.difference(metric).number ?? -1, reordered.difference(metric).number ?? -1))
        }
    }

    @Test func chunkedPassEqualsSequentialSums() throws {
        // 200k rows span several 65,536-row chunks; a single sequential sum must agree.
        let big = randomColumns(rows: 200_000, seed: 11)
        let grouping = try Grouping(columns: big, attributes: ["a"])
        let stats = try GroupStats.accumulate(big, rule: .threshold(0.5), grouping: grouping)
        var selected = [Double](repeating: 0, count: grouping.groupCount)
        var rows = [Int](repeating: 0, count: grouping.groupCount)
        for row in 0..<big.rowCount {
            let score = big.scores[row]
            guard !score.isNaN, let label = big.labels?[row], !label.isNaN else { continue }
            let code = big.attributes[0].codes[row]
            let group = code < 0 ? 3 : Int(code)
            rows[group] += 1
            if score >= 0.5 { selected[group] += big.weights?[row] ?? 1 }
        }
        #expect(stats.cells.map(\.count) == rows)
        for group in 0..<grouping.groupCount {
            #expect(close(stats.cells[group].predictedPositiveWeight, selected[group], tolerance: 1e-10))
        }
        #expect(grouping.groups.last == ["unknown"])
    }

    @Test func marginalsOfTheIntersectionEqualTheSingleAttribute() throws {
        let intersection = try frame(columns, attributes: ["a", "b"])
        let single = try frame(columns, attributes: ["a"])
        // Groups of a × b are row-major: a's level varies slowest.
        for level in 0..<single.groups.count {
            let cells = intersection.stats.cells[(level * 4)..<(level * 4 + 4)].reduce(ConfusionCells(), +)
            #expect(cells.count == single.stats.cells[level].count)
            #expect(close(cells.truePositives.weight, single.stats.cells[level].truePositives.weight))
        }
    }
}
