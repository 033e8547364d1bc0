import Testing
@testable import FairleadCore

/// Tied scores: positions by row index, AUC ties count ½, distributions see ties once.
@Suite struct RankingTieTests {
    @Test func tiesTakePositionsInRowOrder() throws {
        let columns = columns(scores: [0.5, 0.9, 0.5, 0.5], labels: [1, 0, 0, 1], groups: ["a", "b", "b", "a"])
        let ranking = try ScoreRanking(columns: columns)
        #expect((0..<4).map { ranking.row(atPosition: $0) } == [1, 0, 2, 3])
        let grouped = ranking.grouped(by: try Grouping(columns: columns, attributes: ["group"]))
        let results = try TopKMetrics.compute(grouped, cutoffs: [.count(2), .count(3)])
        #expect(results[0].byGroup.map(\.countInTopK) == [1, 1])
        #expect(results[1].byGroup.map(\.countInTopK) == [1, 2])
    }

    /// A cut inside a run of tied scores is found, with the tied rows and how many the
    /// top k takes; a cut between two scores, or one that takes every row, is none.
    @Test func aCutThroughTiesIsFound() throws {
        let columns = columns(scores: [0.5, 0.9, 0.5, 0.5], labels: [1, 0, 0, 1], groups: ["a", "b", "b", "a"])
        let grouped = try ScoreRanking(columns: columns).grouped(by: try Grouping(columns: columns, attributes: ["group"]))
        let results = try TopKMetrics.compute(grouped, cutoffs: [.count(1), .count(2), .count(3), .count(4), .fraction(0.5)])
        #expect(results.map(\.tieAtCutoff) == [nil, TieAtCutoff(score: 0.5, tied: 3, taken: 1), TieAtCutoff(score: 0.5, tied: 3, taken: 2),
                                                nil, TieAtCutoff(score: 0.5, tied: 3, taken: 1)])
    }

    /// −0 and 0 tie; the tie's score is 0 whichever of them the row order puts at the cut.
    @Test(arguments: [[-0.0, 0.0, 0.5], [0.0, -0.0, 0.5]])
    func aTieOfZeroesIsAtZero(scores: [Double]) throws {
        let columns = columns(scores: scores, labels: [1, 0, 0], groups: ["a", "b", "b"])
        let grouped = try ScoreRanking(columns: columns, scoreRange: nil).grouped(by: try Grouping(columns: columns, attributes: ["group"]))
        let queue = try #require(try TopKMetrics.compute(grouped, cutoffs: [.count(2)]).first?.tieAtCutoff)
        let rule = try #require(DecisionRule.topCount(2).tieAtCutoff(scores: scores))
        for tie in [queue, rule] {
            #expect(tie == TieAtCutoff(score: 0, tied: 2, taken: 1))
            #expect(tie.score.sign == .plus)
        }
    }

    /// The queue reads a cut's tie from its ranked scores as the top-k rule of the same k
    /// reads it from the rows (``DecisionRule/tieAtCutoff(scores:)``): missing scores are
    /// not ranked, a −0 ties a 0.
    @Test(arguments: [UInt64(3), 17, 99])
    func theQueuesTieIsTheTopKRulesTie(seed: UInt64) throws {
        var columns = randomColumns(rows: 4000, seed: seed)
        columns.scores = columns.scores.enumerated().map { row, score in
            row % 97 == 0 && score.isFinite ? -0.0 : (score * 20).rounded() / 20
        }
        let ranking = try ScoreRanking(columns: columns, scoreRange: nil)
        let grouped = ranking.grouped(by: try Grouping(columns: columns, attributes: ["a"]))
        let cutoffs: [RankingCutoff] = [.count(0), .count(1), .count(37), .count(500), .fraction(0.1), .fraction(0.5), .fraction(0.999),
                                        .count(ranking.rankedCount - 1), .count(ranking.rankedCount), .count(10_000)]
        let results = try TopKMetrics.compute(grouped, cutoffs: cutoffs)
        for (cutoff, result) in zip(cutoffs, results) {
            #expect(result.tieAtCutoff == cutoff.decisionRule.tieAtCutoff(scores: columns.scores), "\(cutoff)")
        }
        // Scores of 21 values over thousands of rows: most cuts go through a tie.
        #expect(results.filter { $0.tieAtCutoff != nil }.count >= 5)
        #expect(results.last?.tieAtCutoff == nil)
    }

    @Test func negativeAndPositiveZeroTie() throws {
        let columns = columns(scores: [0.0, -0.0, 0.0], labels: [0, 1, 0], groups: ["a", "a", "a"])
        let ranking = try ScoreRanking(columns: columns, scoreRange: nil)
        #expect((0..<3).map { ranking.row(atPosition: $0) } == [0, 1, 2])
        let separation = try ScoreSeparation(ranking.grouped(by: try Grouping(columns: columns, attributes: ["group"])))
        #expect(separation.auc[0] == .value(0.5))
    }

    @Test func aucCountsTiesAsHalf() throws {
        // Positive 0.5; negatives 0.5 (tie: ½) and 0.2 (below: 1) -> 1.5 / 2.
        let columns = columns(scores: [0.5, 0.5, 0.2, 0.7, 0.1], labels: [1, 0, 0, 1, 0], groups: ["a", "a", "a", "b", "b"])
        let separation = try ScoreSeparation(try ScoreRanking(columns: columns)
            .grouped(by: try Grouping(columns: columns, attributes: ["group"])))
        #expect(separation.auc[0] == .value(0.75))
        #expect(separation.auc[1] == .value(1))
        // Positive of a (0.5) over negatives of b (0.1): 1; positive of b (0.7) over negatives of a (0.5, 0.2): 1.
        #expect(separation.xauc(positivesOf: 0, negativesOf: 1) == .value(1))
        #expect(separation.xauc(positivesOf: 1, negativesOf: 0) == .value(1))
        // Overall: positives 0.7, 0.5; negatives 0.5, 0.2, 0.1 -> (3 + 2.5) / 6.
        #expect(close(separation.overallAUC.number, 5.5 / 6))
    }

    @Test func distributionDistancesWithTies() throws {
        // scipy: ks_2samp([.5, .5], [.5, .2]) = 0.5; wasserstein_distance = 0.15.
        let columns = columns(scores: [0.5, 0.5, 0.5, 0.2], labels: [1, 0, 1, 0], groups: ["a", "a", "b", "b"])
        let separation = try ScoreSeparation(try ScoreRanking(columns: columns)
            .grouped(by: try Grouping(columns: columns, attributes: ["group"])), reference: .named(["b"]))
        #expect(separation.ksVersusRest == [.value(0.5), .value(0.5)])
        #expect(close(separation.wassersteinVersusRest[0].number, 0.15))
        #expect(close(separation.wassersteinVersusReference?[0].number, 0.15))
        #expect(separation.ksVersusReference?[1] == .value(0))
    }

    @Test(arguments: [UInt64(3), 17, 99])
    func topKWithManyTiesEqualsTheTopKRule(seed: UInt64) throws {
        // Scores rounded to 2 decimals: hundreds of ties; missing scores, labels and
        // sensitive values; weights with zeros.
        var columns = randomColumns(rows: 4000, seed: seed)
        columns.scores = columns.scores.map { ($0 * 100).rounded() / 100 }
        let ranking = try ScoreRanking(columns: columns)
        for attributes in [["a"], ["b"], ["a", "b"]] {
            for policy in [MissingSensitivePolicy.ownGroup, .exclude] {
                let grouping = try Grouping(columns: columns, attributes: attributes, missingPolicy: policy)
                let grouped = ranking.grouped(by: grouping)
                let cutoffs: [RankingCutoff] = [.count(0), .count(1), .count(37), .fraction(0.1), .fraction(0.5), .count(10_000)]
                let results = try TopKMetrics.compute(grouped, cutoffs: cutoffs)
                for (cutoff, result) in zip(cutoffs, results) {
                    let stats = try GroupStats.accumulate(columns, rule: cutoff.decisionRule, grouping: grouping)
                    let frame = MetricFrame(stats: stats, grouping: grouping)
                    #expect(grouped.exclusions == stats.exclusions, "\(attributes) \(cutoff)")
                    for group in grouping.groups.indices {
                        let cells = stats.cells[group]
                        #expect(result.byGroup[group].countInTopK == cells.truePositives.count + cells.falsePositives.count)
                        for (value, metric) in [(result.byGroup[group].selectionRate, GroupMetric.selectionRate),
                                                (result.byGroup[group].precision, .positivePredictiveValue),
                                                (result.byGroup[group].recall, .truePositiveRate)] {
                            let expected = frame.value(metric, group: group)
                            #expect(value.undefinedReason == expected.undefinedReason, "\(attributes) \(cutoff) \(metric)")
                            #expect(close(value.number ?? 0, expected.number ?? 0, tolerance: 1e-12), "\(attributes) \(cutoff) \(metric)")
                        }
                    }
                }
            }
        }
    }
}
