/// A rule's metric, comparison and bound, read from the rule as the report writes it
/// (`disparate_impact >= 0.8`), for drawing the limit and saying how far a value is from it.
struct RuleLimit {
    var metric: String
    var comparison: AuditProfile.RuleSpec.Comparison
    var bound: Double

    /// `nil` when the text is not a rule (a report from elsewhere).
    init?(_ rule: String) {
        guard let spec = AuditProfile.reportRule(rule) else { return nil }
        metric = spec.metric.rawValue
        comparison = spec.comparison
        bound = spec.bound
    }

    /// How far `value` is past the bound on the side the rule wants: positive when it is
    /// clear of the bound, negative when it falls short.
    func margin(_ value: Double) -> Double {
        comparison.margin(value, bound)
    }

    /// "short by 0.180" or "clear by 0.050": how far `value` is from the bound, on the
    /// side the rule wants.
    func distanceText(_ value: Double?) -> String {
        guard let value else { return "" }
        let holds = comparison.holds(value, bound)
        return (holds ? "clear by " : "short by ") + ChartNumber.label(abs(margin(value)))
    }

    /// The chart label: "limit ≥ 0.8".
    var label: String {
        let symbol: String
        switch comparison {
        case .atLeast: symbol = "≥"
        case .atMost: symbol = "≤"
        case .greaterThan: symbol = ">"
        case .lessThan: symbol = "<"
        }
        return "limit \(symbol) \(ChartNumber.tick(bound, step: 0.01).trimmingZeros)"
    }
}

extension String {
    /// "0.80" → "0.8", "1.00" → "1".
    var trimmingZeros: String {
        guard contains(".") else { return self }
        var text = self
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
