/// The thresholds over which a feature counts as a proxy of a sensitive attribute; a
/// profile sets them under `explanations.proxy_thresholds` (docs/explanations.md).
public struct ProxyThresholds: Sendable, Equatable {
    /// Bias-corrected Cramér's V of a categorical feature (default 0.3).
    public var cramersV: Double
    /// Correlation ratio η of a numeric feature (default 0.3).
    public var correlationRatio: Double
    /// The best one-vs-rest AUC of the feature alone (default 0.7).
    public var auc: Double
    /// Mutual information in nats; nil (the default) reports it without a threshold.
    public var mutualInformation: Double?
    /// The best cross-validated AUC of all features together (default 0.8).
    public var multivariateAUC: Double

    /// Thresholds; the defaults are the documented ones.
    public init(cramersV: Double = 0.3, correlationRatio: Double = 0.3, auc: Double = 0.7,
                mutualInformation: Double? = nil, multivariateAUC: Double = 0.8) {
        self.cramersV = cramersV
        self.correlationRatio = correlationRatio
        self.auc = auc
        self.mutualInformation = mutualInformation
        self.multivariateAUC = multivariateAUC
    }
}
