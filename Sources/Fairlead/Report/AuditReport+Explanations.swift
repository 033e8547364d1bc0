import FairleadCore

extension AuditReport {
    /// The report's `explanations` section, present when the profile names a model: which
    /// features drive each group's score gap, which features stand in for a sensitive
    /// attribute, what reps are never shown, and the features' importance per group.
    /// Absent in reports of profiles without a model and of Fairlead versions before it.
    public struct ExplanationsReport: Codable, Sendable, Equatable {
        /// `fail` when a proxy finding fails; `pass` otherwise.
        public var status: Verdict
        /// The model and how it was explained.
        public var model: ModelInfo
        /// Rows attributed (every row of the data) for the decomposition and importance.
        public var rows: Int
        /// The rows proxy detection and typical values came from.
        public var reference: ReferenceInfo
        /// The source columns reasons are given for (one-hot features grouped).
        public var features: [String]
        /// The data columns read for the model (its features' columns and the sensitive ones).
        public var columnsRead: [String]
        /// Features never shown to reps as a reason, by name, and why.
        public var withheld: [String: WithheldFeature]
        /// Sensitive or proxy features the profile allows as reasons (`allow_in_reasons`).
        public var allowed: [String]
        /// Mean |attribution| and mean attribution per feature, overall and per group.
        public var importance: Importance
        /// Per sensitive attribute: the gap in mean margin of each group to the reference
        /// group, split per feature.
        public var decomposition: [String: Decomposition]
        /// Association of every feature with every sensitive attribute, and the multivariate check.
        public var proxies: Proxies
        /// Features over the thresholds and attributes the features predict too well.
        public var findings: [ExplanationFinding]

        public init(status: Verdict, model: ModelInfo, rows: Int, reference: ReferenceInfo, features: [String], columnsRead: [String],
                    withheld: [String: WithheldFeature], allowed: [String], importance: Importance,
                    decomposition: [String: Decomposition], proxies: Proxies, findings: [ExplanationFinding]) {
            self.status = status
            self.model = model
            self.rows = rows
            self.reference = reference
            self.features = features
            self.columnsRead = columnsRead
            self.withheld = withheld
            self.allowed = allowed
            self.importance = importance
            self.decomposition = decomposition
            self.proxies = proxies
            self.findings = findings
        }
    }

    /// The explained model.
    public struct ModelInfo: Codable, Sendable, Equatable {
        /// The model file as given.
        public var path: String
        /// SHA-256 (hex) of the model file.
        public var sha256: String
        /// `xgboost`, `lightgbm` or `linear`.
        public var kind: String
        /// `logit` or `identity`.
        public var link: String
        /// The attribution method (`tree`, `tree-interventional`, `linear`, `kernel`).
        public var explainer: String
        /// The attributions' base value: the typical lead's margin.
        public var baseValue: Double
        public init(path: String, sha256: String, kind: String, link: String, explainer: String, baseValue: Double) {
            self.path = path
            self.sha256 = sha256
            self.kind = kind
            self.link = link
            self.explainer = explainer
            self.baseValue = baseValue
        }
    }

    /// Where typical values and proxy measures came from.
    public struct ReferenceInfo: Codable, Sendable, Equatable {
        /// The reference file.
        public var source: String
        /// Rows read from it (the first ones, up to `reference_rows`).
        public var rows: Int
        public init(source: String, rows: Int) {
            self.source = source
            self.rows = rows
        }
    }

    /// Why a feature is never given as a reason.
    public struct WithheldFeature: Codable, Sendable, Equatable {
        /// `sensitive`, `declared_proxy`, `detected_proxy` or `undeclared_sensitive` (named
        /// like a sensitive attribute, not declared one).
        public var reason: String
        /// For a detected proxy: the attribute it stands in for.
        public var attribute: String?
        public init(reason: String, attribute: String? = nil) {
            self.reason = reason
            self.attribute = attribute
        }
    }

    /// A feature's mean |attribution| (global importance, shap's bar plot) and mean attribution.
    public struct FeatureImportance: Codable, Sendable, Equatable {
        public var meanAbsolute: Double
        public var mean: Double
        public init(meanAbsolute: Double, mean: Double) {
            self.meanAbsolute = meanAbsolute
            self.mean = mean
        }
    }

    /// Importance over all rows and within each group of each sensitive attribute.
    public struct Importance: Codable, Sendable, Equatable {
        /// Per feature, over all rows.
        public var overall: [String: FeatureImportance]
        /// Per attribute, per group, per feature.
        public var byAttribute: [String: [String: [String: FeatureImportance]]]
        public init(overall: [String: FeatureImportance], byAttribute: [String: [String: [String: FeatureImportance]]]) {
            self.overall = overall
            self.byAttribute = byAttribute
        }
    }

    /// One attribute's decomposition.
    public struct Decomposition: Codable, Sendable, Equatable {
        public var referenceGroup: String
        /// How the reference was chosen: `named`, `largest` or `highest_mean_margin`.
        public var referenceMethod: String
        public var groups: [String: GroupGap]
        public init(referenceGroup: String, referenceMethod: String, groups: [String: GroupGap]) {
            self.referenceGroup = referenceGroup
            self.referenceMethod = referenceMethod
            self.groups = groups
        }
    }

