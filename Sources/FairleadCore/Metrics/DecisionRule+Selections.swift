extension DecisionRule {
    /// Every row's decision on `columns`: 1 selected, 0 not, NaN when the row has no score
    /// (or, for given predictions, no prediction) — the ŷ the metrics count.
    ///
    /// - Throws: as ``DecisionRule`` resolution does (a bad k, fraction or threshold).
    public func selections(on columns: AuditColumns) throws -> [Double] {
        let resolved = try resolve(on: columns)
        return (0..<columns.rowCount).map { row in
            let score = columns.scores[row]
            switch resolved {
            case .threshold(let threshold):
                return score.isFinite ? (score >= threshold ? 1 : 0) : .nan
            case .ranked(let cutoff, let lastTiedRow):
                guard score.isFinite else { return .nan }
                return score > cutoff || (score == cutoff && row <= lastTiedRow) ? 1 : 0
            case .given:
                return columns.predictions?[row] ?? .nan
            }
        }
    }
}
