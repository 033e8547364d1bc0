/// A scoring model: margins (log-odds for classifiers, raw outputs for regressors) for a
/// batch of rows, and the link that turns them into probabilities.
///
/// The feature matrix has one row per lead and one column per entry of `featureNames`, in
/// that order; `featureMatrix(from:columnNames:source:)` builds it from named columns.
/// Missing values are `Double.nan`; tree models route them as their library does (XGBoost
/// `default_left`, LightGBM's missing type), a linear model propagates them.
///
///     let model = try ModelLoader.load(contentsOf: "model.json")
///     let x = try model.featureMatrix(from: data, columnNames: names, source: "leads.csv")
///     let scores = model.probabilities(x)
public protocol Model: Sendable {
    /// The features the model reads, in the order of the feature matrix's columns.
    var featureNames: [String] { get }
    /// How a margin becomes a prediction.
    var link: Link { get }
    /// The margin of every row of `features` (n × featureNames.count), as the source library computes it.
    func margins(_ features: Matrix) -> [Double]
}

extension Model {
    /// The prediction of every row: `link.prediction(fromMargin:)` of its margin — a
    /// probability for a logit link, the regression output for an identity link.
    public func probabilities(_ features: Matrix) -> [Double] {
        margins(features).map(link.prediction(fromMargin:))
    }
}
