import Foundation

extension GroupStats {
    /// Computes the statistics of `rule` over `grouping` in one pass over `columns`,
    /// chunked over threads and merged in chunk order.
    ///
    /// Each row is validated, then either counted in its group's confusion cell or left
    /// out under the first reason that applies (see ``ExclusionCounts``).
    ///
    /// - Parameters:
    ///   - scoreRange: the range every present score must lie in (`nil`: any finite score).
    ///   - rows: only these rows are accumulated (the rule is still resolved on all rows,
    ///     so statistics of disjoint row ranges merge into those of their union).
    ///   - threads: at most this many threads at once (by default, one per core); the
    ///     statistics are the same on any number.
    /// - Throws: ``FairleadError`` `.invalidData` naming the value, with the row in its
    ///   ``FairleadError/row``, for a
    ///   label other than 0/1, a score outside `scoreRange` or not finite, a prediction
    ///   other than 0/1, or a negative or non-finite weight (the lowest such row is
    ///   reported); `.invalidProfile` for an impossible rule.
    public static func accumulate(_ columns: AuditColumns, rule: DecisionRule, grouping: Grouping,
                                  scoreRange: ClosedRange<Double>? = 0...1,
                                  rows: Range<Int>? = nil,
                                  threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> GroupStats {
        let decision = try rule.resolve(on: columns)
        let rows = rows ?? 0..<columns.rowCount
        precondition(rows.lowerBound >= 0 && rows.upperBound <= columns.rowCount, "rows outside the columns")
        let pass = _AccumulationPass(columns: columns, decision: decision, usesScores: rule.usesScores,
                                     grouping: grouping, scoreRange: scoreRange)
        let chunks = _ChunkedWork.map(count: rows.count, threads: threads) { range in
            pass.run(rows: (rows.lowerBound + range.lowerBound)..<(rows.lowerBound + range.upperBound))
        }
        var total = GroupStats(groupCount: grouping.groupCount, isLabeled: columns.labels != nil)
        for chunk in chunks {
            switch chunk {
            case .success(let stats): total.merge(stats)
            case .failure(let problem): throw problem.error(attributeNames: columns.attributes.map(\.name))
            }
        }
        return total
    }
}

/// A bad value found in a row; chunks stop at their first one, and the lowest row wins.
struct _RowProblem: Error, Sendable {
    enum Field: Sendable { case score, label, prediction, weight }
    var row: Int
    var field: Field
    var value: Double
    var scoreRange: ClosedRange<Double>?

    func error(attributeNames: [String]) -> FairleadError {
        let message: String
        switch field {
        case .score:
            let expected = scoreRange.map { "a finite score within \($0.lowerBound)...\($0.upperBound)" } ?? "a finite score"
            message = "score is \(value), expected \(expected)"
        case .label:
            message = "label is \(value), expected 0 or 1 (or missing)"
        case .prediction:
            message = "prediction is \(value), expected 0 or 1 (or missing)"
        case .weight:
            message = value.isNaN
                ? "weight is missing, expected a number from 0 to \(AuditColumns.largestWeight) on every row"
                : "weight is \(value), expected a number from 0 to \(AuditColumns.largestWeight)"
        }
        return FairleadError(.invalidData, message, at: SourceLocation(field: "\(field)"), row: row)
    }
}

/// The per-row work of ``GroupStats/accumulate(_:rule:grouping:scoreRange:rows:)``.
struct _AccumulationPass: Sendable {
    let columns: AuditColumns
    let decision: ResolvedDecision
    let usesScores: Bool
    let grouping: Grouping
    let scoreRange: ClosedRange<Double>?

    /// Storage index of a cell within a group — TP 0, FP 1, TN 2, FN 3 — computed
    /// without branches: decisions and labels are unpredictable, and a mispredicted
    /// branch per row would cost more than the rest of the row's work.
    @inline(__always)
    private static func cellIndex(predicted: Int, label: Int) -> Int {
        (1 - predicted) * 2 + (predicted ^ label)
    }

