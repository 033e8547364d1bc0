import FairleadCore

/// The relations between a part's groupings, decisions and score histograms: every one
/// of them counts the same rows, so what one says about a group the others must say too.
/// A part altered in one place only (positives moved between groups in one grouping, a
/// histogram's rows moved to another group) is refused here; one altered consistently
/// everywhere cannot be told from a real one (docs/scale.md).
extension StatisticsPart {
    /// The per-cell sums `[count, Σw, Σw², Σw scored, Σw·score]` of each cell TP, FP, TN, FN.
    fileprivate typealias Cells = [[Double]]

    /// Checks, after each grouping's own checks:
    /// - within a decision, every grouping leaves out the same rows for a missing score,
    ///   prediction or label, and lists its attributes' levels as their own groupings do;
    /// - every listed level (and `has_missing`) has rows, or rows left out before grouping
    ///   (or for want of consent) that could hold it — a read of rows lists no other level;
    /// - within a decision, an attribute's groups equal the intersections' groups summed
    ///   over the other attributes, cell by cell (at most, where the intersection leaves
    ///   out rows missing another attribute);
    /// - decisions that leave out the same rows give each group the same size, positives
    ///   and sums, and a decision leaving out more gives no group more rows;
    /// - each group's score-histogram rows and sums are its rows with a score in a
    ///   decision by threshold;
    /// - every score histogram holds each scored row once, in its score's cell, and an
    ///   intersection's histogram at most the rows of its attributes' own, cell by cell.
    ///
    /// Counts must agree exactly, sums of floating-point terms to a relative 10⁻⁹.
    func checkConsistency(fail: (String) -> FairleadError) throws {
        let scoreMagnitude = scores.map { Swift.max(abs($0.min), abs($0.max)) } ?? 0
        let budgetOutside = withoutConsent ?? 0
        for decision in decisions {
            let place = "decision \(decision.name)"
            guard let first = decision.groupings.first else { continue }
            for grouping in decision.groupings.dropFirst() {
                let (a, b) = (first.excluded, grouping.excluded)
                guard (a.missingScore, a.missingPrediction, a.missingLabel) == (b.missingScore, b.missingPrediction, b.missingLabel) else {
                    throw fail("\(place): \(Self.name(grouping)) leaves out \(b.missingScore), \(b.missingPrediction) and \(b.missingLabel) rows for a missing score, prediction and label, but \(Self.name(first)) \(a.missingScore), \(a.missingPrediction) and \(a.missingLabel); every grouping of a decision counts the same rows")
                }
            }
            for grouping in decision.groupings {
                for (position, attribute) in grouping.attributes.enumerated() {
                    guard let own = decision.groupings.first(where: { $0.attributes == [attribute] }) else { continue }
                    guard Self.sameSpelling(grouping.levels[position], own.levels[0]), grouping.hasMissing[position] == own.hasMissing[0] else {
                        throw fail("\(place), \(Self.name(grouping)): the levels of \(attribute) are not those of the grouping \(attribute); every grouping lists its attributes' levels as their own groupings do")
                    }
                }
            }
            for grouping in decision.groupings where grouping.attributes.count == 1 {
                try grouping.checkLevelsHaveRows(outside: budgetOutside, where: "\(place), \(Self.name(grouping))", fail: fail)
            }
            for intersection in decision.groupings where intersection.attributes.count > 1 {
                try checkMarginals(of: intersection, in: decision, scoreMagnitude: scoreMagnitude, fail: fail)
            }
        }
        try checkAcrossDecisions(scoreMagnitude: scoreMagnitude, fail: fail)
        try checkHistograms(scoreMagnitude: scoreMagnitude, fail: fail)
        try checkHistogramMarginals(fail: fail)
    }

