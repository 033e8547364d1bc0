import Testing
@testable import FairleadCore

/// AUC, xAUC, KS and Wasserstein-1 per group against scikit-learn and scipy.
@Suite struct ScoreSeparationGoldenTests {
    @Test(arguments: RankingCase.all)
    func groupsMatchTheGoldenOrder(_ testCase: RankingCase) throws {
        let ranking = try testCase.grouped()
        #expect(ranking.groups.map(\.values) == testCase.golden.groups)
        #expect(ranking.counts == testCase.golden.counts)
    }

    @Test(arguments: RankingCase.all)
    func aucPerGroupMatchesRocAucScore(_ testCase: RankingCase) throws {
        let golden = testCase.golden
        let separation = try ScoreSeparation(testCase.grouped())
        #expect(goldenMismatch(separation.auc, golden.auc) == nil, "\(goldenMismatch(separation.auc, golden.auc) ?? "")")
        #expect(matchesGolden(separation.overallAUC, golden.overall_auc, tolerance: 1e-9))
    }

    @Test(arguments: RankingCase.all)
    func xaucMatchesRocAucScoreOnJoinedSides(_ testCase: RankingCase) throws {
        let golden = testCase.golden
        let separation = try ScoreSeparation(testCase.grouped())
        for a in golden.groups.indices {
            let row = golden.groups.indices.map { separation.xauc(positivesOf: a, negativesOf: $0) }
            #expect(goldenMismatch(row, golden.xauc[a]) == nil, "positives of \(golden.groups[a]): \(goldenMismatch(row, golden.xauc[a]) ?? "")")
        }
        #expect(goldenMismatch(separation.xaucVersusRest, golden.xauc_versus_rest) == nil,
                "\(goldenMismatch(separation.xaucVersusRest, golden.xauc_versus_rest) ?? "")")
        #expect(goldenMismatch(separation.xaucRestVersus, golden.xauc_rest_versus) == nil,
                "\(goldenMismatch(separation.xaucRestVersus, golden.xauc_rest_versus) ?? "")")
    }

    @Test(arguments: RankingCase.all)
    func distancesMatchScipy(_ testCase: RankingCase) throws {
        let golden = testCase.golden
        let separation = try ScoreSeparation(testCase.grouped(), reference: .named(GroupKey(golden.reference)))
        let wassersteinRest = goldenMismatch(separation.wassersteinVersusRest, golden.wasserstein_versus_rest)
        #expect(wassersteinRest == nil, "\(wassersteinRest ?? "")")
        let wassersteinReference = goldenMismatch(separation.wassersteinVersusReference ?? [], golden.wasserstein_versus_reference)
        #expect(wassersteinReference == nil, "\(wassersteinReference ?? "")")
        // ks_2samp takes no weights: the weighted cases have no KS golden.
        if !golden.weighted {
            let ksRest = goldenMismatch(separation.ksVersusRest, golden.ks_versus_rest)
            #expect(ksRest == nil, "\(ksRest ?? "")")
            let ksReference = goldenMismatch(separation.ksVersusReference ?? [], golden.ks_versus_reference)
            #expect(ksReference == nil, "\(ksReference ?? "")")
        }
    }

    @Test(arguments: RankingCase.all)
    func referenceGroupIsAtDistanceZeroFromItself(_ testCase: RankingCase) throws {
        let golden = testCase.golden
        let separation = try ScoreSeparation(testCase.grouped(), reference: .named(GroupKey(golden.reference)))
        let index = try #require(separation.referenceIndex)
        #expect(separation.ksVersusReference?[index] == .value(0))
        #expect(separation.wassersteinVersusReference?[index] == .value(0))
    }
}
