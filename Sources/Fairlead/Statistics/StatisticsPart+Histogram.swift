import FairleadCore
import Foundation

extension StatisticsPart {
    /// One attribute's or intersection's scores on the profile's ``ScoreGrid``: what the
    /// lead-queue metrics are computed from when the audit is completed from statistics
    /// (docs/scale.md, "The score grid").
    public struct ScoreHistogram: Codable, Sendable, Equatable {
        /// The attributes, one for a single attribute.
        public var attributes: [String]
        /// Rows without a score: not in the queue.
        public var missingScore: Int
        /// Ranked rows that no queue metric counts — a missing label, or a missing
        /// sensitive value under `missing: exclude` — as `[cell, rows]`: they take
        /// positions in the queue.
        public var uncounted: [[Double]]
        /// The groups with at least one counted row.
        public var groups: [HistogramGroup]

        enum CodingKeys: String, CodingKey {
            case attributes, uncounted, groups
            case missingScore = "missing_score"
        }
    }

    /// One group's counted rows, per grid cell and reliability bin (a cell that straddles
    /// a reliability bin's edge has an entry for each side), as
    /// `[cell, bin, rows, Σw, Σw·y, Σw·s, Σw·s², Σw·y·s]`.
    public struct HistogramGroup: Codable, Sendable, Equatable {
        public var group: [String]
        public var cells: [[Double]]

        /// A group's values for a message, each quoted and clipped (``MessageQuote``):
        /// `["asian", "female"]`, at most ten of them.
        static func shown(_ group: [String]) -> String {
            "[" + MessageQuote.list(group) + "]"
        }
    }

    /// The numbers of an entry of ``HistogramGroup/cells``.
    static let histogramEntryWidth = 8
}

// MARK: - From rows

extension StatisticsPart.ScoreHistogram {
    /// The histogram of `data`'s rows under `attributes`, on `grid`.
    ///
    /// - Throws: `FairleadError(.invalidData)` for a score outside the grid's range.
    static func make(data: AuditData, attributes names: [String], policies: [MissingSensitivePolicy],
                     grid: ScoreGrid, dataPath: String, scoreColumn: String, maxGroups: Int, options: CSVOptions?) throws -> Self {
        let columns = AuditColumns(scores: data.scores, labelColumn: data.labels, weights: data.weights,
                                   attributes: data.attributes)
        let grouping = try Grouping(columns: columns, attributes: names, missingPolicies: policies, maxGroups: maxGroups)
        let groupOf = grouping.groupIndices(of: columns, rows: 0..<data.rowCount)
        let stride = grid.bins * 10
        var sums: [Int: [Double]] = [:]
        var uncounted: [Int: Double] = [:]
        var missingScore = 0
        for row in 0..<data.rowCount {
            let score = data.scores[row]
            guard !score.isNaN else { missingScore += 1; continue }
            guard score >= grid.lower, score <= grid.upper else {
                // Placed at its line of the file: rows without consent, and records spanning
                // lines, are counted (row + 2 was the line only without either).
                let source = RecordLocator(path: dataPath, options: options, sourceRecords: data.sourceRecords)
                let place = source.place(row, column: scoreColumn)
                throw FairleadError(.invalidData,
                                    "data record \(source.record(row) + 1) has score \(score), outside the score grid's range \(grid.lower)–\(grid.upper); declare data.score_range",
                                    at: place.location)
            }
            let cell = grid.cell(of: score)
            let label = data.labels?[row] ?? 0
            let group = Int(groupOf[row])
            if label.isNaN || group < 0 {
                uncounted[cell, default: 0] += 1
                continue
            }
            let weight = data.weights?[row] ?? 1
            let key = group * stride + cell * 10 + ScoreGrid.calibrationBin(of: score)
            let y = label
            var entry = sums[key] ?? [0, 0, 0, 0, 0, 0]
            entry[0] += 1
            entry[1] += weight
            entry[2] += weight * y
            entry[3] += weight * score
            entry[4] += weight * score * score
            entry[5] += weight * y * score
            sums[key] = entry
        }
        var groups: [Int: [[Double]]] = [:]
        for key in sums.keys.sorted() {
            let (group, rest) = key.quotientAndRemainder(dividingBy: stride)
            groups[group, default: []].append([Double(rest / 10), Double(rest % 10)] + sums[key]!)
        }
        return Self(attributes: names, missingScore: missingScore,
                    uncounted: uncounted.keys.sorted().map { [Double($0), uncounted[$0]!] },
                    groups: groups.keys.sorted().map { StatisticsPart.HistogramGroup(group: grouping.groups[$0].values, cells: groups[$0]!) }
                        .sorted { $0.group.lexicographicallyPrecedes($1.group) })
    }
}

