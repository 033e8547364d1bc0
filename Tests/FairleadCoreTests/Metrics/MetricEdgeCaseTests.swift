import Testing
@testable import FairleadCore

/// Hand-checked tiny cases, one per edge.
@Suite struct MetricEdgeCaseTests {
    // A: TP, FP, FN, TN. B: TP, TP, TN (no false positive). C: FP, TN (no actual positive).
    let tiny = columns(scores: [0.9, 0.8, 0.2, 0.1, 0.7, 0.6, 0.4, 0.9, 0.3],
                       labels: [1, 0, 1, 0, 1, 1, 0, 0, 0],
                       groups: ["A", "A", "A", "A", "B", "B", "B", "C", "C"])

    @Test func handCheckedRatesPerGroup() throws {
        let frame = try frame(tiny)
        #expect(frame.groups == [["A"], ["B"], ["C"]])
        #expect(frame.byGroup(.count) == [.value(4), .value(3), .value(2)])
        #expect(frame.byGroup(.selectionRate) == [.value(0.5), .value(2.0 / 3), .value(0.5)])
        #expect(frame.byGroup(.truePositiveRate) == [.value(0.5), .value(1), .undefined(.noActualPositives)])
        #expect(frame.byGroup(.falsePositiveRate) == [.value(0.5), .value(0), .value(0.5)])
        #expect(frame.byGroup(.falseNegativeRate) == [.value(0.5), .value(0), .undefined(.noActualPositives)])
        #expect(frame.byGroup(.positivePredictiveValue) == [.value(0.5), .value(1), .value(0)])
        #expect(frame.byGroup(.falseOmissionRate) == [.value(0.5), .value(0), .value(0)])
        #expect(frame.byGroup(.baseRate) == [.value(0.5), .value(2.0 / 3), .value(0)])
        #expect(frame.byGroup(.accuracy) == [.value(0.5), .value(1), .value(0.5)])
        #expect(frame.overall(.selectionRate) == .value(5.0 / 9))
        #expect(close(frame.byGroup(.meanScore)[1].number, (0.7 + 0.6 + 0.4) / 3))
        #expect(close(frame.byGroup(.share)[2].number, 2.0 / 9))
    }

    @Test func singleClassGroupIsUndefinedNotZeroAndSkippedByReductions() throws {
        let frame = try frame(tiny)
        // TPR: A 0.5, B 1, C undefined -> the reductions see A and B only.
        #expect(frame.groupMin(.truePositiveRate) == .value(0.5))
        #expect(frame.difference(.truePositiveRate) == .value(0.5))
        #expect(frame.ratio(.truePositiveRate) == .value(0.5))
        // overall TPR = 3/4; to_overall: |0.5 - 0.75|, |1 - 0.75| -> 0.25; ratios 2/3 and 0.75 inverted.
        #expect(close(frame.difference(.truePositiveRate, method: .toOverall).number, 0.25))
        #expect(close(frame.ratio(.truePositiveRate, method: .toOverall).number, 2.0 / 3))
        #expect(frame.equalizedOddsDifference() == .value(0.5))
    }

    @Test func emptyIntersectionIsListedWithZeroRowsAndUndefinedRates() throws {
        let columns = AuditColumns(scores: [0.9, 0.1, 0.8], labels: [1, 0, 0], attributes: [
            SensitiveAttribute(name: "x", values: ["p", "q", "q"]),
            SensitiveAttribute(name: "y", values: ["u", "u", "v"]),
        ])
        let frame = try frame(columns, attributes: ["x", "y"])
        #expect(frame.groups == [["p", "u"], ["p", "v"], ["q", "u"], ["q", "v"]])
        #expect(frame.byGroup(.count) == [.value(1), .value(0), .value(1), .value(1)])
        #expect(frame.value(.selectionRate, group: ["p", "v"]) == .undefined(.emptyGroup))
        #expect(frame.value(.truePositiveRate, group: ["p", "v"]) == .undefined(.noActualPositives))
        #expect(frame.byGroup(.share)[1] == .value(0))
        #expect(frame.groupMin(.selectionRate) == .value(0))
        #expect(frame.wilsonInterval(.selectionRate, group: 1) == nil)
    }

    @Test func declaredLevelWithoutRowsIsAnEmptyGroup() throws {
        let columns = AuditColumns(scores: [0.9, 0.1], labels: [1, 0], attributes: [
            SensitiveAttribute(name: "group", codes: [0, 0], levels: ["seen", "never"]),
        ])
        let frame = try frame(columns)
        #expect(frame.byGroup(.count) == [.value(2), .value(0)])
        #expect(frame.insufficientGroups(minimumGroupSize: 1) == [["never"]])
    }

