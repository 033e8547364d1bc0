import Foundation

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
    /// The sensitive attributes of the columns ranked, and no other column: the ranking
    /// holds scores, labels and weights in rank order and does not keep the row-ordered
    /// ones alive (at 10M rows the scores alone are 76 MiB), so `columns.scores` is empty.
    public let columns: AuditColumns
    /// Per position: the row index.
    let rows: [UInt32]
    /// Per position: the score (descending), as the columns held it (a −0 stays −0);
    /// empty until ``gatherScores(from:threads:)`` when ranked with `deferringScores`.
    private(set) var scores: [Double]
    /// Per position: the label, 0 or 1, or ``missingLabel``; `nil` without labels.
    let labels: [UInt8]?
    /// Per position: the weight; `nil` when every row weighs 1.
    let weights: [Double]?
    /// Rows not ranked (missing score) and rows ranked but not counted (missing label).
    public let exclusions: ExclusionCounts
    /// Per attribute of ``columns``: its code at each position, a byte each
    /// (``missingCode`` for a missing value), once ``keepAttributeCodesInRankOrder(threads:)``
    /// has gathered them; `nil` before, and for an attribute with codes beyond 254.
    private(set) var rankedCodes: [[UInt8]?]

    /// The code of a missing label in ``labels``: the label column's.
    static let missingLabel: UInt8 = LabelColumn.missingCode

    /// Validates and ranks `columns`.
    ///
    /// Every row is validated as ``GroupStats/accumulate(_:rule:grouping:scoreRange:rows:)``
    /// does, with the same messages: a present score must be finite and within
    /// `scoreRange` (`nil`: any finite score), a present label 0 or 1, a weight finite
    /// and ≥ 0; the lowest bad row is reported. The prediction column is not read.
    ///
    /// The sort runs on up to `threads` threads; the queue is the same on any number.
    ///
    /// - Throws: ``FairleadError`` `.invalidData` naming the row index and the value.
    public init(columns: AuditColumns, scoreRange: ClosedRange<Double>? = 0...1, threads: Int = 1) throws {
        try self.init(columns: columns, scoreRange: scoreRange, threads: threads, deferringScores: false)
    }

    /// ``init(columns:scoreRange:threads:)`` that, with `deferringScores`, leaves the
    /// scores in rank order to ``gatherScores(from:threads:)``: a caller that then lets its
    /// row-ordered scores go never holds both (at 10M rows, 76 MiB each) beside the work
    /// that runs while the ranking is made.
    package init(columns: AuditColumns, scoreRange: ClosedRange<Double>?, threads: Int, deferringScores: Bool) throws {
        precondition(columns.rowCount < Int(UInt32.max), "a ranking holds fewer than 2^32 rows")
        let scan = Self.validate(columns, scoreRange: scoreRange)
        if let problem = scan.problem { throw problem.error(attributeNames: columns.attributes.map(\.name)) }

        let ranked = scan.ranked
        let labeled = columns.labels != nil
        // Every slot is written by the sort.
        var labels = [UInt8](unsafeUninitializedCapacity: labeled ? ranked : 0) { _, initialized in
            initialized = labeled ? ranked : 0
        }
        var rows = [UInt32](unsafeUninitializedCapacity: ranked) { _, initialized in initialized = ranked }
        columns.scores.withUnsafeBufferPointer { columnScores in
            _withOptionalBuffer(columns.labels?.codes) { columnLabels in
                rows.withUnsafeMutableBufferPointer { rows in
                    labels.withUnsafeMutableBufferPointer { labels in
                        _RadixSort.rank(scores: columnScores, differing: scan.differing, rows: rows,
                                        sortedLabels: labels, labels: columnLabels, threads: threads)
                    }
                }
            }
        }
        self.columns = AuditColumns(attributesOf: columns)
        self.rows = rows
        self.scores = deferringScores ? [] : Self.gather(columns.scores, rows: rows, threads: threads)
        self.labels = labeled ? labels : nil
        self.weights = columns.weights.map { Self.gather($0, rows: rows, threads: threads) }
        self.exclusions = ExclusionCounts(missingScore: columns.rowCount - ranked, missingPrediction: 0,
                                          missingLabel: scan.missingLabels, missingSensitive: 0)
        self.rankedCodes = Array(repeating: nil, count: columns.attributes.count)
    }

    /// Gathers the scores into rank order from `rowScores`, the row-ordered scores of the
    /// columns ranked, after ``init(columns:scoreRange:threads:deferringScores:)``.
    package mutating func gatherScores(from rowScores: [Double], threads: Int) {
        precondition(scores.isEmpty && rowScores.count == rows.count + exclusions.missingScore,
                     "scores gathered once, from the columns ranked")
        scores = Self.gather(rowScores, rows: rows, threads: threads)
    }

    /// `values[rows[p]]` for each position p, on up to `threads` threads.
    private static func gather(_ values: [Double], rows: [UInt32], threads: Int) -> [Double] {
        let count = rows.count
        return [Double](unsafeUninitializedCapacity: count) { target, initialized in
            let out = UncheckedSendable(target)
            rows.withUnsafeBufferPointer { rows in
                values.withUnsafeBufferPointer { values in
                    let sources = UncheckedSendable((rows: rows, values: values))
                    RowParallelism.forEachChunk(rowCount: count, threads: threads, minimumChunk: 1 << 16) { positions in
                        // A loop with nothing else in it: many cache-missing loads in flight.
                        let (rows, values) = sources.value
                        for position in positions { out.value[position] = values[Int(rows[position])] }
                    }
                }
            }
            initialized = count
        }
    }

    /// The code of a missing value in the codes gathered by
    /// ``keepAttributeCodesInRankOrder(threads:)``: the byte codes' own.
    static let missingCode: UInt8 = AttributeCodes.narrowMissing

    /// Gathers each attribute's codes into rank order, a byte per ranked row, on up to
    /// `threads` threads: one pass of random reads per attribute (a row's code, at a
    /// random row), after which every ``grouped(by:threads:)`` and
    /// ``ascendingOrderStatistics(attribute:missingGroup:ranks:)`` reads them in order
    /// instead of gathering again. An attribute with a code beyond 254 is left out (it is
    /// read at each position's row, as without this call). Results are the same either way.
    ///
    /// At 10M rows, a 10M-byte array per attribute; worth it when the ranking is seen
    /// through several groupings (attributes and their intersections) or order statistics.
    public mutating func keepAttributeCodesInRankOrder(threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        rankedCodes = columns.attributes.map { Self.gatherCodes($0.codes, rows: rows, threads: threads) }
    }

    /// `codes` at each position's row, as bytes; `nil` when a code is beyond 254.
    private static func gatherCodes(_ codes: AttributeCodes, rows: [UInt32], threads: Int) -> [UInt8]? {
        codes.withCodeBuffer(narrow: { gatherCodes($0, rows: rows, threads: threads) },
                             wide: { gatherCodes($0, rows: rows, threads: threads) })
    }

    private static func gatherCodes<Code: AttributeCodeUnit>(_ codes: UnsafeBufferPointer<Code>, rows: [UInt32],
                                                             threads: Int) -> [UInt8]? {
        let ranked = rows.count
        var largest: Int32 = -1
        let gathered = [UInt8](unsafeUninitializedCapacity: ranked) { target, initialized in
            let out = UncheckedSendable(target)
            let largestPerChunk: [Int32] = rows.withUnsafeBufferPointer { rows in
                let sources = UncheckedSendable((rows: rows, codes: codes))
                return _ChunkedWork.map(count: ranked, threads: threads) { positions -> Int32 in
                    // A loop with nothing else in it, so that many of its
                    // cache-missing loads are in flight at once.
                    let (rows, codes) = sources.value
                    var largest: Int32 = -1
                    for position in positions {
                        let code = codes[Int(rows[position])].attributeCode
                        largest = max(largest, code)
                        out.value[position] = code < 0 ? Self.missingCode : UInt8(truncatingIfNeeded: code)
                    }
                    return largest
                }
            }
            largest = largestPerChunk.max() ?? -1
            initialized = ranked
        }
        return largest < Int32(Self.missingCode) ? gathered : nil
    }

    /// The number of ranked rows (rows with a score).
    public var rankedCount: Int { rows.count }

    /// Whether the columns have labels.
    public var isLabeled: Bool { labels != nil }

    /// The row index at a 0-based position of the queue.
    public func row(atPosition position: Int) -> Int { Int(rows[position]) }

    /// The score at a 0-based position of the queue.
    public func score(atPosition position: Int) -> Double { scores[position] }

    /// Where a top `k` of the queue cuts inside a run of equal scores: the first k
    /// positions take some of the rows tied at the k-th score and leave others, and which
    /// ones the row order decides (ties take positions by row index), so every value at k
    /// follows the rows' order, not their scores. `nil` when the cut falls between two
    /// scores, or k takes no row or every one — as ``DecisionRule/tieAtCutoff(scores:)``
    /// finds for the top-k rule of the same k, read here from the ranked scores.
    public func tieAtCutoff(k: Int) -> TieAtCutoff? {
        let ranked = rankedCount
        guard k > 0, k < ranked else { return nil }
        precondition(scores.count == ranked, "the scores are gathered (gatherScores(from:threads:)) before a cut is read")
        let cutoff = scores[k - 1]
        guard scores[k] == cutoff else { return nil }
        // Scores descend: the tie is the run of positions holding `cutoff`, around k − 1.
        var low = 0, high = k - 1  // the first position not above the cutoff
        while low < high {
            let middle = (low + high) / 2
            if scores[middle] > cutoff { low = middle + 1 } else { high = middle }
        }
        let above = low
        low = k; high = ranked  // the first position below the cutoff
        while low < high {
            let middle = (low + high) / 2
            if scores[middle] < cutoff { high = middle } else { low = middle + 1 }
        }
        return TieAtCutoff(score: cutoff, k: k, above: above, tied: low - above)
    }

    /// The ranking seen through `grouping`, which must be built on ``columns``; gathered
    /// on up to `threads` threads (by default, one per core).
    public func grouped(by grouping: Grouping, threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> GroupedRanking {
        GroupedRanking(ranking: self, grouping: grouping, threads: threads)
    }

    /// What ranking needs to know of the rows, after checking every one: how many have
    /// a score, how many of those lack a label, and the bits in which their sort keys
    /// differ. Stops at the first bad row (so the lowest), checking its score, then
    /// label, then weight.
    private static func validate(_ columns: AuditColumns, scoreRange: ClosedRange<Double>?)
        -> (problem: _RowProblem?, ranked: Int, missingLabels: Int, differing: UInt64) {
        let lower = scoreRange?.lowerBound ?? -.infinity
        let upper = scoreRange?.upperBound ?? .infinity
        var ranked = 0
        var missingLabels = 0
        var firstKey: UInt64?
        var differing: UInt64 = 0
        var problem: _RowProblem?
        columns.scores.withUnsafeBufferPointer { scores in
            _withOptionalBuffer(columns.labels?.codes) { labels in
                _withOptionalBuffer(columns.weights) { weights in
                    for row in scores.indices {
                        let score = scores[row]
                        let hasScore = !score.isNaN
                        if hasScore && !(score.isFinite && score >= lower && score <= upper) {
                            problem = _RowProblem(row: row, field: .score, value: score, scoreRange: scoreRange)
                            return
                        }
                        var labelMissing = false
                        if let labels {
                            let label = labels[row]
                            if label == LabelColumn.missingCode {
                                labelMissing = true
                            } else if label > LabelColumn.missingCode {
                                problem = _RowProblem(row: row, field: .label, value: columns.labels?[row] ?? .nan)
                                return
                            }
                        }
                        if let weights, !AuditColumns.isValidWeight(weights[row]) {
                            problem = _RowProblem(row: row, field: .weight, value: weights[row])
                            return
                        }
                        if hasScore {
                            let key = _RadixSort.descendingKey(score)
                            let first = firstKey ?? key
                            firstKey = first
                            differing |= key ^ first
                            ranked += 1
                            missingLabels += labelMissing ? 1 : 0
                        }
                    }
                }
            }
        }
        return (problem, ranked, missingLabels, differing)
    }
}