    /// Each attribute of `intersection` against the attribute's own grouping, cell by cell.
    private func checkMarginals(of intersection: GroupingPart, in decision: Decision, scoreMagnitude: Double,
                                fail: (String) -> FairleadError) throws {
        let unknown = MissingSensitivePolicy.unknownLabel
        for (position, attribute) in intersection.attributes.enumerated() {
            guard let own = decision.groupings.first(where: { $0.attributes == [attribute] }) else { continue }
            var marginal: [String: Cells] = [:]
            for group in intersection.groups {
                marginal[group.group[position]] = Self.adding(marginal[group.group[position]], group.cells5)
            }
            var ownCells: [String: Cells] = [:]
            for group in own.groups { ownCells[group.group[0]] = group.cells5 }
            // Rows the intersection leaves out for another attribute's missing value are in
            // the attribute's groups but in none of the intersection's.
            let othersComplete = intersection.hasMissing.enumerated().allSatisfy { $0.offset == position || !$0.element }
            for value in Set(marginal.keys).union(ownCells.keys).sorted() {
                let summed = marginal[value] ?? Self.emptyCells, alone = ownCells[value] ?? Self.emptyCells
                let exact = intersection.excluded.missingSensitive == 0 || (othersComplete && value != unknown)
                for (cell, name) in ["tp", "fp", "tn", "fn"].enumerated() {
                    let agrees = exact ? Self.agree(summed[cell], alone[cell], scoreMagnitude: scoreMagnitude)
                                       : summed[cell][0] <= alone[cell][0]
                    guard agrees else {
                        throw fail("decision \(decision.name): the groups of \(Self.name(intersection)) with \(attribute) \"\(MessageQuote.spelled(value))\" hold \(name) \(Self.shown(summed[cell])) in all, but the grouping \(attribute) holds \(name) \(Self.shown(alone[cell])) for \"\(MessageQuote.spelled(value))\"\(exact ? "" : " (it holds every row the intersection does)"); every grouping of a decision counts the same rows")
                    }
                }
            }
        }
    }

    /// Decisions that leave out the same rows (the same rows without a score, none without
    /// a prediction) count the same rows in each group: sizes, positives and their sums
    /// agree, whatever the predictions. One that leaves out rows cannot give a group more
    /// rows than one that leaves out none.
    private func checkAcrossDecisions(scoreMagnitude: Double, fail: (String) -> FairleadError) throws {
        guard let grouped = decisions.first?.groupings.indices else { return }
        for index in grouped {
            var reference: [Int: (decision: Decision, totals: [String: [[Double]]])] = [:]
            var complete: (decision: Decision, totals: [String: [[Double]]])?
            for decision in decisions {
                let grouping = decision.groupings[index], listed = decisions[0].groupings[index]
                guard zip(grouping.levels, listed.levels).allSatisfy({ Self.sameSpelling($0, $1) }), grouping.hasMissing == listed.hasMissing else {
                    throw fail("\(Self.name(grouping)): decision \(decision.name) lists other levels than decision \(decisions[0].name); the levels are the rows', whatever the decision")
                }
                let keyed = Self.groupTotals(grouping)
                let excluded = grouping.excluded
                if excluded.missingPrediction == 0 {
                    if let earlier = reference[excluded.missingScore] {
                        try Self.compare(keyed, earlier.totals, exact: true, scoreMagnitude: scoreMagnitude) { group, what, mine, theirs in
                            fail("\(Self.name(grouping)), group \(group): decision \(decision.name) counts \(what) \(Self.shown(mine)), decision \(earlier.decision.name) \(Self.shown(theirs)); both leave out the same rows, and a group's rows and labels do not depend on the decision")
                        }
                    } else {
                        reference[excluded.missingScore] = (decision, keyed)
                    }
                    if excluded.missingScore == 0, complete == nil { complete = (decision, keyed) }
                }
            }
            guard let complete else { continue }
            for decision in decisions {
                let grouping = decision.groupings[index]
                guard grouping.excluded.missingScore + grouping.excluded.missingPrediction > 0 else { continue }
                try Self.compare(Self.groupTotals(grouping), complete.totals, exact: false, scoreMagnitude: scoreMagnitude) { group, what, mine, theirs in
                    fail("\(Self.name(grouping)), group \(group): decision \(decision.name) counts \(what) \(Self.shown(mine)), more than decision \(complete.decision.name), which leaves out no row for a missing score or prediction (\(Self.shown(theirs)))")
                }
            }
        }
    }