// MARK: - Checks and merging

extension StatisticsPart.ScoreHistogram {
    func validate(grid: ScoreGrid, rowsRead: Int, labelled: Bool, weighted: Bool, where place: String,
                  fail: (String) -> FairleadError) throws {
        guard missingScore >= 0 else { throw fail("\(place): a negative missing_score (\(missingScore))") }
        var total = missingScore
        func add(_ rows: Double) throws {
            let (sum, overflow) = total.addingReportingOverflow(Int(rows))
            guard !overflow else { throw fail("\(place): the histogram's counts overflow") }
            total = sum
        }
        func whole(_ value: Double, below limit: Int) -> Bool {
            value.isFinite && value >= 0 && value == value.rounded() && value < Double(limit)
        }
        var cells: Set<Double> = []
        for (index, entry) in uncounted.enumerated() {
            let named = "\(place), uncounted entry \(index) (\(Self.shown(entry)))"
            guard entry.count == 2, whole(entry[0], below: grid.bins), whole(entry[1], below: 1 << 53) else {
                throw fail("\(named): uncounted entries must be [cell, rows] with a cell of the \(grid.bins)-cell score grid")
            }
            guard cells.insert(entry[0]).inserted else { throw fail("\(named): uncounted cell \(Int(entry[0])) is listed twice") }
            try add(entry[1])
        }
        var groupsSeen: Set<[String]> = []
        for group in groups {
            let name = "\(place), histogram group \(StatisticsPart.HistogramGroup.shown(group.group))"
            guard group.group.count == attributes.count else {
                throw fail("\(name): \(group.group.count) value\(group.group.count == 1 ? "" : "s"), but the histogram needs one per attribute (\(attributes.count))")
            }
            guard groupsSeen.insert(group.group).inserted else { throw fail("\(name) is listed twice") }
            var keys: Set<[Double]> = []
            for (index, entry) in group.cells.enumerated() {
                // The entry by its index, and by its cell and bin once they are numbers.
                let named = "\(name), entry \(index) (\(Self.shown(entry)))"
                try Self.checkEntry(entry, grid: grid, weighted: weighted, labelled: labelled) { problem, _ in
                    fail("\(named): \(problem)")
                }
                guard keys.insert([entry[0], entry[1]]).inserted else {
                    throw fail("\(named): cell \(Int(entry[0])), bin \(Int(entry[1])) is listed twice")
                }
                try add(entry[2])
            }
        }
        guard total == rowsRead else {
            throw fail("\(place): the score histogram holds \(total) rows, but \(rowsRead) were read; every row read is counted once")
        }
    }

