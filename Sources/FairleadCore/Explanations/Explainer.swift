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
    /// Attributions for every row of `features`, as ``explain(_:threads:)``, stopping with
    /// `CancellationError` at the first check after `cancellation` is cancelled or past its
    /// deadline (nil: never stopped).
    ///
    /// The default checks before and after the rows: for the closed forms (TreeSHAP,
    /// LinearSHAP), which take microseconds a lead. ``KernelSHAP``, which takes
    /// milliseconds to seconds a lead, checks before each lead and each batch of coalitions.
    func explain(_ features: Matrix, threads: Int, cancellation: Cancellation?) throws -> Attributions
}

extension Explainer {
    /// Checks `cancellation` before and after explaining every row of `features`.
    public func explain(_ features: Matrix, threads: Int, cancellation: Cancellation?) throws -> Attributions {
        try cancellation?.check()
        let attributions = try explain(features, threads: threads)
        try cancellation?.check()
        return attributions
    }
}