    @Test func allPositivePredictions() throws {
        let frame = try frame(tiny, rule: .threshold(0))
        #expect(frame.byGroup(.selectionRate) == [.value(1), .value(1), .value(1)])
        #expect(frame.byGroup(.negativePredictiveValue) == [.undefined(.noPredictedNegatives), .undefined(.noPredictedNegatives), .undefined(.noPredictedNegatives)])
        #expect(frame.byGroup(.falseOmissionRate)[0] == .undefined(.noPredictedNegatives))
        #expect(frame.demographicParityDifference() == .value(0))
        #expect(frame.demographicParityRatio() == .value(1))
        #expect(frame.byGroup(.truePositiveRate)[0] == .value(1))
        #expect(frame.byGroup(.trueNegativeRate)[0] == .value(0))
    }

    @Test func noPositivePredictionsMakesRatiosUndefinedNotZero() throws {
        let frame = try frame(tiny, rule: .threshold(0.95))
        #expect(frame.byGroup(.selectionRate) == [.value(0), .value(0), .value(0)])
        #expect(frame.demographicParityRatio() == .undefined(.zeroDivisor))
        #expect(frame.demographicParityRatio(method: .toOverall) == .undefined(.zeroDivisor))
        #expect(frame.demographicParityDifference() == .value(0))
        #expect(try frame.disparateImpact(group: ["A"], reference: .named(["B"])) == .undefined(.zeroDivisor))
        #expect(frame.byGroup(.positivePredictiveValue)[0] == .undefined(.noPredictedPositives))
    }

    @Test func zeroWeightsCountRowsButNotRates() throws {
        // The second row of A (FP) weighs 0: A's selection rate is TP / (TP + FN + TN) by weight.
        let weights: [Double] = [1, 0, 1, 1, 2, 2, 2, 0, 0]
        let frame = try frame(columns(scores: tiny.scores, labels: tiny.labels?.values,
                                      groups: ["A", "A", "A", "A", "B", "B", "B", "C", "C"], weights: weights))
        #expect(frame.byGroup(.count) == [.value(4), .value(3), .value(2)])
        #expect(frame.byGroup(.selectionRate)[0] == .value(1.0 / 3))
        #expect(frame.byGroup(.falsePositiveRate)[0] == .value(0))
        #expect(frame.byGroup(.selectionRate)[2] == .undefined(.emptyGroup))
        #expect(frame.byGroup(.share)[2] == .value(0))
        #expect(frame.overall(.selectionRate) == .value(5.0 / 9))
        // Group C weighs nothing: undefined everywhere, so the reductions skip it.
        #expect(frame.groupMin(.selectionRate) == .value(1.0 / 3))
    }

    @Test func missingScoreLabelAndSensitiveValuesAreExcludedAndCountedByReason() throws {
        let nan = Double.nan
        let columns = columns(scores: [0.9, nan, 0.8, 0.7, nan, 0.2],
                              labels: [1, 1, nan, 0, nan, 0],
                              groups: ["A", "A", "B", "", "B", ""])
        let kept = try frame(columns)
        // Row 4 misses both score and label: counted once, under score.
        #expect(kept.stats.exclusions == ExclusionCounts(missingScore: 2, missingPrediction: 0, missingLabel: 1, missingSensitive: 0))
        #expect(kept.groups == [["A"], ["B"], ["unknown"]])
        #expect(kept.byGroup(.count) == [.value(1), .value(0), .value(2)])
        let excluded = try frame(columns, missingPolicy: .exclude)
        #expect(excluded.groups == [["A"], ["B"]])
        #expect(excluded.stats.exclusions.missingSensitive == 2)
        #expect(excluded.stats.exclusions.total == 5)
    }

    @Test func missingPredictionIsCountedAndMissingScoreKeptForGivenPredictions() throws {
        let nan = Double.nan
        let columns = columns(scores: [0.9, nan, 0.8, 0.1], labels: [1, 1, 0, 0], groups: ["A", "A", "A", "A"],
                              predictions: [1, 1, nan, 0])
        let frame = try frame(columns, rule: .givenPredictions)
        #expect(frame.stats.exclusions.missingPrediction == 1)
        #expect(frame.stats.exclusions.missingScore == 0)
        #expect(frame.byGroup(.count) == [.value(3)])
        #expect(frame.byGroup(.truePositiveRate) == [.value(1)])
        // Mean score over the two scored rows only.
        #expect(close(frame.byGroup(.meanScore)[0].number, 0.5))
    }

