import Testing
@testable import FairleadCore

/// Threshold, top-k (ties by row order) and given predictions.
@Suite struct DecisionRuleTests {
    func selected(_ scores: [Double], _ rule: DecisionRule) throws -> [Bool] {
        // One group per row, so each row's selection rate is its decision.
        let columns = AuditColumns(scores: scores, labels: nil, attributes: [
            SensitiveAttribute(name: "row", codes: scores.indices.map { Int32($0) }, levels: scores.indices.map { "\($0)" }),
        ])
        let grouping = try Grouping(columns: columns, attributes: ["row"])
        let stats = try GroupStats.accumulate(columns, rule: rule, grouping: grouping)
        return stats.cells.map { $0.falsePositives.count == 1 }
    }

    @Test func thresholdIsInclusive() throws {
        #expect(try selected([0.5, 0.49, 0.51, 1], .threshold(0.5)) == [true, false, true, true])
    }

    @Test func topKBreaksTiesByRowIndex() throws {
        // Sorted by score descending then row: 5 (0.9), 1, 2, 4 (0.7 ties), 0, 3.
        let scores = [0.2, 0.7, 0.7, 0.1, 0.7, 0.9]
        #expect(try selected(scores, .topCount(1)) == [false, false, false, false, false, true])
        #expect(try selected(scores, .topCount(2)) == [false, true, false, false, false, true])
        #expect(try selected(scores, .topCount(3)) == [false, true, true, false, false, true])
        #expect(try selected(scores, .topCount(4)) == [false, true, true, false, true, true])
        #expect(try selected(scores, .topCount(0)) == [false, false, false, false, false, false])
        #expect(try selected(scores, .topCount(99)) == [true, true, true, true, true, true])
    }

    @Test func topFractionRoundsHalfAwayFromZeroOverScoredRows() throws {
        // 5 scored rows (one NaN): 0.5 × 5 = 2.5 -> 3.
        let scores = [0.1, 0.5, .nan, 0.3, 0.9, 0.7]
        let columns = AuditColumns(scores: scores, labels: nil, attributes: [SensitiveAttribute(name: "g", values: Array(repeating: "x", count: 6))])
        let grouping = try Grouping(columns: columns, attributes: ["g"])
        let stats = try GroupStats.accumulate(columns, rule: .topFraction(0.5), grouping: grouping)
        #expect(stats.cells[0].falsePositives.count == 3)
        #expect(stats.exclusions.missingScore == 1)
        #expect(try selected([0.1, 0.5, 0.3, 0.9], .topFraction(0.1)) == [false, false, false, false])
    }

    @Test func topKRejectsImpossibleSizes() {
        let columns = columns(scores: [0.1], labels: [0], groups: ["A"])
        #expect(throws: FairleadError(.invalidProfile, "top-k fraction must be within 0...1, found 1.5")) {
            try frame(columns, rule: .topFraction(1.5))
        }
        #expect(throws: FairleadError(.invalidProfile, "top-k count must be at least 0, found -1")) {
            try frame(columns, rule: .topCount(-1))
        }
        #expect(throws: FairleadError(.invalidData, "the rule uses given predictions but the audit has no prediction column")) {
            try frame(columns, rule: .givenPredictions)
        }
    }

    @Test(arguments: [1, 2, 17, 500, 999, 1000])
    func quickSelectAgreesWithSorting(k: Int) {
        var generator = SeededGenerator(seed: UInt64(k))
        // Few distinct values, so many ties.
        var values = (0..<1000).map { _ in Double(generator.next() % 50) / 7 }
        let expected = values.sorted(by: >)[k - 1]
        #expect(_QuickSelect.kthLargest(&values, k: k) == expected)
    }

    @Test func severalRulesInOneAudit() throws {
        let columns = columns(scores: [0.9, 0.8, 0.2, 0.1], labels: [1, 0, 1, 0], groups: ["A", "A", "B", "B"])
        let audit = try GroupAudit(columns: columns, configuration: .init(
            rules: [.threshold(0.5), .topCount(1)], groupings: [["group"]]))
        #expect(audit.entries.count == 2)
        #expect(audit.frame(rule: .threshold(0.5), attributes: ["group"])?.byGroup(.selectionRate) == [.value(1), .value(0)])
        #expect(audit.frame(rule: .topCount(1), attributes: ["group"])?.byGroup(.selectionRate) == [.value(0.5), .value(0)])
        #expect(audit.frame(rule: .topCount(2), attributes: ["group"]) == nil)
    }
}