    /// Checks that a group's entry `[cell, bin, rows, Σw, Σw·y, Σw·s, Σw·s², Σw·y·s]` could
    /// be the sums of its rows: whole counts; weights ≥ 0 (1 each, unweighted), positives'
    /// at most all rows' (none, unlabelled); and every score sum within what scores of the
    /// entry's cell and reliability bin (``ScoreGrid/scores(ofCell:)``,
    /// ``ScoreGrid/calibrationScores(ofBin:)``) give — for scores in
    /// [lo, hi], Σw·lo ≤ Σw·s ≤ Σw·hi, Σw·min s² ≤ Σw·s² ≤ Σw·max s², the positives' and
    /// the negatives' Σw·s likewise over their weights, and (Σw·s)² ≤ Σw · Σw·s² (Cauchy–Schwarz).
    /// So a number moved to another cell, scaled, or made up cannot pass for a statistic:
    /// the lead-queue metrics (AUC, KS, Brier, calibration) are computed from these.
    ///
    /// Sums of floating-point terms are allowed a relative rounding of 10⁻⁹, as
    /// ``StatisticsPart/GroupingPart/checkSums(_:count:weighted:scores:fail:)`` allows.
    /// `fail` is given the problem and the position in `entry` of the number found wrong,
    /// for a reader that knows each one's line and column (a query result's).
    static func checkEntry(_ entry: [Double], grid: ScoreGrid, weighted: Bool, labelled: Bool,
                           fail: (String, Int) -> FairleadError) throws {
        let slack = 1e-9
        func whole(_ value: Double, below limit: Double) -> Bool {
            value >= 0 && value == value.rounded() && value < limit
        }
        guard entry.count == StatisticsPart.histogramEntryWidth, entry.allSatisfy(\.isFinite) else {
            throw fail("an entry must be eight finite numbers [cell, bin, rows, Σw, Σw·y, Σw·s, Σw·s², Σw·y·s]",
                       entry.firstIndex { !$0.isFinite } ?? 0)
        }
        guard whole(entry[0], below: Double(grid.bins)) else {
            throw fail("cell \(entry[0]) is not a cell of the \(grid.bins)-cell grid, expected a whole number from 0 to \(grid.bins - 1)", 0)
        }
        guard whole(entry[1], below: 10) else {
            throw fail("bin \(entry[1]) is not a reliability bin, expected a whole number from 0 to 9", 1)
        }
        guard whole(entry[2], below: Double(StatisticsPart.largestCount) + 1) else {
            throw fail("rows is \(entry[2]), expected a whole number from 0 to 2^53 (\(StatisticsPart.largestCount))", 2)
        }
        let (cell, bin, rows) = (Int(entry[0]), Int(entry[1]), entry[2])
        let (weight, positive, scoreSum, squaredSum, positiveScoreSum) = (entry[3], entry[4], entry[5], entry[6], entry[7])
        if rows == 0, let sum = (3..<entry.count).first(where: { entry[$0] != 0 }) {
            throw fail("cell \(cell) has sums but no rows", sum)
        }
        guard weight >= 0, positive >= 0, positive <= weight * (1 + slack) + 1e-300 else {
            throw fail("weights must be ≥ 0, positives' at most all rows'", weight >= 0 ? 4 : 3)
        }
        if !weighted {
            guard weight == rows, positive == positive.rounded() else {
                throw fail("has \(Int(rows)) unweighted rows, so Σw must be \(Int(rows)) and Σw·y a whole number up to it; found \(weight) and \(positive)",
                           weight != rows ? 3 : 4)
            }
        }
        guard weight <= rows * AuditColumns.largestWeight * (1 + slack) else {
            throw fail("has Σw = \(weight) over \(Int(rows)) rows, more than their largest weight (\(AuditColumns.largestWeight)) allows", 3)
        }
        if !labelled, positive != 0 || positiveScoreSum != 0 {
            throw fail("the data has no labels, so no positives; found Σw·y = \(positive), Σw·y·s = \(positiveScoreSum)", positive != 0 ? 4 : 7)
        }
        let (cellLow, cellHigh) = grid.scores(ofCell: cell), (binLow, binHigh) = ScoreGrid.calibrationScores(ofBin: bin)
        let (low, high) = (Swift.max(cellLow, binLow), Swift.min(cellHigh, binHigh))
        // Checked against the cell widened for rounding at its edges; said with the grid's
        // own edges (0.063 to 0.064, not 0.062999999 to 0.064000001).
        let (edgeLow, edgeHigh) = (grid.edge(cell), grid.edge(cell + 1))
        guard low <= high else {
            throw fail("grid cell \(cell) holds scores from \(edgeLow) to \(edgeHigh), reliability bin \(bin) from \(binLow) to \(binHigh): no score is in both", 1)
        }
        let magnitude = Swift.max(abs(low), abs(high))
        let (shownLow, shownHigh) = (Swift.max(edgeLow, binLow), Swift.min(edgeHigh, binHigh))
        let range = "scores from \(shownLow) to \(shownHigh) (grid cell \(cell), reliability bin \(bin))"
        /// Whether `value` lies in [w·a, w·b], to a rounding of 10⁻⁹ of w·`scale`.
        func within(_ value: Double, _ w: Double, _ a: Double, _ b: Double, scale: Double) -> Bool {
            let tolerance = slack * w * scale + 1e-300
            // A bound past a double's range bounds nothing: such a cell's sums are refused as not finite.
            return (!(w * a).isFinite || value >= w * a - tolerance) && (!(w * b).isFinite || value <= w * b + tolerance)
        }
        guard within(scoreSum, weight, low, high, scale: magnitude) else {
            throw fail("has Σw·s = \(scoreSum), outside what \(range) over a weight of \(weight) can sum to (\(weight * shownLow)–\(weight * shownHigh))", 5)
        }
        let squareLow = low <= 0 && high >= 0 ? 0 : Swift.min(low * low, high * high)
        let squareHigh = Swift.max(low * low, high * high)
        let shownSquareLow = shownLow <= 0 && shownHigh >= 0 ? 0 : Swift.min(shownLow * shownLow, shownHigh * shownHigh)
        let shownSquareHigh = Swift.max(shownLow * shownLow, shownHigh * shownHigh)
        guard within(squaredSum, weight, squareLow, squareHigh, scale: magnitude * magnitude) else {
            throw fail("has Σw·s² = \(squaredSum), outside what \(range) over a weight of \(weight) can sum to (\(weight * shownSquareLow)–\(weight * shownSquareHigh))", 6)
        }
        guard within(positiveScoreSum, positive, low, high, scale: magnitude) else {
            throw fail("has Σw·y·s = \(positiveScoreSum), outside what \(range) over the positives' weight \(positive) can sum to (\(positive * shownLow)–\(positive * shownHigh))", 7)
        }
        // The negatives' Σw·s is Σw·s − Σw·y·s, their weight Σw − Σw·y; both differences
        // are rounded, so to a tolerance of all rows'.
        let negative = Swift.max(weight - positive, 0), negativeScoreSum = scoreSum - positiveScoreSum
        let tolerance = slack * weight * magnitude * 2 + 1e-300
        guard (!(negative * low).isFinite || negativeScoreSum >= negative * low - tolerance),
              (!(negative * high).isFinite || negativeScoreSum <= negative * high + tolerance) else {
            throw fail("has Σw·s − Σw·y·s = \(negativeScoreSum) for the negatives, outside what \(range) over their weight \(negative) (Σw − Σw·y) can sum to (\(negative * shownLow)–\(negative * shownHigh))", 7)
        }
        // Cauchy–Schwarz, as a mean: (Σw·s / Σw)² ≤ Σw·s² / Σw.
        if weight > 0 {
            let mean = scoreSum / weight, meanSquare = squaredSum / weight
            guard !(mean * mean).isFinite || mean * mean <= meanSquare + slack * magnitude * magnitude + 1e-300 else {
                throw fail("has Σw·s² = \(squaredSum) below (Σw·s)² / Σw = \(mean * scoreSum) (Σw·s = \(scoreSum), Σw = \(weight)): no scores have a mean square below their squared mean", 6)
            }
        }
    }

