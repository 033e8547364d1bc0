/// The single pass behind ``ScoreSeparation``, over the queue's blocks of tied scores.
///
/// Walking scores downwards, after the block at score v the running weight C_g of each
/// group is Σw over its rows with score ≥ v, that is over scores > x for every x in
/// [next lower score, v). There F_g(x) = 1 − C_g / W_g, so F_g − F_o = C_o/W_o − C_g/W_g
/// is constant; its largest magnitude is the KS statistic and its magnitude times the
/// gap to the next score adds up to the Wasserstein-1 distance.
struct _SeparationPass {
    struct Result {
        var crossPairs: [Double]
        var overallPairs: Double
        var ksRest: [MetricValue]
        var wassersteinRest: [MetricValue]
        var ksReference: [MetricValue]?
        var wassersteinReference: [MetricValue]?
    }

    let ranking: GroupedRanking
    let referenceIndex: Int?

    func run() -> Result {
        let groupCount = ranking.groupCount
        let count = ranking.ranking.rankedCount
        let labeled = ranking.isLabeled
        let weights = ranking.weights
        let allWeight = weights.reduce(0, +)
        let inverse = weights.map { $0 > 0 ? 1 / $0 : 0 }
        let restInverse = weights.map { allWeight - $0 > 0 ? 1 / (allWeight - $0) : 0 }
        let reference = referenceIndex ?? -1
        let referenceInverse = reference >= 0 ? inverse[reference] : 0

        var crossPairs = [Double](repeating: 0, count: groupCount * groupCount)
        var positivesAbove = [Double](repeating: 0, count: groupCount)
        var blockPositives = [Double](repeating: 0, count: groupCount)
        var blockNegatives = [Double](repeating: 0, count: groupCount)
        var inBlock = [Bool](repeating: false, count: groupCount)
        var touched = [Int](repeating: 0, count: groupCount)
        var running = [Double](repeating: 0, count: groupCount)
        var ksRest = [Double](repeating: 0, count: groupCount)
        var areaRest = [Double](repeating: 0, count: groupCount)
        var ksReference = [Double](repeating: 0, count: groupCount)
        var areaReference = [Double](repeating: 0, count: groupCount)
        var overallPairs = 0.0
        var overallAbove = 0.0

        ranking.codes.withUnsafeBufferPointer { codes in
        ranking.ranking.scores.withUnsafeBufferPointer { scores in
        _withOptionalBuffer(ranking.ranking.labels) { labels in
        _withOptionalBuffer(ranking.ranking.weights) { rowWeights in
        crossPairs.withUnsafeMutableBufferPointer { cross in
        running.withUnsafeMutableBufferPointer { running in
            var touchedCount = 0
            var runningAll = 0.0
            var blockPositiveAll = 0.0
            var blockNegativeAll = 0.0
            for position in 0..<count {
                let code = codes[position]
                if code >= 0 {
                    let group = Int(code)
                    let weight = rowWeights?[position] ?? 1
                    running[group] += weight
                    runningAll += weight
                    if labeled {
                        if !inBlock[group] {
                            inBlock[group] = true
                            touched[touchedCount] = group
                            touchedCount += 1
                        }
                        if labels?[position] == 1 {
                            blockPositives[group] += weight
                            blockPositiveAll += weight
                        } else {
                            blockNegatives[group] += weight
                            blockNegativeAll += weight
                        }
                    }
                }
                let score = scores[position]
                let isLast = position + 1 == count
                if !isLast && scores[position + 1] == score { continue }

                if touchedCount > 0 {
                    for slot in 0..<touchedCount {
                        let negativeGroup = touched[slot]
                        let negatives = blockNegatives[negativeGroup]
                        if negatives == 0 { continue }
                        for positiveGroup in 0..<groupCount {
                            cross[positiveGroup * groupCount + negativeGroup] +=
                                negatives * (positivesAbove[positiveGroup] + 0.5 * blockPositives[positiveGroup])
                        }
                    }
                    for slot in 0..<touchedCount {
                        let group = touched[slot]
                        positivesAbove[group] += blockPositives[group]
                        blockPositives[group] = 0
                        blockNegatives[group] = 0
                        inBlock[group] = false
                    }
                    touchedCount = 0
                    overallPairs += blockNegativeAll * (overallAbove + 0.5 * blockPositiveAll)
                    overallAbove += blockPositiveAll
                    blockPositiveAll = 0
                    blockNegativeAll = 0
                }

                let gap = isLast ? 0 : score - scores[position + 1]
                let referenceShare = reference >= 0 ? running[reference] * referenceInverse : 0
                for group in 0..<groupCount {
                    let share = running[group] * inverse[group]
                    let restGap = abs((runningAll - running[group]) * restInverse[group] - share)
                    ksRest[group] = max(ksRest[group], restGap)
                    areaRest[group] += restGap * gap
                    if reference >= 0 {
                        let referenceGap = abs(referenceShare - share)
                        ksReference[group] = max(ksReference[group], referenceGap)
                        areaReference[group] += referenceGap * gap
                    }
                }
            }
        }
        }
        }
        }
        }
        }

        let restDefined: (Int) -> UndefinedReason? = { group in
            weights[group] == 0 || allWeight - weights[group] == 0 ? .emptyGroup : nil
        }
        let referenceDefined: (Int) -> UndefinedReason? = { group in
            weights[group] == 0 || weights[reference] == 0 ? .emptyGroup : nil
        }
        func values(_ numbers: [Double], _ undefined: (Int) -> UndefinedReason?) -> [MetricValue] {
            numbers.indices.map { group in undefined(group).map(MetricValue.undefined) ?? .value(numbers[group]) }
        }
        return Result(
            crossPairs: crossPairs, overallPairs: overallPairs,
            ksRest: values(ksRest, restDefined), wassersteinRest: values(areaRest, restDefined),
            ksReference: reference >= 0 ? values(ksReference, referenceDefined) : nil,
            wassersteinReference: reference >= 0 ? values(areaReference, referenceDefined) : nil)
    }
}
