/// Ids read from an id column on more than one row, counted while a file streams by: each
/// such row is explained under the same id, so outputs joined to leads by id (a CRM's
/// import, a rep's lookup) would mix them.
///
/// Memory is a hash per id seen (8 bytes and the set's overhead), not the ids: a stream
/// explains files of millions of leads with a bounded batch. Two different ids with one
/// 64-bit hash would be counted as a repeat; for ten million ids the chance is about 3 in
/// a million.
public struct RepeatedIDs: Sendable, Equatable {
    private var seen = Set<Int>()
    /// Rows whose id an earlier row had.
    public private(set) var rows = 0
    /// The first such row's id.
    public private(set) var firstID: String?
    /// The first such row's line, when known.
    public private(set) var firstLine: Int?

    public init() {}

    /// Counts the ids of one batch (in file order). A missing id (empty) is no id, and
    /// repeats none.
    public mutating func observe(ids: [String], lines: [Int]) {
        for (row, id) in ids.enumerated() where !id.isEmpty && !seen.insert(id.hashValue).inserted {
            rows += 1
            if firstID == nil {
                firstID = id
                firstLine = row < lines.count ? lines[row] : nil
            }
        }
    }

    /// The warning to give when an id repeats, naming `column` and the first repeat;
    /// `nil` when every id is on one row.
    public func warning(column: String) -> String? {
        guard rows > 0, let firstID else { return nil }
        let place = firstLine.map { " (line \($0))" } ?? ""
        return "\(rows) row\(rows == 1 ? " has an id" : "s have ids") of the id column '\(MessageQuote.clipped(column))' that an earlier row has "
            + "(the first: '\(MessageQuote.clipped(firstID, limit: 100))'\(place)); each row is explained under that id, so outputs joined "
            + "to leads by id would mix them: make the id column name each lead once"
    }

    public static func == (lhs: RepeatedIDs, rhs: RepeatedIDs) -> Bool {
        lhs.rows == rhs.rows && lhs.firstID == rhs.firstID && lhs.firstLine == rhs.firstLine
    }
}
