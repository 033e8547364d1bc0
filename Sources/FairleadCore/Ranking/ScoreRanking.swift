/// The lead queue: every row that has a score, ordered by score descending, then by row
/// index ascending — the order a sales team works leads in, and the tie rule of
/// ``DecisionRule/topCount(_:)``.
///
/// Built once per audit with one stable radix sort (O(n)), then seen through any number
/// of groupings (``GroupedRanking``) without sorting again. Positions count from 0 here;
/// the metrics speak of ranks, which count from 1 (rank = position + 1).
///
/// Rows with a missing score are not ranked. Rows with a missing label are ranked — they
/// hold their place in the queue — but no metric counts them (the group metrics engine
/// leaves them out the same way), so top-k metrics at a cutoff equal those of a
/// ``MetricFrame`` of the matching top-k rule.
///
///     let ranking = try ScoreRanking(columns: columns)
///     let byGender = ranking.grouped(by: try Grouping(columns: columns, attributes: ["gender"]))
public struct ScoreRanking: Sendable {
    /// The columns ranked.
    public let columns: AuditColumns
    /// Per position: the row index.
    let rows: [UInt32]
    /// Per position: the score (descending).
    let scores: [Double]
    /// Per position: the label, 0 or 1, or ``missingLabel``; `nil` without labels.
    let labels: [UInt8]?
    /// Per position: the weight; `nil` when every row weighs 1.
    let weights: [Double]?
    /// Rows not ranked (missing score) and rows ranked but not counted (missing label).
    public let exclusions: ExclusionCounts

    /// The code of a missing label in ``labels``.
    static let missingLabel: UInt8 = 2

    /// Validates and ranks `columns`.
    ///
    /// Every row is validated as ``GroupStats/accumulate(_:rule:grouping:scoreRange:rows:)``
    /// does, with the same messages: a present score must be finite and within
    /// `scoreRange` (`nil`: any finite score), a present label 0 or 1, a weight finite
    /// and ≥ 0; the lowest bad row is reported. The prediction column is not read.
    ///
    /// - Throws: ``FairleadError`` `.invalidData` naming the row index and the value.
    public init(columns: AuditColumns, scoreRange: ClosedRange<Double>? = 0...1) throws {
        precondition(columns.rowCount < Int(UInt32.max), "a ranking holds fewer than 2^32 rows")
        let lower = scoreRange?.lowerBound ?? -.infinity
        let upper = scoreRange?.upperBound ?? .infinity
        var keys: [UInt64] = []
        var rows: [UInt32] = []
        keys.reserveCapacity(columns.rowCount)
        rows.reserveCapacity(columns.rowCount)
        var exclusions = ExclusionCounts()
        let problem: _RowProblem? = columns.scores.withUnsafeBufferPointer { scores in
            for row in scores.indices {
                let score = scores[row]
                if score.isNaN {
                    exclusions.missingScore += 1
                } else if score.isFinite && score >= lower && score <= upper {
                    keys.append(_RadixSort.descendingKey(score))
                    rows.append(UInt32(truncatingIfNeeded: row))
                } else {
                    return _RowProblem(row: row, field: .score, value: score, scoreRange: scoreRange)
                }
            }
            return nil
        }
        let labelProblem = Self.firstBadLabel(columns.labels)
        let weightProblem = Self.firstBadWeight(columns.weights)
        if let first = [problem, labelProblem, weightProblem].compactMap({ $0 }).min(by: { $0.row < $1.row }) {
            throw first.error(attributeNames: columns.attributes.map(\.name))
        }
        _RadixSort.sort(keys: &keys, rows: &rows)

        let ranked = rows.count
        var sortedScores = [Double](repeating: 0, count: ranked)
        sortedScores.withUnsafeMutableBufferPointer { target in
            keys.withUnsafeBufferPointer { keys in
                for position in 0..<ranked {
                    target[position] = _RadixSort.score(fromDescendingKey: keys[position])
                }
            }
        }
        keys = []
        var sortedLabels: [UInt8]?
        if let labels = columns.labels {
            var gathered = [UInt8](repeating: 0, count: ranked)
            var missing = 0
            gathered.withUnsafeMutableBufferPointer { target in
                labels.withUnsafeBufferPointer { labels in
                    rows.withUnsafeBufferPointer { rows in
                        for position in 0..<ranked {
                            let label = labels[Int(rows[position])]
                            let code: UInt8 = label.isNaN ? Self.missingLabel : (label == 1 ? 1 : 0)
                            missing &+= code == Self.missingLabel ? 1 : 0
                            target[position] = code
                        }
                    }
                }
            }
            sortedLabels = gathered
            exclusions.missingLabel = missing
        }
        var sortedWeights: [Double]?
        if let weights = columns.weights {
            var gathered = [Double](repeating: 0, count: ranked)
            gathered.withUnsafeMutableBufferPointer { target in
                weights.withUnsafeBufferPointer { weights in
                    rows.withUnsafeBufferPointer { rows in
                        for position in 0..<ranked { target[position] = weights[Int(rows[position])] }
                    }
                }
            }
            sortedWeights = gathered
        }
        self.columns = columns
        self.rows = rows
        self.scores = sortedScores
        self.labels = sortedLabels
        self.weights = sortedWeights
        self.exclusions = exclusions
    }

    /// The number of ranked rows (rows with a score).
    public var rankedCount: Int { rows.count }

    /// Whether the columns have labels.
    public var isLabeled: Bool { labels != nil }

    /// The row index at a 0-based position of the queue.
    public func row(atPosition position: Int) -> Int { Int(rows[position]) }

    /// The score at a 0-based position of the queue.
    public func score(atPosition position: Int) -> Double { scores[position] }

    /// The ranking seen through `grouping`, which must be built on ``columns``.
    public func grouped(by grouping: Grouping) -> GroupedRanking {
        GroupedRanking(ranking: self, grouping: grouping)
    }

    private static func firstBadLabel(_ labels: [Double]?) -> _RowProblem? {
        guard let labels else { return nil }
        return labels.withUnsafeBufferPointer { labels in
            for row in labels.indices {
                let label = labels[row]
                if !label.isNaN && label != 0 && label != 1 {
                    return _RowProblem(row: row, field: .label, value: label)
                }
            }
            return nil
        }
    }

    private static func firstBadWeight(_ weights: [Double]?) -> _RowProblem? {
        guard let weights else { return nil }
        return weights.withUnsafeBufferPointer { weights in
            for row in weights.indices {
                let weight = weights[row]
                if !(weight.isFinite && weight >= 0) {
                    return _RowProblem(row: row, field: .weight, value: weight)
                }
            }
            return nil
        }
    }
}