    @Test(arguments: [
        (2.0, "label is 2.0, expected 0 or 1 (or missing)"),
        (-1.0, "label is -1.0, expected 0 or 1 (or missing)"),
        (0.5, "label is 0.5, expected 0 or 1 (or missing)"),
    ])
    func badLabelStopsWithTheRowAndValue(label: Double, message: String) {
        let columns = columns(scores: [0.2, 0.3, 0.4], labels: [0, label, 1], groups: ["A", "A", "A"])
        #expect(throws: FairleadError(.invalidData, message, at: SourceLocation(field: "label"), row: 1)) {
            try frame(columns)
        }
    }

    @Test(arguments: [
        (1.5, "score is 1.5, expected a finite score within 0.0...1.0"),
        (-0.1, "score is -0.1, expected a finite score within 0.0...1.0"),
        (Double.infinity, "score is inf, expected a finite score within 0.0...1.0"),
    ])
    func scoreOutsideTheRangeStopsWithTheRowAndValue(score: Double, message: String) {
        let columns = columns(scores: [0.2, 0.3, score, 0.4], labels: [0, 1, 1, 0], groups: ["A", "A", "A", "A"])
        #expect(throws: FairleadError(.invalidData, message, at: SourceLocation(field: "score"), row: 2)) {
            try frame(columns)
        }
    }

    @Test func scoreRangeIsConfigurable() throws {
        let columns = columns(scores: [-2, 3.5], labels: [0, 1], groups: ["A", "A"])
        let grouping = try Grouping(columns: columns, attributes: ["group"])
        let stats = try GroupStats.accumulate(columns, rule: .threshold(0), grouping: grouping, scoreRange: nil)
        #expect(stats.cells[0].truePositives.count == 1)
        #expect(stats.cells[0].trueNegatives.count == 1)
    }

    @Test func lowestBadRowIsReportedAcrossChunks() {
        var scores = [Double](repeating: 0.5, count: 200_000)
        scores[150_000] = 7
        scores[70_000] = 9
        let columns = columns(scores: scores, labels: nil, groups: Array(repeating: "A", count: scores.count))
        #expect(throws: FairleadError(.invalidData, "score is 9.0, expected a finite score within 0.0...1.0",
                                      at: SourceLocation(field: "score"), row: 70000)) {
            try frame(columns)
        }
    }

    @Test func negativeWeightAndBadPredictionStop() {
        let weighted = columns(scores: [0.2, 0.3], labels: [0, 1], groups: ["A", "A"], weights: [1, -1])
        #expect(throws: FairleadError(.invalidData, "weight is -1.0, expected a number from 0 to 1e+50",
                                      at: SourceLocation(field: "weight"), row: 1)) { try frame(weighted) }
        // Past 10⁵⁰ the metrics' sums could overflow (a weight of 1e200 made an xAUC NaN);
        // a missing weight is said to be missing, not "nan".
        let huge = columns(scores: [0.2, 0.3], labels: [0, 1], groups: ["A", "A"], weights: [1e200, 1])
        #expect(throws: FairleadError(.invalidData, "weight is 1e+200, expected a number from 0 to 1e+50",
                                      at: SourceLocation(field: "weight"), row: 0)) { try frame(huge) }
        let missing = columns(scores: [0.2, 0.3], labels: [0, 1], groups: ["A", "A"], weights: [1, .nan])
        #expect(throws: FairleadError(.invalidData, "weight is missing, expected a number from 0 to 1e+50 on every row",
                                      at: SourceLocation(field: "weight"), row: 1)) { try frame(missing) }
        #expect(AuditColumns.isValidWeight(1e50) && AuditColumns.isValidWeight(0) && !AuditColumns.isValidWeight(.infinity))
        // The queue's own check of the rows says the same.
        #expect(throws: FairleadError.self) { try ScoreRanking(columns: huge) }
        let predicted = columns(scores: [0.2, 0.3], labels: [0, 1], groups: ["A", "A"], predictions: [3, 1])
        #expect(throws: FairleadError(.invalidData, "prediction is 3.0, expected 0 or 1 (or missing)",
                                      at: SourceLocation(field: "prediction"), row: 0)) { try frame(predicted, rule: .givenPredictions) }
    }

    @Test func labelFreeAuditKeepsSelectionAndScoresOnly() throws {
        let frame = try frame(columns(scores: [0.9, 0.1, 0.6], labels: nil, groups: ["A", "A", "B"]))
        #expect(frame.byGroup(.selectionRate) == [.value(0.5), .value(1)])
        #expect(frame.byGroup(.truePositiveRate) == [.undefined(.labelsAbsent), .undefined(.labelsAbsent)])
        #expect(frame.byGroup(.baseRate)[0] == .undefined(.labelsAbsent))
        #expect(frame.theilIndex() == .undefined(.labelsAbsent))
        #expect(close(frame.byGroup(.meanScore)[0].number, 0.5))
    }

    @Test func badSensitiveCodeAndUnknownNamesStop() {
        let columns = AuditColumns(scores: [0.1], labels: [0], attributes: [
            SensitiveAttribute(name: "group", codes: [4], levels: ["a"]),
        ])
        #expect(throws: FairleadError(.invalidData, "sensitive attribute \"group\" has code 4, expected -1 (missing) or 0..<1", row: 0)) {
            try Grouping(columns: columns, attributes: ["group"])
        }
        #expect(throws: FairleadError(.invalidProfile, "unknown sensitive attribute \"gender\"; the audit has: group")) {
            try Grouping(columns: columns, attributes: ["gender"])
        }
    }
}