    /// Per group (by ``key(_:)``), `[all cells' sums, positives' sums]`: the sums of TP,
    /// FP, TN and FN, and of TP and FN.
    private static func groupTotals(_ grouping: GroupingPart) -> [String: [[Double]]] {
        var totals: [String: [[Double]]] = [:]
        for group in grouping.groups {
            let cells = group.cells5
            totals[key(group.group)] = [sum(cells[0], cells[1], cells[2], cells[3]), sum(cells[0], cells[3])]
        }
        return totals
    }

    /// Each histogram group against the group's rows in a decision that counts exactly the
    /// scored rows: one by threshold (it leaves out the rows without a score and no other).
    private func checkHistograms(scoreMagnitude: Double, fail: (String) -> FairleadError) throws {
        guard let histograms else { return }
        let byThreshold = zip(decisions, profile.spec.decisions).first { $0.1.rule.hasPrefix("threshold ") }?.0
        for (index, histogram) in histograms.enumerated() where index < (decisions.first?.groupings.count ?? 0) {
            let place = "score histogram \(histogram.attributes.joined(separator: "*"))"
            let decision: Decision
            if let byThreshold {
                decision = byThreshold
                let missing = decision.groupings[index].excluded.missingScore
                guard histogram.missingScore == missing else {
                    throw fail("\(place): \(histogram.missingScore) rows without a score, but decision \(decision.name) leaves out \(missing) rows for a missing score; the histogram holds every scored row")
                }
            } else if let matching = decisions.first(where: {
                $0.groupings[index].excluded.missingPrediction == 0 && $0.groupings[index].excluded.missingScore == histogram.missingScore
            }) {
                decision = matching
            } else {
                continue
            }
            // Per group: rows, Σw, Σw·y, Σw·s — a histogram entry's order, from the cells.
            let fromCells = Self.groupTotals(decision.groupings[index]).mapValues { totals in
                let (all, positive) = (totals[0], totals[1])
                return [[all[0], all[1], positive[1], all[4]]]
            }
            var fromHistogram: [String: [[Double]]] = [:]
            for group in histogram.groups {
                var sums = [0.0, 0, 0, 0]
                for entry in group.cells { for position in 0..<4 { sums[position] += entry[2 + position] } }
                fromHistogram[Self.key(group.group)] = [sums]
            }
            for key in Set(fromCells.keys).union(fromHistogram.keys).sorted() {
                let cells = fromCells[key]?[0] ?? [0, 0, 0, 0], bars = fromHistogram[key]?[0] ?? [0, 0, 0, 0]
                let scale = Swift.max(abs(cells[1]), abs(bars[1]))
                let agrees = cells[0] == bars[0]
                    && Self.close(cells[1], bars[1], scale: scale) && Self.close(cells[2], bars[2], scale: scale)
                    && Self.close(cells[3], bars[3], scale: scale * scoreMagnitude)
                guard agrees else {
                    throw fail("\(place), group \(Self.unkey(key)): the histogram holds \(Self.count(bars[0])) rows (Σw \(bars[1]), Σw·y \(bars[2]), Σw·s \(bars[3])), but decision \(decision.name) counts \(Self.count(cells[0])) scored rows (Σw \(cells[1]), Σw·y \(cells[2]), Σw·s \(cells[3])) in the group; the histogram holds each group's scored rows")
                }
            }
        }
    }

