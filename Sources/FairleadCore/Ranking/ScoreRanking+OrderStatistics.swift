extension ScoreRanking {
    /// Per group, the scores of given ranks among the group's ranked rows in ascending
    /// order of score — rank 1 is the lowest — with equal scores in row order: what
    /// indexing each group's scores sorted ascending (stably) gives, without sorting them
    /// again. The scores are the columns' own (a −0 stays −0).
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
        let missing = Int32(missingGroup ?? -1)
        seen.withUnsafeMutableBufferPointer { seenCounts in
        wanted.withUnsafeMutableBufferPointer { wantedRanks in
        codes.withUnsafeBufferPointer { codes in
            columns.scores.withUnsafeBufferPointer { columnScores in
                rows.withUnsafeBufferPointer { rows in
                    scores.withUnsafeBufferPointer { scores in
                        // Blocks of equal scores from the lowest up; each block in queue
                        // order, which is row order.
                        var end = scores.count
                        while end > 0 {
                            var start = end - 1
                            while start > 0 && scores[start - 1] == scores[end - 1] { start -= 1 }
                            for position in start..<end {
                                let row = Int(rows[position])
                                guard row < codes.count else { continue }
                                var code = codes[row]
                                if code < 0 { code = missing }
                                guard code >= 0 else { continue }
                                let group = Int(code)
                                precondition(group < groupCount, "group code \(group) beyond the \(groupCount) groups ranked")
                                seenCounts[group] += 1
                                guard seenCounts[group] == wantedRanks[group] else { continue }
                                let groupRanks = ranks[group]
                                while next[group] < groupRanks.count && groupRanks[next[group]] == seenCounts[group] {
                                    found[group].append(columnScores[row])
                                    next[group] += 1
                                }
                                wantedRanks[group] = next[group] < groupRanks.count ? groupRanks[next[group]] : Int.max
                            }
                            end = start
                        }
                    }
                }
            }
        }
        }
        }
        return found
    }
}
