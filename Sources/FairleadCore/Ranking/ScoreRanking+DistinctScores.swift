extension ScoreRanking {
    /// The distinct scores of the ranked rows, ascending (−0 and +0 as one).
    public var distinctScores: [Double] {
        var distinct: [Double] = []
        for score in scores.reversed() where distinct.last != score { distinct.append(score) }
        return distinct
    }
}
