/// The reasons chosen for a batch of leads, as source indices and contributions in flat
/// arrays — no strings, so that choosing them for millions of leads allocates nothing per
/// lead. ``ReasonCodes/select(_:threads:)`` fills it; the writer and
/// ``ReasonCodes/explain(_:attributions:threads:)`` put it into words.
public struct ReasonSelection: Sendable {
    /// Leads in the batch.
    public let rows: Int
    /// Reasons per direction.
    public let top: Int
    /// rows × top: the sources raising each lead's score, strongest first; −1 past the last.
    public internal(set) var raisingSources: [Int32]
    /// rows × top: their contributions.
    public internal(set) var raisingContributions: [Double]
    /// rows × top: the sources lowering each lead's score, strongest first; −1 past the last.
    public internal(set) var loweringSources: [Int32]
    /// rows × top: their contributions.
    public internal(set) var loweringContributions: [Double]
    /// rows × 2·top: the withheld sources that were among the top reasons either way,
    /// largest |contribution| first (ties: the source listed first); −1 past the last.
    public internal(set) var withheld: [Int32]
    /// Per lead: the margin (base value + Σ attributions).
    public internal(set) var margins: [Double]

    init(rows: Int, top: Int) {
        self.rows = rows
        self.top = top
        raisingSources = [Int32](repeating: -1, count: rows * top)
        raisingContributions = [Double](repeating: 0, count: rows * top)
        loweringSources = [Int32](repeating: -1, count: rows * top)
        loweringContributions = [Double](repeating: 0, count: rows * top)
        withheld = [Int32](repeating: -1, count: rows * 2 * top)
        margins = [Double](repeating: 0, count: rows)
    }

    /// Whether lead `row` had a withheld source among its top reasons.
    public func isMarked(_ row: Int) -> Bool { withheld[row * 2 * top] >= 0 }
}
