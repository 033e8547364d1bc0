import Testing
@testable import FairleadCore

/// The queue's order, validation, exclusions, and invariances of the metrics built on it.
@Suite struct ScoreRankingTests {
    @Test(arguments: [UInt64(1), 2, 3])
    func orderIsScoreDescendingThenRowAscending(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        var scores: [Double] = []
        for _ in 0..<20_000 {
            let kind = generator.next() % 10
            switch kind {
            case 0: scores.append(.nan)
            case 1: scores.append(-Double(generator.next() % 50))
            case 2: scores.append(generator.next() % 2 == 0 ? 0.0 : -0.0)
            case 3: scores.append(Double(generator.next() % 20) / 7)
            default: scores.append((generator.nextUniform() - 0.3) * 1e6)
            }
        }
        let columns = AuditColumns(scores: scores, attributes: [])
        let ranking = try ScoreRanking(columns: columns, scoreRange: nil)
        let expected = scores.indices.filter { !scores[$0].isNaN }.sorted { a, b in
            scores[a] != scores[b] ? scores[a] > scores[b] : a < b
        }
        #expect((0..<ranking.rankedCount).map { ranking.row(atPosition: $0) } == expected)
        // The scores as given, bit for bit: a −0 stays −0 beside a +0 it ties with.
        #expect((0..<ranking.rankedCount).allSatisfy {
            ranking.score(atPosition: $0).bitPattern == scores[expected[$0]].bitPattern
        })
        #expect(ranking.exclusions.missingScore == scores.count - expected.count)
        // The ranking keeps the attributes of the columns, not their row-ordered scores.
        #expect(ranking.columns.scores.isEmpty)
    }

    /// Ranked with its scores deferred, then gathered from the row-ordered ones: the same
    /// queue as ranking them at once, on any number of threads.
    @Test(arguments: [1, 2, 3])
    func scoresGatheredLaterAreTheSame(threads: Int) throws {
        let columns = randomColumns(rows: 150_000, seed: 31)
        let whole = try ScoreRanking(columns: columns, threads: threads)
        var deferred = try ScoreRanking(columns: columns, scoreRange: 0...1, threads: threads, deferringScores: true)
        #expect(deferred.scores.isEmpty && deferred.rows == whole.rows && deferred.labels == whole.labels)
        deferred.gatherScores(from: columns.scores, threads: threads)
        #expect(deferred.scores.map(\.bitPattern) == whole.scores.map(\.bitPattern))
        #expect(deferred.weights == whole.weights && deferred.exclusions == whole.exclusions)
        #expect(deferred.scores.count == columns.scores.filter { !$0.isNaN }.count)
    }

    /// Many rows in a narrow range, with ties: buckets large enough for the radix path,
    /// and one bucket of a single repeated score (an eighth of the rows, so the runs of
    /// buckets sorted on different threads are uneven). Any number of threads gives the
    /// same queue, labels included.
    @Test(arguments: [UInt64(11), 12], [1, 2, 3])
    func orderOfManyScoresIsScoreDescendingThenRowAscending(seed: UInt64, threads: Int) throws {
        var generator = SeededGenerator(seed: seed)
        let scores = (0..<200_000).map { _ -> Double in
            switch generator.next() % 8 {
            case 0: 0.5
            case 1: .nan
            default: 0.25 + (generator.nextUniform() * 1e5).rounded() / 1e6
            }
        }
        let labels = scores.indices.map { _ -> Double in
            switch generator.next() % 5 {
            case 0: .nan
            case 1, 2: 1
            default: 0
            }
        }
        let ranking = try ScoreRanking(columns: AuditColumns(scores: scores, labels: labels, attributes: []), scoreRange: nil,
                                       threads: threads)
        let expected = scores.indices.filter { !scores[$0].isNaN }.sorted { a, b in
            scores[a] != scores[b] ? scores[a] > scores[b] : a < b
        }
        #expect((0..<ranking.rankedCount).map { ranking.row(atPosition: $0) } == expected)
        #expect((0..<ranking.rankedCount).allSatisfy { ranking.score(atPosition: $0) == scores[expected[$0]] })
        #expect(ranking.labels == expected.map { labels[$0].isNaN ? ScoreRanking.missingLabel : UInt8(labels[$0]) })
    }

    /// A cluster of distinct scores that share their leading key bits with each other but
    /// not with a few far-off scores: one bucket of most rows, spread again by its own
    /// highest differing bits into sub-buckets too large for insertion (radix-sorted), with
    /// ties among them; and a bucket of a few dozen, sorted by insertion.
    @Test(arguments: [1, 2])
    func clusteredScoresAreRankedInOrder(threads: Int) throws {
        var generator = SeededGenerator(seed: 77)
        let scores = (0..<300_000).map { row -> Double in
            switch generator.next() % 100 {
            case 0: Double(generator.next() % 1_000_000)        // far above the cluster
            case 1: 0.3 + Double(generator.next() % 40) * 1e-15 // a few dozen near-ties
            default: 0.3 + (generator.nextUniform() * 1e6).rounded(.down) * 1e-13
            }
        }
        let ranking = try ScoreRanking(columns: AuditColumns(scores: scores, attributes: []), scoreRange: nil, threads: threads)
        let expected = scores.indices.sorted { a, b in scores[a] != scores[b] ? scores[a] > scores[b] : a < b }
        #expect((0..<ranking.rankedCount).map { ranking.row(atPosition: $0) } == expected)
    }

    /// 400,000 rows: the walk's gathered window (65,536 positions) is refilled, and the
    /// block of ±0 scores (about 67,000 rows) is longer than a window.
    @Test(arguments: [5_000, 400_000])
    func orderStatisticsAreThoseOfEachGroupsScoresSortedAscending(rowCount: Int) throws {
        var generator = SeededGenerator(seed: 21)
        var scores: [Double] = []
        var values: [String] = []
        for _ in 0..<rowCount {
            let kind = generator.next() % 6
            scores.append(kind == 0 ? .nan : kind == 1 ? (generator.next() % 2 == 0 ? 0.0 : -0.0)
                          : (generator.nextUniform() * 40).rounded() / 40)
            values.append(["a", "b", "c", ""][Int(generator.next() % 4)])
        }
        let attribute = SensitiveAttribute(name: "g", values: values)
        let ranking = try ScoreRanking(columns: AuditColumns(scores: scores, attributes: [attribute]), scoreRange: nil)
        // Groups a, b, c, then the missing values as a fourth.
        var sorted = [[Double]](repeating: [], count: 4)
        for row in scores.indices where !scores[row].isNaN {
            sorted[attribute.codes[row] < 0 ? 3 : Int(attribute.codes[row])].append(scores[row])
        }
        // A stable sort keeps equal scores — −0 and +0 among them — in row order.
        sorted = sorted.map { group in group.enumerated().sorted { ($0.element, $0.offset) < ($1.element, $1.offset) }.map(\.element) }
        let ranks = sorted.map { group in [1, 2, group.count / 3, group.count / 2 + 1, group.count - 1, group.count] }
        let found = ranking.ascendingOrderStatistics(codes: attribute.codes.wide, missingGroup: 3, ranks: ranks)
        for group in 0..<4 {
            let expected = ranks[group].map { sorted[group][$0 - 1] }
            #expect(found[group].map(\.bitPattern) == expected.map(\.bitPattern))
        }
        let withoutMissing = ranking.ascendingOrderStatistics(codes: attribute.codes.wide, missingGroup: nil,
                                                              ranks: Array(ranks[0..<3]))
        #expect(withoutMissing.map { $0.map(\.bitPattern) } == Array(found[0..<3]).map { $0.map(\.bitPattern) })
        // By attribute: its codes read at each row, then held in rank order — the same values.
        var kept = ranking
        for _ in 0..<2 {
            let byAttribute = kept.ascendingOrderStatistics(attribute: 0, missingGroup: 3, ranks: ranks)
            #expect(byAttribute.map { $0.map(\.bitPattern) } == found.map { $0.map(\.bitPattern) })
            let byAttributeWithoutMissing = kept.ascendingOrderStatistics(attribute: 0, missingGroup: nil, ranks: Array(ranks[0..<3]))
            #expect(byAttributeWithoutMissing.map { $0.map(\.bitPattern) } == withoutMissing.map { $0.map(\.bitPattern) })
            kept.keepAttributeCodesInRankOrder(threads: 3)
            #expect(kept.rankedCodes[0] != nil)
        }
    }

    /// Bin counts in one pass in rank order equal counting each row's bin by comparing
    /// its score with every cut: ties on a cut, −0 and +0, repeated cuts, a group without
    /// cuts, missing values as their own group or left out; codes read at each row or
    /// held in rank order.
    @Test func binCountsAreThoseOfEachRowsBin() throws {
        var generator = SeededGenerator(seed: 44)
        var scores: [Double] = []
        var values: [String] = []
        for _ in 0..<120_000 {
            let kind = generator.next() % 8
            scores.append(kind == 0 ? .nan : kind == 1 ? (generator.next() % 2 == 0 ? 0.0 : -0.0)
                          : (generator.nextUniform() * 20).rounded() / 20 - 0.25)
            values.append(["a", "b", "c", ""][Int(generator.next() % 4)])
        }
        let attribute = SensitiveAttribute(name: "g", values: values)
        let ranking = try ScoreRanking(columns: AuditColumns(scores: scores, attributes: [attribute]), scoreRange: nil)
        let cuts: [[Double]?] = [[-0.1, 0, 0, 0.25, 0.5], nil, [], [-0.0, 0.6]]
        func expected(missingGroup: Int?) -> [[Int]?] {
            var counts = cuts.map { $0.map { [Int](repeating: 0, count: $0.count + 1) } }
            for row in scores.indices where !scores[row].isNaN {
                let code = attribute.codes[row]
                guard let group = code < 0 ? missingGroup : Int(code), let groupCuts = cuts[group] else { continue }
                counts[group]![groupCuts.filter { scores[row] > $0 }.count] += 1
            }
            return counts
        }
        var kept = ranking
        kept.keepAttributeCodesInRankOrder(threads: 2)
        for missingGroup in [3, nil] {
            let want = expected(missingGroup: missingGroup)
            #expect(want[0]!.reduce(0, +) > 20_000)
            #expect(ranking.binCounts(attribute: 0, missingGroup: missingGroup, cuts: cuts) == want)
            #expect(kept.binCounts(attribute: 0, missingGroup: missingGroup, cuts: cuts) == want)
        }
    }

    /// Codes held in rank order give every grouping — an attribute, an intersection,
    /// missing values excluded or as their own group — the same groups and totals as
    /// codes read at each row, on any number of threads; an attribute with codes beyond
    /// 254 (300 values here) is read at each row in both.
    @Test(arguments: [1, 3])
    func groupingsReadFromCodesInRankOrderAreTheSame(threads: Int) throws {
        var generator = SeededGenerator(seed: 33)
        let rowCount = 150_000
        var scores: [Double] = []
        var labels: [Double] = []
        var weights: [Double] = []
        var small: [String] = []
        var wide: [String] = []
        for _ in 0..<rowCount {
            scores.append(generator.next() % 9 == 0 ? .nan : (generator.nextUniform() * 200).rounded() / 200)
            labels.append(generator.next() % 11 == 0 ? .nan : Double(generator.next() % 2))
            weights.append(Double(1 + generator.next() % 3))
            small.append(["x", "y", "z", ""][Int(generator.next() % 4)])
            wide.append(generator.next() % 13 == 0 ? "" : "w\(generator.next() % 300)")
        }
        let columns = AuditColumns(scores: scores, labels: labels, weights: weights,
                                   attributes: [SensitiveAttribute(name: "small", values: small),
                                                SensitiveAttribute(name: "wide", values: wide)])
        #expect(columns.attributes[1].levels.count == 300)
        let ranking = try ScoreRanking(columns: columns, scoreRange: nil, threads: threads)
        var kept = ranking
        kept.keepAttributeCodesInRankOrder(threads: threads)
        let smallCodes = try #require(kept.rankedCodes[0])
        #expect(kept.rankedCodes[1] == nil)
        #expect(smallCodes.count == ranking.rankedCount)
        for position in stride(from: 0, to: ranking.rankedCount, by: 97) {
            let code = columns.attributes[0].codes[ranking.row(atPosition: position)]
            #expect(smallCodes[position] == (code < 0 ? ScoreRanking.missingCode : UInt8(code)))
        }
        for attributes in [["small"], ["wide"], ["small", "wide"], ["wide", "small"]] {
            for policy in [MissingSensitivePolicy.ownGroup, .exclude] {
                let grouping = try Grouping(columns: columns, attributes: attributes, missingPolicy: policy)
                let read = ranking.grouped(by: grouping, threads: threads)
                let held = kept.grouped(by: grouping, threads: threads)
                #expect(held.codes == read.codes, "\(attributes) \(policy)")
                #expect(held.counts == read.counts)
                #expect(held.weights == read.weights)
                #expect(held.positiveWeights == read.positiveWeights)
                #expect(held.scoreSums.map(\.bitPattern) == read.scoreSums.map(\.bitPattern))
                #expect(held.exclusions == read.exclusions)
                #expect(read.counts.reduce(0, +) > rowCount / 2)
            }
        }
    }

    @Test func badRowsGiveTheSameErrorAsTheGroupMetrics() throws {
        let cases: [AuditColumns] = [
            columns(scores: [0.1, 0.2, 1.5, 0.3], labels: [0, 2, 1, 0], groups: ["a", "a", "b", "b"]),
            columns(scores: [0.1, 0.2, .infinity], labels: [0, 1, 1], groups: ["a", "a", "b"]),
            columns(scores: [0.1, 0.2, 0.3], labels: [0, 1, 1], groups: ["a", "a", "b"], weights: [1, 1, -1]),
            columns(scores: [0.1, 7, 0.3], labels: [0, 0.5, 1], groups: ["a", "a", "b"]),
        ]
        for columns in cases {
            let grouping = try Grouping(columns: columns, attributes: ["group"])
            var expected: FairleadError?
            do { _ = try GroupStats.accumulate(columns, rule: .threshold(0.5), grouping: grouping) } catch let error as FairleadError { expected = error }
            var actual: FairleadError?
            do { _ = try ScoreRanking(columns: columns) } catch let error as FairleadError { actual = error }
            #expect(actual != nil)
            #expect(actual == expected)
        }
    }

    @Test func rowsWithoutALabelHoldTheirPlaceButAreNotCounted() throws {
        let columns = columns(scores: [0.9, 0.8, 0.7, .nan], labels: [.nan, 1, 0, 1], groups: ["a", "b", "", "a"])
        let ranking = try ScoreRanking(columns: columns)
        #expect(ranking.rankedCount == 3)
        #expect(ranking.exclusions == ExclusionCounts(missingScore: 1, missingPrediction: 0, missingLabel: 1, missingSensitive: 0))
        let excluded = ranking.grouped(by: try Grouping(columns: columns, attributes: ["group"], missingPolicy: .exclude))
        #expect(excluded.exclusions.missingSensitive == 1)
        #expect(excluded.counts == [0, 1])
        let top = try TopKMetrics.compute(excluded, cutoffs: [.count(1), .count(2)])
        // The first position belongs to the unlabelled row: nothing counted in the top 1.
        #expect(top[0].byGroup.map(\.countInTopK) == [0, 0])
        #expect(top[0].ndkl == .undefined(.noPredictedPositives))
        #expect(top[1].byGroup.map(\.countInTopK) == [0, 1])
        let own = ranking.grouped(by: try Grouping(columns: columns, attributes: ["group"]))
        #expect(own.groups == [["a"], ["b"], ["unknown"]])
        #expect(own.counts == [0, 1, 1])
    }

    @Test(arguments: [UInt64(5), 6])
    func integerWeightsEqualRepeatedRowsForThresholdFreeMetrics(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        var scores: [Double] = []
        var labels: [Double] = []
        var groups: [String] = []
        var weights: [Double] = []
        for _ in 0..<1500 {
            scores.append((generator.nextUniform() * 50).rounded() / 50)
            labels.append(generator.nextUniform() < 0.4 ? 1 : 0)
            groups.append(["x", "y", "z"][Int(generator.next() % 3)])
            weights.append(Double(generator.next() % 4))
        }
        var repeatedScores: [Double] = []
        var repeatedLabels: [Double] = []
        var repeatedGroups: [String] = []
        for row in scores.indices {
            for _ in 0..<Int(weights[row]) {
                repeatedScores.append(scores[row])
                repeatedLabels.append(labels[row])
                repeatedGroups.append(groups[row])
            }
        }
        let weighted = try metrics(columns(scores: scores, labels: labels, groups: groups, weights: weights))
        let repeated = try metrics(columns(scores: repeatedScores, labels: repeatedLabels, groups: repeatedGroups))
        expectSame(weighted, repeated)
    }

    @Test func thresholdFreeMetricsDoNotDependOnRowOrder() throws {
        let columns = randomColumns(rows: 3000, seed: 8)
        var generator = SeededGenerator(seed: 9)
        let permutation = Array(0..<columns.rowCount).shuffled(using: &generator)
        let shuffled = AuditColumns(
            scores: permutation.map { columns.scores[$0] }, labels: columns.labels.map { labels in permutation.map { labels[$0] } },
            weights: columns.weights.map { weights in permutation.map { weights[$0] } },
            attributes: columns.attributes.map { attribute in
                SensitiveAttribute(name: attribute.name, codes: permutation.map { attribute.codes[$0] }, levels: attribute.levels)
            })
        expectSame(try metrics(columns, attributes: ["a", "b"]), try metrics(shuffled, attributes: ["a", "b"]))
    }

    private func metrics(_ columns: AuditColumns, attributes: [String] = ["group"]) throws -> RankingMetrics {
        let ranking = try ScoreRanking(columns: columns).grouped(by: try Grouping(columns: columns, attributes: attributes))
        return try RankingMetrics(ranking, configuration: .init(cutoffs: [], calibrationBins: 7,
                                                                sweepGrid: .uniform(count: 11), reference: .largest))
    }

    private func expectSame(_ a: RankingMetrics, _ b: RankingMetrics) {
        func same(_ x: [MetricValue], _ y: [MetricValue], _ what: String) {
            #expect(x.count == y.count, "\(what)")
            for (p, q) in zip(x, y) {
                #expect(p.undefinedReason == q.undefinedReason, "\(what)")
                #expect(close(p.number ?? 0, q.number ?? 0, tolerance: 1e-10), "\(what): \(p) vs \(q)")
            }
        }
        let groupCount = a.ranking.groupCount
        same(a.separation.auc, b.separation.auc, "AUC")
        same([a.separation.overallAUC], [b.separation.overallAUC], "overall AUC")
        same(a.separation.xaucVersusRest, b.separation.xaucVersusRest, "xAUC")
        same(a.separation.xaucRestVersus, b.separation.xaucRestVersus, "xAUC rest")
        same((0..<groupCount).flatMap { p in (0..<groupCount).map { a.separation.xauc(positivesOf: p, negativesOf: $0) } },
             (0..<groupCount).flatMap { p in (0..<groupCount).map { b.separation.xauc(positivesOf: p, negativesOf: $0) } }, "xAUC pairs")
        same(a.separation.ksVersusRest, b.separation.ksVersusRest, "KS")
        same(a.separation.wassersteinVersusRest, b.separation.wassersteinVersusRest, "Wasserstein")
        same(a.separation.ksVersusReference ?? [], b.separation.ksVersusReference ?? [], "KS reference")
        same(a.separation.wassersteinVersusReference ?? [], b.separation.wassersteinVersusReference ?? [], "Wasserstein reference")
        for (x, y) in zip(a.calibration.byGroup + [a.calibration.overall], b.calibration.byGroup + [b.calibration.overall]) {
            same([x.expectedCalibrationError, x.brierScore, x.calibrationInTheLarge],
                 [y.expectedCalibrationError, y.brierScore, y.calibrationInTheLarge], "calibration")
            same(x.bins.map(\.meanScore) + x.bins.map(\.observedRate), y.bins.map(\.meanScore) + y.bins.map(\.observedRate), "bins")
        }
        for rate in SweepRate.allCases {
            for group in 0..<groupCount {
                same(a.sweep.values(rate, group: group), b.sweep.values(rate, group: group), "sweep \(rate)")
            }
        }
    }
}
