/// The single pass behind ``ScoreSeparation``, over the queue's blocks of tied scores.
///
/// Walking scores downwards, after the block at score v the running weight C_g of each
/// group is Σw over its rows with score ≥ v, that is over scores > x for every x in
/// [next lower score, v). There F_g(x) = 1 − C_g / W_g, so F_g − F_o = C_o/W_o − C_g/W_g
/// is constant; its largest magnitude is the KS statistic and its magnitude times the
/// gap to the next score adds up to the Wasserstein-1 distance.
struct _SeparationPass {
    struct Result {
        /// [a · groups + b] as in ``ScoreSeparation``; `nil` above ``denseGroupLimit`` groups.
        var crossPairs: [Double]?
        /// Per group: pairs of its positives with its negatives.
        var ownPairs: [Double]
        /// Per group: pairs of its positives with the other groups' negatives.
        var outwardPairs: [Double]
        /// Per group: pairs of the other groups' positives with its negatives.
        var inwardPairs: [Double]
        var overallPairs: Double
        var ksRest: [MetricValue]
        var wassersteinRest: [MetricValue]
        var ksReference: [MetricValue]?
        var wassersteinReference: [MetricValue]?
    }

    let ranking: GroupedRanking
    let referenceIndex: Int?

    /// Up to this many groups the pass keeps the table of every pair of groups and walks
    /// all groups at every block of tied scores: O(n + blocks × groups) time and
    /// O(groups²) space, the fastest for the few groups of an audit. Above it the pass
    /// walks each group's own blocks only (``runSparse()``): O(n log n) time and O(n +
    /// groups) space, so that thousands of groups cost what a few do.
    static let denseGroupLimit = 64

    func run() -> Result {
        ranking.groupCount <= Self.denseGroupLimit ? runDense() : runSparse()
    }

    /// Scratch rows of `groups` doubles each, in one allocation; a position's work touches
    /// several of them, and unchecked pointers keep the per-block loops tight.
    private struct Scratch {
        static let rowNames = 10
        let storage: UnsafeMutableBufferPointer<Double>
        let groups: Int

        init(groups: Int) {
            self.groups = groups
            storage = .allocate(capacity: Self.rowNames * groups)
            storage.initialize(repeating: 0)
        }

        func row(_ index: Int) -> UnsafeMutableBufferPointer<Double> {
            UnsafeMutableBufferPointer(rebasing: storage[(index * groups)..<((index + 1) * groups)])
        }

        func array(_ index: Int) -> [Double] { Array(row(index)) }

        func release() { storage.deallocate() }
    }

