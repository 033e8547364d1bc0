/// Something that attributes a model's margins to its features, row by row.
///
/// The feature matrix is the model's (columns in `featureNames` order; see
/// `Model.featureMatrix(from:columnNames:source:)`).
public protocol Explainer: Sendable {
    /// The features the attributions are over.
    var featureNames: [String] { get }
    /// Attributions for every row of `features`, on one thread.
    func explain(_ features: Matrix) throws -> Attributions
    /// Attributions for every row of `features`, rows split across `threads` threads;
    /// the values do not depend on the number of threads.
    func explain(_ features: Matrix, threads: Int) throws -> Attributions
}
