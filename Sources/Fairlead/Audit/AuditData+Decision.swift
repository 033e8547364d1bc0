import FairleadCore

extension AuditProfile.DecisionSpec {
    /// The core's rule for this decision; a prediction column is `.givenPredictions`.
    var rule: DecisionRule {
        switch kind {
        case .threshold(let threshold): return .threshold(threshold)
        case .topCount(let count): return .topCount(count)
        case .topFraction(let fraction): return .topFraction(fraction)
        case .predictionColumn: return .givenPredictions
        }
    }
}

extension AuditData {
    /// The columns `decision` is evaluated on: scores, labels, weights, attributes and,
    /// for a prediction-column decision, that column as the predictions. The audit, the
    /// mitigation options and the individual-fairness section all decide through this.
    func columns(for decision: AuditProfile.DecisionSpec) -> AuditColumns {
        var predictions: [Double]?
        if case .predictionColumn(let column) = decision.kind { predictions = self.predictions[column] }
        return AuditColumns(scores: scores, labelColumn: labels, weights: weights, predictions: predictions, attributes: attributes)
    }
}