    /// One group's gap in mean margin to the reference group and its split per feature.
    public struct GroupGap: Codable, Sendable, Equatable {
        public var count: Int
        public var meanMargin: Double
        /// meanMargin − the reference group's mean margin.
        public var gap: Double
        /// Per feature: the group's mean attribution − the reference group's (Σ = gap).
        public var contributions: [String: Double]
        /// gap − Σ contributions (rounding only).
        public var residual: Double
        public init(count: Int, meanMargin: Double, gap: Double, contributions: [String: Double], residual: Double) {
            self.count = count
            self.meanMargin = meanMargin
            self.gap = gap
            self.contributions = contributions
            self.residual = residual
        }
    }

    /// Proxy detection's results.
    public struct Proxies: Codable, Sendable, Equatable {
        public var thresholds: Thresholds
        /// Per feature, per attribute: the measures.
        public var measures: [String: [String: ProxyMeasure]]
        /// Per attribute: all features together.
        public var multivariate: [String: Multivariate]
        public init(thresholds: Thresholds, measures: [String: [String: ProxyMeasure]], multivariate: [String: Multivariate]) {
            self.thresholds = thresholds
            self.measures = measures
            self.multivariate = multivariate
        }
    }

    /// The thresholds applied.
    public struct Thresholds: Codable, Sendable, Equatable {
        public var cramersV: Double
        public var correlationRatio: Double
        public var auc: Double
        public var mutualInformation: Double?
        public var multivariateAuc: Double
        public init(_ thresholds: ProxyThresholds) {
            cramersV = thresholds.cramersV
            correlationRatio = thresholds.correlationRatio
            auc = thresholds.auc
            mutualInformation = thresholds.mutualInformation
            multivariateAuc = thresholds.multivariateAUC
        }
    }

    /// One feature × attribute.
    public struct ProxyMeasure: Codable, Sendable, Equatable {
        /// `categorical` or `numeric`.
        public var kind: String
        public var rows: Int
        /// Rows of a numeric feature left out for a missing value.
        public var missing: Int
        public var chiSquare: Double?
        public var cramersV: Double?
        /// Bergsma's bias-corrected V; the threshold applies to it.
        public var cramersVCorrected: Double?
        public var correlationRatio: Double?
        public var mutualInformation: Double
        /// Per group: one-vs-rest AUC of the feature alone.
        public var auc: [String: Double]
        public var bestGroup: String?
        public var bestAuc: Double?
        /// The measures at or above their thresholds.
        public var exceeded: [String]
        /// Declared a proxy by the profile.
        public var declared: Bool
        public init(_ measures: ProxyMeasures, thresholds: ProxyThresholds, declared: Bool) {
            kind = measures.kind.rawValue
            rows = measures.rows
            missing = measures.missing
            chiSquare = measures.chiSquare
            cramersV = measures.cramersV
            cramersVCorrected = measures.cramersVCorrected
            correlationRatio = measures.correlationRatio
            mutualInformation = measures.mutualInformation
            auc = measures.auc
            bestGroup = measures.best?.group
            bestAuc = measures.best?.auc
            exceeded = measures.exceeded(thresholds)
            self.declared = declared
        }
    }

    /// How well all features together predict an attribute.
    public struct Multivariate: Codable, Sendable, Equatable {
        public var rows: Int
        public var features: Int
        public var folds: Int
        public var l2: Double
        /// Per group: its rows and the cross-validated AUC.
        public var groups: [String: MultivariateGroup]
        public var bestGroup: String?
        public var bestAuc: Double?
        public init(_ check: MultivariateProxyCheck) {
            rows = check.rows
            features = check.featureCount
            folds = check.folds
            l2 = check.l2
            groups = Dictionary(uniqueKeysWithValues: check.groups.map {
                ($0.group, MultivariateGroup(positives: $0.positives, crossValidatedAuc: $0.crossValidatedAUC))
            })
            bestGroup = check.best?.group
            bestAuc = check.best?.crossValidatedAUC
        }
    }

    /// One group of the multivariate check.
    public struct MultivariateGroup: Codable, Sendable, Equatable {
        public var positives: Int
        public var crossValidatedAuc: Double
        public init(positives: Int, crossValidatedAuc: Double) {
            self.positives = positives
            self.crossValidatedAuc = crossValidatedAuc
        }
    }

    /// A proxy check's outcome.
    public struct ExplanationFinding: Codable, Sendable, Equatable {
        /// `sensitive_feature` (the model reads a sensitive column), `proxy` (one feature
        /// stands in for an attribute) or `multivariate` (all features together do).
        public var kind: String
        /// The feature, for a `proxy` finding.
        public var feature: String?
        public var attribute: String
        /// The group told apart best.
        public var group: String?
        /// The measure compared (`mean_absolute_attribution`, `cramers_v`, `correlation_ratio`,
        /// `mutual_information`, `auc`, `multivariate_auc`).
        public var measure: String
        public var value: Double
        public var threshold: Double
        public var verdict: Verdict
        /// Why, in words.
        public var reason: String
        public init(kind: String, feature: String?, attribute: String, group: String?, measure: String, value: Double,
                    threshold: Double, verdict: Verdict, reason: String) {
            self.kind = kind
            self.feature = feature
            self.attribute = attribute
            self.group = group
            self.measure = measure
            self.value = value
            self.threshold = threshold
            self.verdict = verdict
            self.reason = reason
        }
    }
}
