/// The separation pass for many groups: no groups × groups table, and no walk over every
/// group at every block of tied scores.
///
/// Between two of its own blocks a group's running weight C_g stays put while the rest's
/// and the reference's grow, so on such a stretch of blocks F_g − F_rest and F_g − F_ref
/// move one way only. Their largest magnitude is at one end of the stretch, and the
/// integral of their magnitude over the stretch splits where they change sign — found by a
/// binary search — into two integrals of a running weight over score gaps, which prefix
/// sums over the blocks give at once. So each group costs its own rows plus a binary
/// search per block it appears in: O(n log n) time and O(n + groups) space in all.
///
/// The Kolmogorov–Smirnov values are those of the dense pass to the bit (the same
/// expression at the same blocks); the Wasserstein integrals and the pair counts are sums
/// in another order, equal up to rounding (`SeparationPassTests` compares the two).
extension _SeparationPass {
    func runSparse() -> Result {
        let groupCount = ranking.groupCount
        let count = ranking.ranking.rankedCount
        let labeled = ranking.isLabeled
        let weights = ranking.weights
        let allWeight = weights.reduce(0, +)
        let allNegative = ranking.negativeWeights.reduce(0, +)
        let reference = referenceIndex ?? -1

        var inverse = [Double](repeating: 0, count: groupCount)
        var restInverse = [Double](repeating: 0, count: groupCount)
        for group in 0..<groupCount {
            inverse[group] = weights[group] > 0 ? 1 / weights[group] : 0
            restInverse[group] = allWeight - weights[group] > 0 ? 1 / (allWeight - weights[group]) : 0
        }
        let referenceInverse = reference >= 0 ? inverse[reference] : 0

        // Per block of tied scores, in queue order: its score, and after it the running
        // weight of all counted rows and of the reference group.
        var blockScores: [Double] = []
        var runningAfter: [Double] = []
        var referenceAfter: [Double] = []
        var own = [Double](repeating: 0, count: groupCount)
        var allPositivesAbove = [Double](repeating: 0, count: groupCount)
        var aboveAllNegatives = [Double](repeating: 0, count: groupCount)
        var overallPairs = 0.0

        ranking.withGroupCodes { codes in
            ranking.ranking.scores.withUnsafeBufferPointer { scores in
                _withOptionalBuffer(ranking.ranking.labels) { labels in
                    _withOptionalBuffer(ranking.ranking.weights) { rowWeights in
                        var running = [Double](repeating: 0, count: groupCount)
                        var positivesAbove = [Double](repeating: 0, count: groupCount)
                        var blockPositives = [Double](repeating: 0, count: groupCount)
                        var blockNegatives = [Double](repeating: 0, count: groupCount)
                        var inBlock = [Bool](repeating: false, count: groupCount)
                        var touched: [Int] = []
                        var runningAll = 0.0
                        var blockPositiveAll = 0.0
                        var blockNegativeAll = 0.0
                        var overallAbove = 0.0
                        var negativesAbove = 0.0
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
                                        touched.append(group)
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
                            if position + 1 < count && scores[position + 1] == score { continue }

                            // The block ends: each group's pairs with itself and with everyone.
                            let negativesBelow = allNegative - negativesAbove - blockNegativeAll
                            for group in touched {
                                let positives = blockPositives[group]
                                let negatives = blockNegatives[group]
                                own[group] += negatives * (positivesAbove[group] + 0.5 * positives)
                                allPositivesAbove[group] += negatives * (overallAbove + 0.5 * blockPositiveAll)
                                aboveAllNegatives[group] += positives * (negativesBelow + 0.5 * blockNegativeAll)
                                positivesAbove[group] += positives
                                blockPositives[group] = 0
                                blockNegatives[group] = 0
                                inBlock[group] = false
                            }
                            touched.removeAll(keepingCapacity: true)
                            overallPairs += blockNegativeAll * (overallAbove + 0.5 * blockPositiveAll)
                            overallAbove += blockPositiveAll
                            negativesAbove += blockNegativeAll
                            blockPositiveAll = 0
                            blockNegativeAll = 0

                            blockScores.append(score)
                            runningAfter.append(runningAll)
                            referenceAfter.append(reference >= 0 ? running[reference] : 0)
                        }
                    }
                }
            }
        }

        let blocks = Stretches(scores: blockScores, running: runningAfter, reference: referenceAfter)
        var ksRest = [Double](repeating: 0, count: groupCount)
        var areaRest = [Double](repeating: 0, count: groupCount)
        var ksReference = [Double](repeating: 0, count: groupCount)
        var areaReference = [Double](repeating: 0, count: groupCount)
        // C_g is constant on blocks lo...hi: fold that stretch into the group's values.
        func close(_ group: Int, _ lo: Int, _ hi: Int, _ held: Double) {
            guard lo <= hi else { return }
            let share = held * inverse[group]
            let rest = { (block: Int) in (runningAfter[block] - held) * restInverse[group] - share }
            let restGap = max(abs(rest(lo)), abs(rest(hi)))
            ksRest[group] = restGap > ksRest[group] ? restGap : ksRest[group]
            areaRest[group] += blocks.area(lo, hi, sign: rest) { sum, span in
                (sum.running - held * span) * restInverse[group] - share * span
            }
            guard reference >= 0, group != reference else { return }
            let versus = { (block: Int) in referenceAfter[block] * referenceInverse - share }
            let referenceGap = max(abs(versus(lo)), abs(versus(hi)))
            ksReference[group] = referenceGap > ksReference[group] ? referenceGap : ksReference[group]
            areaReference[group] += blocks.area(lo, hi, sign: versus) { sum, span in
                sum.reference * referenceInverse - share * span
            }
        }