    /// The score histograms against each other. Each holds every scored row once, in its
    /// score's cell, counted in a group or not (`uncounted`): per grid cell, their rows
    /// are the same. An intersection counts a subset of the rows its attribute's own
    /// histogram counts — it leaves out a row missing any of its attributes' values under
    /// `missing: exclude`, the attribute's own only one missing that attribute — so per
    /// value of the attribute, cell and bin, its groups hold at most the attribute's rows,
    /// and when as many, the same rows: the same sums, to rounding. Which policy an
    /// attribute has does not enter: the subset holds under either.
    private func checkHistogramMarginals(fail: (String) -> FairleadError) throws {
        guard let histograms, let first = histograms.first, let grid = profile.spec.scoreGrid else { return }
        let magnitude = Swift.max(abs(grid.lower), abs(grid.upper))
        func name(_ histogram: ScoreHistogram) -> String { histogram.attributes.joined(separator: "*") }
        func rowsPerCell(_ histogram: ScoreHistogram) -> [Double: Double] {
            var rows: [Double: Double] = [:]
            for entry in histogram.uncounted { rows[entry[0], default: 0] += entry[1] }
            for group in histogram.groups { for entry in group.cells { rows[entry[0], default: 0] += entry[2] } }
            return rows
        }
        let reference = rowsPerCell(first)
        for histogram in histograms.dropFirst() {
            let rows = rowsPerCell(histogram)
            for cell in Set(reference.keys).union(rows.keys).sorted() where reference[cell, default: 0] != rows[cell, default: 0] {
                throw fail("score histogram \(name(histogram)) holds \(Self.count(rows[cell, default: 0])) rows in grid cell \(Self.count(cell)) (in its groups and uncounted), but score histogram \(name(first)) holds \(Self.count(reference[cell, default: 0])); every histogram holds each scored row once, in its score's cell")
            }
        }
        // Per value's key, per [cell, bin]: rows, Σw, Σw·y, Σw·s, Σw·s², Σw·y·s.
        typealias Sums = [String: [[Double]: [Double]]]
        for intersection in histograms where intersection.attributes.count > 1 {
            for (position, attribute) in intersection.attributes.enumerated() {
                guard let own = histograms.first(where: { $0.attributes == [attribute] }) else { continue }
                var summed: Sums = [:], alone: Sums = [:]
                for group in intersection.groups {
                    let value = Self.key([group.group[position]])
                    for entry in group.cells {
                        let cell = Array(entry[0..<2]), sums = Array(entry[2...])
                        summed[value, default: [:]][cell] = summed[value]?[cell].map { zip($0, sums).map { $0 + $1 } } ?? sums
                    }
                }
                for group in own.groups {
                    for entry in group.cells { alone[Self.key(group.group), default: [:]][Array(entry[0..<2])] = Array(entry[2...]) }
                }
                for value in summed.keys.sorted() {
                    for (cell, sums) in summed[value]!.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                        let theirs = alone[value]?[cell] ?? [0, 0, 0, 0, 0, 0]
                        let weight = Swift.max(sums[1], theirs[1])
                        let scales = [weight, weight, weight * magnitude, weight * magnitude * magnitude, weight * magnitude]
                        let same = sums[0] == theirs[0] && (1..<6).allSatisfy { Self.close(sums[$0], theirs[$0], scale: scales[$0 - 1]) }
                        guard sums[0] < theirs[0] || same else {
                            throw fail("score histogram \(name(intersection)): its groups with \(attribute) \(Self.unkey(value).dropFirst().dropLast()) hold \(Self.count(sums[0])) rows (Σw \(sums[1]), Σw·y \(sums[2]), Σw·s \(sums[3]), Σw·s² \(sums[4]), Σw·y·s \(sums[5])) in grid cell \(Self.count(cell[0])), reliability bin \(Self.count(cell[1])), but score histogram \(attribute) holds \(Self.count(theirs[0])) (Σw \(theirs[1]), Σw·y \(theirs[2]), Σw·s \(theirs[3]), Σw·s² \(theirs[4]), Σw·y·s \(theirs[5])); an intersection counts at most the rows its attribute's histogram counts, and as many only when the same")
                        }
                    }
                }
            }
        }
    }

    // MARK: Helpers

    private static let emptyCells: Cells = Array(repeating: [0, 0, 0, 0, 0], count: 4)

    private static func name(_ grouping: GroupingPart) -> String { grouping.attributes.joined(separator: "*") }

    /// Two level lists equal code point for code point.
    static func sameSpelling(_ a: [String], _ b: [String]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.unicodeScalars.elementsEqual($1.unicodeScalars) }
    }

    private static func adding(_ a: Cells?, _ b: Cells) -> Cells {
        guard let a else { return b }
        return zip(a, b).map { zip($0, $1).map { $0 + $1 } }
    }

    private static func sum(_ rows: [Double]...) -> [Double] {
        rows.dropFirst().reduce(rows[0]) { zip($0, $1).map { $0 + $1 } }
    }

    /// A group's values as one dictionary key that keeps their code points apart.
    fileprivate static func key(_ group: [String]) -> String {
        group.map { $0.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: ".") }.joined(separator: "|")
    }

    private static func unkey(_ key: String) -> String {
        "[" + key.split(separator: "|", omittingEmptySubsequences: false).map { value in
            "\"" + MessageQuote.spelled(String(String.UnicodeScalarView(value.split(separator: ".").compactMap { UInt32($0, radix: 16).flatMap(Unicode.Scalar.init) }))) + "\""
        }.joined(separator: ", ") + "]"
    }

    private static func count(_ value: Double) -> String { String(Int(value)) }

    private static func shown(_ row: [Double]) -> String {
        "[" + ([count(row[0])] + row.dropFirst().map { "\($0)" }).joined(separator: ", ") + "]"
    }

    private static func close(_ a: Double, _ b: Double, scale: Double) -> Bool {
        abs(a - b) <= 1e-9 * scale + 1e-300
    }

    /// Two cells' `[count, Σw, Σw², Σw scored, Σw·score]`: counts exactly, sums to rounding.
    private static func agree(_ a: [Double], _ b: [Double], scoreMagnitude: Double) -> Bool {
        let weight = Swift.max(abs(a[1]), abs(b[1])), squared = Swift.max(abs(a[2]), abs(b[2]))
        let scored = Swift.max(abs(a[3]), abs(b[3]))
        return a[0] == b[0] && close(a[1], b[1], scale: weight) && close(a[2], b[2], scale: squared)
            && close(a[3], b[3], scale: scored) && close(a[4], b[4], scale: Swift.max(scored * scoreMagnitude, abs(a[4]), abs(b[4])))
    }

    /// Per group, `[all rows' sums, positives' sums]` of two decisions: equal (`exact`), or
    /// `mine`'s counts at most `theirs`'.
    private static func compare(_ mine: [String: [[Double]]], _ theirs: [String: [[Double]]], exact: Bool, scoreMagnitude: Double,
                                fail: (String, String, [Double], [Double]) -> FairleadError) throws {
        let empty: [[Double]] = [[0, 0, 0, 0, 0], [0, 0, 0, 0, 0]]
        for key in Set(mine.keys).union(theirs.keys).sorted() {
            let a = mine[key] ?? empty, b = theirs[key] ?? empty
            for (position, what) in ["rows", "positives"].enumerated() {
                let agrees = exact ? agree(a[position], b[position], scoreMagnitude: scoreMagnitude) : a[position][0] <= b[position][0]
                guard agrees else { throw fail(unkey(key), what, a[position], b[position]) }
            }
        }
    }
}

