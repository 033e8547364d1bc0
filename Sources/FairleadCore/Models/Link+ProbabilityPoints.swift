extension Link {
    /// How many probability points (hundredths of probability) one margin unit of a
    /// lead's attributions is worth, for a reader who thinks in probabilities; nil for
    /// the identity link, whose contributions are already in score units.
    ///
    /// The rescale rule (DeepLIFT's, Shrikumar et al. 2017) on the logistic link: the
    /// lead's whole move from the base value b to its margin m, in probability,
    /// p(m) − p(b), is shared among the attributions in proportion to them:
    ///
    ///     points_j = 100 · φ_j · (p(m) − p(b)) / (m − b),     p(x) = 1 / (1 + e^(−x))
    ///
    /// so the points are exactly additive (100 · p(b) + Σ points_j = 100 · p(m)), keep each
    /// attribution's sign (the factor is positive: p rises with the margin) and its rank.
    /// When m = b the factor is the slope there, 100 · p(b) · (1 − p(b)).
    ///
    ///     Link.logit.pointsPerMarginUnit(margin: 0.5, baseValue: -1)   // 23.57: the lead's +1.5 log-odds are +35.4 pts
    public func pointsPerMarginUnit(margin: Double, baseValue: Double) -> Double? {
        switch self {
        case .identity:
            return nil
        case .logit:
            let change = margin - baseValue
            guard abs(change) > 1e-9 else {
                let p = prediction(fromMargin: baseValue)
                return 100 * p * (1 - p)
            }
            return 100 * (prediction(fromMargin: margin) - prediction(fromMargin: baseValue)) / change
        }
    }
}