    func runDense() -> Result {
        let groupCount = ranking.groupCount
        let count = ranking.ranking.rankedCount
        let labeled = ranking.isLabeled
        let weights = ranking.weights
        let allWeight = weights.reduce(0, +)
        let reference = referenceIndex ?? -1

        let scratch = Scratch(groups: max(1, groupCount))
        defer { scratch.release() }
        let inverse = scratch.row(0)
        let restInverse = scratch.row(1)
        let positivesAbove = scratch.row(2)
        let blockPositives = scratch.row(3)
        let blockNegatives = scratch.row(4)
        let running = scratch.row(5)
        let ksRest = scratch.row(6)
        let areaRest = scratch.row(7)
        let ksReference = scratch.row(8)
        let areaReference = scratch.row(9)
        for group in 0..<groupCount {
            inverse[group] = weights[group] > 0 ? 1 / weights[group] : 0
            restInverse[group] = allWeight - weights[group] > 0 ? 1 / (allWeight - weights[group]) : 0
        }
        let referenceInverse = reference >= 0 ? inverse[reference] : 0
        var crossPairs = [Double](repeating: 0, count: groupCount * groupCount)
        var touched = [Int](repeating: 0, count: groupCount)
        var inBlock = [Bool](repeating: false, count: groupCount)
        var overallPairs = 0.0

        ranking.withGroupCodes { codes in
            ranking.ranking.scores.withUnsafeBufferPointer { scores in
                _withOptionalBuffer(ranking.ranking.labels) { labels in
                    _withOptionalBuffer(ranking.ranking.weights) { rowWeights in
                        crossPairs.withUnsafeMutableBufferPointer { cross in
                            touched.withUnsafeMutableBufferPointer { touched in
                                inBlock.withUnsafeMutableBufferPointer { inBlock in
                                    var touchedCount = 0
                                    var runningAll = 0.0
                                    var blockPositiveAll = 0.0
                                    var blockNegativeAll = 0.0
                                    var overallAbove = 0.0
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

                                        // The block ends: credit its negatives, then move its positives above.
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

                                        // A plain comparison, not max(_:_:): no NaN can occur, and the
                                        // NaN-aware form costs more than the rest of the loop.
                                        let gap = isLast ? 0 : score - scores[position + 1]
                                        if reference >= 0 {
                                            let referenceShare = running[reference] * referenceInverse
                                            for group in 0..<groupCount {
                                                let share = running[group] * inverse[group]
                                                let restGap = abs((runningAll - running[group]) * restInverse[group] - share)
                                                ksRest[group] = restGap > ksRest[group] ? restGap : ksRest[group]
                                                areaRest[group] += restGap * gap
                                                let referenceGap = abs(referenceShare - share)
                                                ksReference[group] = referenceGap > ksReference[group] ? referenceGap : ksReference[group]
                                                areaReference[group] += referenceGap * gap
                                            }
                                        } else {
                                            for group in 0..<groupCount {
                                                let share = running[group] * inverse[group]
                                                let restGap = abs((runningAll - running[group]) * restInverse[group] - share)
                                                ksRest[group] = restGap > ksRest[group] ? restGap : ksRest[group]
                                                areaRest[group] += restGap * gap
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        var own: [Double] = []
        var outward: [Double] = []
        var inward: [Double] = []
        for group in 0..<groupCount {
            own.append(crossPairs[group * groupCount + group])
            var out = 0.0
            var into = 0.0
            for other in 0..<groupCount where other != group {
                out += crossPairs[group * groupCount + other]
                into += crossPairs[other * groupCount + group]
            }
            outward.append(out)
            inward.append(into)
        }
        return finish(crossPairs: crossPairs, own: own, outward: outward, inward: inward, overallPairs: overallPairs,
                      ksRest: scratch.array(6), areaRest: scratch.array(7),
                      ksReference: scratch.array(8), areaReference: scratch.array(9))
    }

    /// The result from the pass's sums: a distance is undefined when either side has no weight.
    func finish(crossPairs: [Double]?, own: [Double], outward: [Double], inward: [Double], overallPairs: Double,
                ksRest: [Double], areaRest: [Double], ksReference: [Double], areaReference: [Double]) -> Result {
        let weights = ranking.weights
        let allWeight = weights.reduce(0, +)
        let reference = referenceIndex ?? -1
        func values(_ numbers: [Double], comparedWith other: (Int) -> Double) -> [MetricValue] {
            numbers.indices.map { group in
                weights[group] == 0 || other(group) == 0 ? .undefined(.emptyGroup) : .value(numbers[group])
            }
        }
        let rest = { (group: Int) in allWeight - weights[group] }
        let referenceWeight = { (_: Int) in reference >= 0 ? weights[reference] : 0 }
        return Result(
            crossPairs: crossPairs, ownPairs: own, outwardPairs: outward, inwardPairs: inward,
            overallPairs: overallPairs,
            ksRest: values(ksRest, comparedWith: rest),
            wassersteinRest: values(areaRest, comparedWith: rest),
            ksReference: reference >= 0 ? values(ksReference, comparedWith: referenceWeight) : nil,
            wassersteinReference: reference >= 0 ? values(areaReference, comparedWith: referenceWeight) : nil)
    }
}