    /// An entry's numbers for a message: at most ten, then how many more.
    static func shown(_ entry: [Double]) -> String {
        "[" + entry.prefix(10).map { "\($0)" }.joined(separator: ", ") + (entry.count > 10 ? ", … (\(entry.count) in all)" : "") + "]"
    }

    /// Adds another shard's histogram of the same grouping.
    mutating func add(_ other: Self) {
        missingScore += other.missingScore
        var rows: [Double: Double] = [:]
        for entry in uncounted + other.uncounted { rows[entry[0], default: 0] += entry[1] }
        uncounted = rows.keys.sorted().map { [$0, rows[$0]!] }
        var positions: [[String]: Int] = [:]
        for (index, group) in groups.enumerated() { positions[group.group] = index }
        for group in other.groups {
            guard let index = positions[group.group] else {
                positions[group.group] = groups.count
                groups.append(group)
                continue
            }
            var entries: [[Double]: [Double]] = [:]
            for entry in groups[index].cells + group.cells {
                let key = Array(entry[0..<2])
                entries[key] = entries[key].map { zip($0, entry.dropFirst(2)).map { $0 + $1 } } ?? Array(entry.dropFirst(2))
            }
            groups[index].cells = entries.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { $0 + entries[$0]! }
        }
        groups.sort { $0.group.lexicographicallyPrecedes($1.group) }
    }
}
