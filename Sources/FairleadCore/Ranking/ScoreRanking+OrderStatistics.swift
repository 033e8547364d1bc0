extension ScoreRanking {
    /// Per group, the scores of given ranks among the group's ranked rows in ascending
    /// order of score — rank 1 is the lowest — with equal scores in row order: what
    /// indexing each group's scores sorted ascending (stably) gives, without sorting them
    /// again. The scores are the columns' own (a −0 stays −0: the queue holds them as given).
    ///
    ///     // The median score of each gender (groups of odd size).
    ///     let medians = ranking.ascendingOrderStatistics(codes: gender.codes, missingGroup: nil,
    ///                                                    ranks: counts.map { [($0 + 1) / 2] })
    ///
    /// - Parameters:
    ///   - codes: a group index per row of ``columns``; a negative code is a missing value,
    ///     and rows past the last code are left out.
    ///   - missingGroup: the group rows with a missing value belong to; `nil` leaves them out.
    ///   - ranks: per group, ascending 1-based ranks, each at most the group's number of
    ///     ranked rows (rows with a score).
    /// - Returns: per group, the score at each of its ranks.
    public func ascendingOrderStatistics(codes: [Int32], missingGroup: Int?, ranks: [[Int]]) -> [[Double]] {
        codes.withUnsafeBufferPointer { ascendingOrderStatistics(gathering: $0, missingGroup: missingGroup, ranks: ranks) }
    }

    /// ``ascendingOrderStatistics(codes:missingGroup:ranks:)`` of codes held as bytes or `Int32`s.
    private func ascendingOrderStatistics<Code: AttributeCodeUnit>(gathering codes: UnsafeBufferPointer<Code>,
                                                                   missingGroup: Int?, ranks: [[Int]]) -> [[Double]] {
        let missing = Int32(missingGroup ?? -1)
        return rows.withUnsafeBufferPointer { rows in
            orderStatistics(ranks: ranks) { positions, gathered in
                for position in positions {
                    let row = Int(rows[position])
                    let code = row < codes.count ? codes[row].attributeCode : -1
                    gathered[position - positions.lowerBound] = code < 0 ? missing : code
                }
            }
        }
    }

    /// ``ascendingOrderStatistics(codes:missingGroup:ranks:)`` of the codes of
    /// `columns.attributes[attribute]`, read in rank order when
    /// ``keepAttributeCodesInRankOrder(threads:)`` has gathered them: the same values.
    public func ascendingOrderStatistics(attribute: Int, missingGroup: Int?, ranks: [[Int]]) -> [[Double]] {
        guard let ranked = rankedCodes[attribute] else {
            return columns.attributes[attribute].codes.withCodeBuffer(
                narrow: { ascendingOrderStatistics(gathering: $0, missingGroup: missingGroup, ranks: ranks) },
                wide: { ascendingOrderStatistics(gathering: $0, missingGroup: missingGroup, ranks: ranks) })
        }
        let missing = Int32(missingGroup ?? -1)
        return ranked.withUnsafeBufferPointer { bytes in
            orderStatistics(ranks: ranks) { positions, gathered in
                for position in positions {
                    let code = bytes[position]
                    gathered[position - positions.lowerBound] = code == Self.missingCode ? missing : Int32(code)
                }
            }
        }
    }

    /// The walk of both: `gather(positions, into)` writes each position's group (negative:
    /// none) into `into`, from its start.
    private func orderStatistics(ranks: [[Int]],
                                 gather gatherGroups: (Range<Int>, UnsafeMutableBufferPointer<Int32>) -> Void) -> [[Double]] {
        let groupCount = ranks.count
        var found = ranks.map { group -> [Double] in
            var values: [Double] = []
            values.reserveCapacity(group.count)
            return values
        }
        var seen = [Int](repeating: 0, count: groupCount)
        var next = [Int](repeating: 0, count: groupCount)
        // The rank each group waits for next (Int.max when it has all it asked for): the
        // loop over every ranked row compares one number per row and reaches into the
        // nested `ranks` and `found` arrays only at the few ranks asked for. (Reaching
        // into them on every row — a retain and a release of the inner arrays each —
        // made this walk 27% of a 10M-lead audit's CPU time, perf.)
        var wanted = ranks.map { $0.first ?? Int.max }
        // Each position's group is gathered first, a window of positions at a time, in a
        // loop with nothing else in it, so that many of its cache-missing loads (a row's
        // code, at a random row) are in flight at once; the walk then reads the window in
        // order. (Gathered inside the walk, behind its per-row branches, they were most of
        // its time: perf, 10M rows.) The window bounds the memory: 256 KiB, not a code per
        // ranked row.
        let window = 1 << 16
        let gathered = UnsafeMutableBufferPointer<Int32>.allocate(capacity: window)
        defer { gathered.deallocate() }
        seen.withUnsafeMutableBufferPointer { seenCounts in
        wanted.withUnsafeMutableBufferPointer { wantedRanks in
            scores.withUnsafeBufferPointer { scores in
                // Positions windowStart..<windowEnd are in `gathered`.
                var windowStart = 0
                var windowEnd = 0
                func gather(_ positions: Range<Int>) {
                    gatherGroups(positions, gathered)
                    windowStart = positions.lowerBound
                    windowEnd = positions.upperBound
                }
                // Blocks of equal scores from the lowest up; each block in queue
                // order, which is row order.
                var end = scores.count
                while end > 0 {
                    var start = end - 1
                    while start > 0 && scores[start - 1] == scores[end - 1] { start -= 1 }
                    for position in start..<end {
                        if position < windowStart || position >= windowEnd {
                            // The window ending at the block's end, which also
                            // holds the blocks below it; a block longer than a
                            // window, a window at a time upward.
                            gather(end - start <= window ? max(0, end - window)..<end : position..<min(end, position + window))
                        }
                        let code = gathered[position - windowStart]
                        guard code >= 0 else { continue }
                        let group = Int(code)
                        precondition(group < groupCount, "group code \(group) beyond the \(groupCount) groups ranked")
                        seenCounts[group] += 1
                        guard seenCounts[group] == wantedRanks[group] else { continue }
                        let groupRanks = ranks[group]
                        while next[group] < groupRanks.count && groupRanks[next[group]] == seenCounts[group] {
                            found[group].append(scores[position])
                            next[group] += 1
                        }
                        wantedRanks[group] = next[group] < groupRanks.count ? groupRanks[next[group]] : Int.max
                    }
                    end = start
                }
            }
        }
        }
        return found
    }
}