        // A second walk: each group's stretches, from one of its blocks to the next.
        ranking.withGroupCodes { codes in
            ranking.ranking.scores.withUnsafeBufferPointer { scores in
                _withOptionalBuffer(ranking.ranking.weights) { rowWeights in
                    var running = [Double](repeating: 0, count: groupCount)
                    // Per group: the first block of its current stretch, and the last block it was seen in.
                    var stretchStart = [Int](repeating: 0, count: groupCount)
                    var lastSeen = [Int](repeating: -1, count: groupCount)
                    var block = 0
                    for position in 0..<count {
                        let code = codes[position]
                        if code >= 0 {
                            let group = Int(code)
                            if lastSeen[group] != block {
                                // The group's first row in this block: its stretch before it ends.
                                close(group, stretchStart[group], block - 1, running[group])
                                stretchStart[group] = block
                                lastSeen[group] = block
                            }
                            running[group] += rowWeights?[position] ?? 1
                        }
                        if position + 1 < count && scores[position + 1] == scores[position] { continue }
                        block += 1
                    }
                    for group in 0..<groupCount {
                        close(group, stretchStart[group], block - 1, running[group])
                    }
                }
            }
        }
        return finish(crossPairs: nil, own: own,
                      outward: zip(aboveAllNegatives, own).map { $0 - $1 },
                      inward: zip(allPositivesAbove, own).map { $0 - $1 },
                      overallPairs: overallPairs,
                      ksRest: ksRest, areaRest: areaRest, ksReference: ksReference, areaReference: areaReference)
    }

    /// Pairs of `a`'s positives with `b`'s negatives, ranked above = 1, tied = ½, in one
    /// walk of the queue: the entry of the dense pass's table, the same sums in the same order.
    static func pairs(_ ranking: GroupedRanking, positivesOf a: Int, negativesOf b: Int) -> Double {
        guard ranking.isLabeled else { return 0 }
        let count = ranking.ranking.rankedCount
        var pairs = 0.0
        ranking.withGroupCodes { codes in
            ranking.ranking.scores.withUnsafeBufferPointer { scores in
                _withOptionalBuffer(ranking.ranking.labels) { labels in
                    _withOptionalBuffer(ranking.ranking.weights) { rowWeights in
                        var positivesAbove = 0.0
                        var blockPositives = 0.0
                        var blockNegatives = 0.0
                        for position in 0..<count {
                            let group = Int(codes[position])
                            if group == a || group == b {
                                let weight = rowWeights?[position] ?? 1
                                let positive = labels?[position] == 1
                                if positive && group == a { blockPositives += weight }
                                if !positive && group == b { blockNegatives += weight }
                            }
                            if position + 1 < count && scores[position + 1] == scores[position] { continue }
                            if blockNegatives != 0 { pairs += blockNegatives * (positivesAbove + 0.5 * blockPositives) }
                            positivesAbove += blockPositives
                            blockPositives = 0
                            blockNegatives = 0
                        }
                    }
                }
            }
        }
        return pairs
    }
}

/// The blocks of a queue with prefix sums of the running weights over the score gaps, for
/// integrals over any stretch of blocks.
private struct Stretches {
    struct Sums {
        var running: Double
        var reference: Double
    }

    let scores: [Double]
    /// [k]: Σ over blocks j < k of (running weight after j) × (score of j − score of j+1);
    /// compensated sums, so each is the exact prefix rounded once.
    let runningArea: [Double]
    let referenceArea: [Double]

    init(scores: [Double], running: [Double], reference: [Double]) {
        self.scores = scores
        runningArea = Self.prefix(running, scores)
        referenceArea = Self.prefix(reference, scores)
    }

    private static func prefix(_ values: [Double], _ scores: [Double]) -> [Double] {
        var result = [Double](repeating: 0, count: values.count + 1)
        var sum = 0.0
        var compensation = 0.0
        for block in values.indices {
            let gap = block + 1 < scores.count ? scores[block] - scores[block + 1] : 0
            let term = values[block] * gap
            let next = sum + term
            compensation += abs(sum) >= abs(term) ? (sum - next) + term : (term - next) + sum
            sum = next
            result[block + 1] = sum + compensation
        }
        return result
    }

    /// Σ over blocks lo...hi of |f(block)| × gap, f non-decreasing over them; `integral`
    /// gives Σ f × gap over a sub-stretch from its sums and its score span.
    func area(_ lo: Int, _ hi: Int, sign f: (Int) -> Double, integral: (Sums, Double) -> Double) -> Double {
        // The first block of the stretch where f ≥ 0.
        var low = lo
        var high = hi + 1
        while low < high {
            let middle = (low + high) / 2
            if f(middle) >= 0 { high = middle } else { low = middle + 1 }
        }
        let split = low
        func part(_ from: Int, _ to: Int) -> Double {
            guard from < to else { return 0 }
            let span = scores[from] - scores[min(to, scores.count - 1)]
            let sums = Sums(running: runningArea[to] - runningArea[from], reference: referenceArea[to] - referenceArea[from])
            return integral(sums, span)
        }
        return max(0, -part(lo, split)) + max(0, part(split, hi + 1))
    }
}
