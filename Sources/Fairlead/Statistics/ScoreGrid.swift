import Foundation

/// Equal-width cells over the score range on which statistics parts and the pushdown
/// query histogram the scores, so that the lead-queue metrics can be computed from
/// statistics (docs/scale.md, "The score grid"; the bounds: docs/metrics.md, "From a
/// score grid").
///
/// A score s goes to cell `clamp(⌈(s − lower) · bins / width⌉ − 1, 0, bins − 1)`, width =
/// upper − lower, computed in IEEE doubles in exactly that order — the formula the SQL of
/// every dialect evaluates too, so that a database and this process put every score in
/// the same cell. Cell i holds about (e_i, e_{i+1}], e_i = lower + i · width / bins, and
/// the first also its lower edge. The formula is monotone in s, so every score of a cell
/// is at least every score of the cells below it: what the grid loses is the order within
/// a cell, nothing else.
public struct ScoreGrid: Codable, Sendable, Equatable {
    public var bins: Int
    public var lower: Double
    public var upper: Double

    public init(bins: Int, lower: Double, upper: Double) {
        precondition(bins >= 1, "a score grid needs a cell")
        self.bins = bins
        self.lower = lower
        self.upper = upper
    }

    /// upper − lower (as the query computes it).
    public var width: Double { upper - lower }

    /// The cell of a finite score.
    @inline(__always)
    public func cell(of score: Double) -> Int {
        let width = self.width
        guard width > 0 else { return 0 }
        let position = ((score - lower) * Double(bins) / width).rounded(.up) - 1
        if !(position > 0) { return 0 }
        return position >= Double(bins - 1) ? bins - 1 : Int(position)
    }

    /// e_i = lower + i · width / bins; e_bins = upper.
    public func edge(_ index: Int) -> Double {
        index >= bins ? upper : lower + Double(index) * width / Double(bins)
    }

    /// The scores cell `index` can hold: [e_i, e_{i+1}], the grid's range at its ends (a
    /// score outside the range is refused before it is counted), widened by 10⁻⁹ of the
    /// grid's magnitude for ``cell(of:)``'s rounding at an edge.
    public func scores(ofCell index: Int) -> (lower: Double, upper: Double) {
        let margin = 1e-9 * Swift.max(abs(lower), abs(upper))
        return (edge(index) - margin, edge(index + 1) + margin)
    }

    /// The width of one cell.
    public var cellWidth: Double { width / Double(bins) }

    /// The reliability bins of the calibration metrics: ten over [0, 1], edges i · 0.1
    /// (numpy `linspace`, as ``GroupCalibration`` bins them).
    public static let calibrationEdges: [Double] = (0...10).map { $0 == 10 ? 1.0 : Double($0) * (1 / 10.0) }

    /// The scores reliability bin `bin` holds, as ``calibrationBin(of:)`` puts them: above
    /// its lower edge and up to its upper one, unbounded at the ends.
    public static func calibrationScores(ofBin bin: Int) -> (lower: Double, upper: Double) {
        let last = calibrationEdges.count - 2
        return (bin <= 0 ? -.infinity : calibrationEdges[Swift.min(bin, last)],
                bin >= last ? .infinity : calibrationEdges[bin + 1])
    }

    /// The reliability bin of a score: how many inner edges lie strictly below it
    /// (numpy `searchsorted`, side left), as ``GroupCalibration`` counts them.
    public static func calibrationBin(of score: Double) -> Int {
        var bin = 0
        for edge in calibrationEdges[1..<(calibrationEdges.count - 1)] where edge < score { bin += 1 }
        return bin
    }
}
