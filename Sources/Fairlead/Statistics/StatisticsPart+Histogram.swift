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
    static func make(data: AuditData, attributes names: [String], policy: MissingSensitivePolicy,
                     grid: ScoreGrid, dataPath: String, scoreColumn: String, maxGroups: Int) throws -> Self {
        let columns = AuditColumns(scores: data.scores, labelColumn: data.labels, weights: data.weights,
                                   attributes: data.attributes)
        let grouping = try Grouping(columns: columns, attributes: names, missingPolicy: policy, maxGroups: maxGroups)
        let groupOf = grouping.groupIndices(of: columns, rows: 0..<data.rowCount)
        let stride = grid.bins * 10
        var sums: [Int: [Double]] = [:]
        var uncounted: [Int: Double] = [:]
        var missingScore = 0
        for row in 0..<data.rowCount {
            let score = data.scores[row]
            guard !score.isNaN else { missingScore += 1; continue }
            guard score >= grid.lower, score <= grid.upper else {
                throw FairleadError(.invalidData,
                                    "row \(row + 1) has score \(score), outside the score grid's range \(grid.lower)–\(grid.upper); declare data.score_range",
                                    at: SourceLocation(file: dataPath, line: row + 2, field: scoreColumn))
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
    func validate(grid: ScoreGrid, rowsRead: Int, labelled: Bool, where place: String,
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
                guard entry.count == StatisticsPart.histogramEntryWidth, entry.allSatisfy(\.isFinite),
                      whole(entry[0], below: grid.bins), whole(entry[1], below: 10), whole(entry[2], below: 1 << 53) else {
                    throw fail("\(named): an entry must be eight finite numbers [cell, bin, rows, Σw, Σw·y, Σw·s, Σw·s², Σw·y·s] with a cell of the \(grid.bins)-cell grid and a bin 0–9")
                }
                guard keys.insert([entry[0], entry[1]]).inserted else {
                    throw fail("\(named): cell \(Int(entry[0])), bin \(Int(entry[1])) is listed twice")
                }
                guard entry[3] >= 0, entry[4] >= 0, entry[4] <= entry[3] * (1 + 1e-9) + 1e-300 else {
                    throw fail("\(named): weights must be ≥ 0, positives' at most all rows'")
                }
                if entry[2] == 0, entry.dropFirst(3).contains(where: { $0 != 0 }) {
                    throw fail("\(named): cell \(Int(entry[0])) has sums but no rows")
                }
                if !labelled, entry[4] != 0 { throw fail("\(named): the data has no labels, so no positives") }
                try add(entry[2])
            }
        }
        guard total == rowsRead else {
            throw fail("\(place): the score histogram holds \(total) rows, but \(rowsRead) were read; every row read is counted once")
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