    func run(rows: Range<Int>) -> Result<GroupStats, _RowProblem> {
        let groupCount = grouping.groupCount
        var flat = [CellStats](repeating: CellStats(), count: groupCount * 4)
        var exclusions = ExclusionCounts()
        let groupOf = grouping.groupIndices(of: columns, rows: rows)
        let lower = scoreRange?.lowerBound ?? -.infinity
        let upper = scoreRange?.upperBound ?? .infinity
        let problem: _RowProblem? = flat.withUnsafeMutableBufferPointer { cells in
            columns.scores.withUnsafeBufferPointer { scores in
                withOptionalBuffer(columns.labels?.codes) { labels in
                    withOptionalBuffer(columns.weights) { weights in
                        withOptionalBuffer(columns.predictions) { predictions in
                            for row in rows {
                                let score = scores[row]
                                let hasScore = !score.isNaN
                                if hasScore && !(score.isFinite && score >= lower && score <= upper) {
                                    return _RowProblem(row: row, field: .score, value: score, scoreRange: scoreRange)
                                }
                                var prediction = Double.nan
                                if let predictions {
                                    prediction = predictions[row]
                                    if !prediction.isNaN && prediction != 0 && prediction != 1 {
                                        return _RowProblem(row: row, field: .prediction, value: prediction)
                                    }
                                }
                                var label: UInt8 = 0
                                if let labels {
                                    label = labels[row]
                                    if label > LabelColumn.missingCode {
                                        return _RowProblem(row: row, field: .label, value: columns.labels?[row] ?? .nan)
                                    }
                                }
                                let weight = weights?[row] ?? 1
                                if !AuditColumns.isValidWeight(weight) {
                                    return _RowProblem(row: row, field: .weight, value: weight)
                                }
                                if usesScores && !hasScore {
                                    exclusions.missingScore += 1
                                    continue
                                }
                                let predicted: Int
                                switch decision {
                                case .threshold(let threshold):
                                    predicted = score >= threshold ? 1 : 0
                                case .ranked(let cutoff, let lastTiedRow):
                                    let tiedAndTaken = (score == cutoff ? 1 : 0) & (row <= lastTiedRow ? 1 : 0)
                                    predicted = (score > cutoff ? 1 : 0) | tiedAndTaken
                                case .given:
                                    if prediction.isNaN {
                                        exclusions.missingPrediction += 1
                                        continue
                                    }
                                    predicted = prediction == 1 ? 1 : 0
                                }
                                if label == LabelColumn.missingCode {
                                    exclusions.missingLabel += 1
                                    continue
                                }
                                let group = Int(groupOf[row - rows.lowerBound])
                                if group < 0 {
                                    exclusions.missingSensitive += 1
                                    continue
                                }
                                cells[group * 4 + Self.cellIndex(predicted: predicted, label: Int(label))]
                                    .add(weight: weight, score: hasScore ? score : nil)
                            }
                            return nil
                        }
                    }
                }
            }
        }
        if let problem { return .failure(problem) }
        var groups = [ConfusionCells](repeating: ConfusionCells(), count: groupCount)
        for group in 0..<groupCount {
            groups[group] = ConfusionCells(truePositives: flat[group * 4], falsePositives: flat[group * 4 + 1],
                                           trueNegatives: flat[group * 4 + 2], falseNegatives: flat[group * 4 + 3])
        }
        return .success(GroupStats(cells: groups, isLabeled: columns.labels != nil, exclusions: exclusions))
    }
}

/// Calls `body` with the array's buffer, or with `nil` when there is no array.
@inline(__always)
private func withOptionalBuffer<Element, Result>(_ array: [Element]?,
                                                 _ body: (UnsafeBufferPointer<Element>?) -> Result) -> Result {
    guard let array else { return body(nil) }
    return array.withUnsafeBufferPointer { body($0) }
}
