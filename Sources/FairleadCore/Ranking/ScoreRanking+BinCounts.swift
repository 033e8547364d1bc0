extension ScoreRanking {
    /// Per group of `columns.attributes[attribute]`: how many of its ranked rows' scores
    /// fall in each bin of `cuts[group]` (ascending): bin 0 holds the scores ≤ `cuts[0]`,
    /// bin j those in (`cuts[j−1]`, `cuts[j]`], the last bin those above the last cut.
    /// A group without cuts (`nil`) gets no counts.
    ///
    ///     // Each gender's ranked rows below and above its median.
    ///     let counts = ranking.binCounts(attribute: 0, missingGroup: nil, cuts: medians.map { [$0] })
    ///
    /// One pass in rank order: scores descend, so each group's bin only moves down, and
    /// each row costs one comparison with its group's current cut (rather than a search
    /// of the cuts). Codes held in rank order (``keepAttributeCodesInRankOrder(threads:)``)
    /// are read in order; otherwise each position's code is read at its row.
    ///
    /// - Parameters:
    ///   - missingGroup: the group rows with a missing value belong to; `nil` leaves them out.
    ///   - cuts: per group, ascending cut points, or `nil`.
    public func binCounts(attribute: Int, missingGroup: Int?, cuts: [[Double]?]) -> [[Int]?] {
        let groupCount = cuts.count
        // Flat: a group's cuts after the previous group's, and its bins likewise.
        var cutStarts = [Int](repeating: 0, count: groupCount + 1)
        var binStarts = [Int](repeating: 0, count: groupCount + 1)
        for (group, groupCuts) in cuts.enumerated() {
            cutStarts[group + 1] = cutStarts[group] + (groupCuts?.count ?? 0)
            binStarts[group + 1] = binStarts[group] + (groupCuts.map { $0.count + 1 } ?? 0)
        }
        let flatCuts = cuts.flatMap { $0 ?? [] }
        var flatCounts = [Int](repeating: 0, count: binStarts[groupCount])
        // Per group: its current bin, from the highest down; -1 for a group without cuts.
        var current = cuts.map { $0?.count ?? -1 }
        let missing = missingGroup ?? -1
        let codes = columns.attributes[attribute].codes
        let held = rankedCodes[attribute]
        flatCounts.withUnsafeMutableBufferPointer { counts in
        current.withUnsafeMutableBufferPointer { current in
        flatCuts.withUnsafeBufferPointer { flatCuts in
        cutStarts.withUnsafeBufferPointer { cutStarts in
        binStarts.withUnsafeBufferPointer { binStarts in
        scores.withUnsafeBufferPointer { scores in
            func count(_ group: Int, _ score: Double) {
                guard group >= 0 else { return }
                precondition(group < groupCount, "group code \(group) beyond the \(groupCount) groups given cuts")
                var bin = current[group]
                guard bin >= 0 else { return }
                let base = cutStarts[group] - 1
                while bin > 0 && !(score > flatCuts[base + bin]) { bin -= 1 }
                current[group] = bin
                counts[binStarts[group] + bin] += 1
            }
            if let held {
                held.withUnsafeBufferPointer { held in
                    for position in 0..<scores.count {
                        let code = held[position]
                        count(code == Self.missingCode ? missing : Int(code), scores[position])
                    }
                }
            } else {
                rows.withUnsafeBufferPointer { rows in
                    func gather<Code: AttributeCodeUnit>(_ codes: UnsafeBufferPointer<Code>) {
                        for position in 0..<scores.count {
                            let code = codes[Int(rows[position])].attributeCode
                            count(code < 0 ? missing : Int(code), scores[position])
                        }
                    }
                    codes.withCodeBuffer(narrow: gather, wide: gather)
                }
            }
        }
        }
        }
        }
        }
        }
        return cuts.indices.map { group in
            cuts[group].map { _ in Array(flatCounts[binStarts[group]..<binStarts[group + 1]]) }
        }
    }
}
