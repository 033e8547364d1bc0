/// The attribution methods `fairlead attributions --method` offers.
public enum AttributionMethod: String, Sendable, CaseIterable {
    /// Path-dependent TreeSHAP (tree models; no background needed).
    case tree
    /// Interventional TreeSHAP against a background (tree models).
    case treeInterventional = "tree-interventional"
    /// Interventional LinearSHAP against a background (linear models).
    case linear
    /// KernelSHAP against a background (any model).
    case kernel

    /// The method used when none is asked for: `tree` for tree ensembles (`tree-interventional`
    /// for ONNX ones, which carry no covers), `linear` for linear models.
    public static func defaultMethod(for model: any Model) -> AttributionMethod {
        if model is LinearModel { return .linear }
        if let ensemble = model as? TreeEnsemble { return ensemble.source == .onnx ? .treeInterventional : .tree }
        return .kernel
    }

    /// Whether the method needs a background data set.
    public var needsBackground: Bool { self == .treeInterventional || self == .kernel }

    /// The explainer of this method for `model`.
    ///
    /// LinearSHAP without a background uses the explained rows themselves as background.
    ///
    /// - Throws: `FairleadError(.usage)` when the method does not fit the model or lacks its
    ///   background; the explainers' own errors otherwise.
    public func explainer(for model: any Model, background: Matrix?, explained: Matrix,
                          sampleCount: Int = 2048, seed: UInt64 = 0) throws -> any Explainer {
        switch self {
        case .tree:
            guard let ensemble = model as? TreeEnsemble else { throw mismatch("tree models (XGBoost, LightGBM, ONNX)") }
            return try TreeSHAP(model: ensemble)
        case .treeInterventional:
            guard let ensemble = model as? TreeEnsemble else { throw mismatch("tree models (XGBoost, LightGBM, ONNX)") }
            return try InterventionalTreeSHAP(model: ensemble, background: try required(background))
        case .linear:
            guard let linear = model as? LinearModel else { throw mismatch("linear models") }
            return try LinearSHAP(model: linear, background: background ?? explained)
        case .kernel:
            return try KernelSHAP(model: model, background: try required(background), sampleCount: sampleCount, seed: seed)
        }
    }

    private func mismatch(_ kinds: String) -> FairleadError {
        FairleadError(.usage, "--method \(rawValue) explains \(kinds) only")
    }

    private func required(_ background: Matrix?) throws -> Matrix {
        guard let background else {
            throw FairleadError(.usage, "--method \(rawValue) needs --background FILE (rows that stand in for unknown features)")
        }
        return background
    }
}