extension StatisticsPart.GroupPart {
    /// The four cells' rows, TP, FP, TN, FN.
    fileprivate var cells5: [[Double]] { [tp, fp, tn, fn] }
}

extension StatisticsPart.GroupingPart {
    /// A read of rows lists a level only when a row has it: every listed level of this
    /// single-attribute grouping with no rows in its groups (and a missing value without
    /// rows) needs a row left out before grouping — `outside` rows without consent, or the
    /// rows left out for a missing score, prediction or label — to have held it.
    fileprivate func checkLevelsHaveRows(outside: Int, where place: String, fail: (String) -> FairleadError) throws {
        var present: Set<String> = []
        for group in groups where group.tp[0] + group.fp[0] + group.tn[0] + group.fn[0] > 0 {
            present.insert(StatisticsPart.key([group.group[0]]))
        }
        var empty = levels[0].filter { !present.contains(StatisticsPart.key([$0])) }.map { "\"\(MessageQuote.spelled($0))\"" }
        if hasMissing[0], excluded.missingSensitive == 0, !present.contains(StatisticsPart.key([MissingSensitivePolicy.unknownLabel])) {
            empty.append("a missing value (has_missing)")
        }
        let room = outside + excluded.missingScore + excluded.missingPrediction + excluded.missingLabel
        guard empty.count <= room else {
            let shown = empty.prefix(5).joined(separator: ", ") + (empty.count > 5 ? " and \(empty.count - 5) more" : "")
            throw fail("\(place): \(empty.count) listed level\(empty.count == 1 ? "" : "s") (\(shown)) hold\(empty.count == 1 ? "s" : "") no row, and the \(room) row\(room == 1 ? "" : "s") left out before grouping cannot hold \(empty.count == 1 ? "it" : "them all"); a part lists only the levels its rows have")
        }
    }
}
