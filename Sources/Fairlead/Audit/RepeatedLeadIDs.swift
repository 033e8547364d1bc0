import FairleadCore

/// Leads an audit counted more than once: rows of its data whose `data.id` an earlier row
/// has (or has in another Unicode spelling, equal as text). Every rate counts rows, so a
/// lead on three rows weighs three times in its group — an export joined to a table of
/// events, or two extracts concatenated, inflates the groups it repeats without an error.
/// The audit still runs (rows may be scoring events by design) and its report says so in
/// a note (``note(column:locate:)``); `late_labels` and `mitigate --reweigh-out` refuse
/// repeats instead, since they join by id (``LeadIDs/requireDistinct(_:column:path:options:pseudonymizer:why:)``).
///
/// The note names rows by their place (line or row), never by id: a report is shared
/// more widely than the data, and ids are personal data.
struct RepeatedLeadIDs: Equatable {
    /// Rows whose id an earlier row has.
    var rows: Int
    /// Distinct ids on more than one row.
    var ids: Int
    /// The first row (0-based, in the rows audited) whose id an earlier row has, and that
    /// earlier row.
    var first: (row: Int, earlier: Int)

    static func == (lhs: RepeatedLeadIDs, rhs: RepeatedLeadIDs) -> Bool {
        lhs.rows == rhs.rows && lhs.ids == rhs.ids && lhs.first == rhs.first
    }

    /// The repeats of `ids` (missing ids repeat nothing), or `nil` when each id is on one
    /// row. Two levels that are one text in two Unicode spellings count as one id.
    static func find(in ids: CategoricalColumn) -> RepeatedLeadIDs? {
        // One id per text: a level equal as text to an earlier level (NFC and NFD) is that id.
        var canonical = Array(ids.levels.indices)
        if Set(ids.levels).count < ids.levels.count {
            var firstLevel: [String: Int] = [:]
            for (level, text) in ids.levels.enumerated() {
                canonical[level] = firstLevel[text] ?? level
                if firstLevel[text] == nil { firstLevel[text] = level }
            }
        }
        var firstRow = [Int](repeating: -1, count: ids.levels.count)
        var repeated = [Bool](repeating: false, count: ids.levels.count)
        var rows = 0, distinct = 0
        var first: (row: Int, earlier: Int)?
        for (row, code) in ids.codes.enumerated() where code >= 0 {
            let id = canonical[Int(code)]
            guard firstRow[id] >= 0 else {
                firstRow[id] = row
                continue
            }
            rows += 1
            if !repeated[id] { distinct += 1 }
            repeated[id] = true
            if first == nil { first = (row, firstRow[id]) }
        }
        guard let first else { return nil }
        return RepeatedLeadIDs(rows: rows, ids: distinct, first: first)
    }

    /// The report's note: how many rows repeat an id of `column`, where the first is
    /// (`locate` gives a row's place, e.g. "line 14", from the rows of ``first``), and what
    /// it does to the numbers.
    func note(column: String, locate: (Int) -> String) -> String {
        let column = MessageQuote.clipped(column)
        let repeats = rows == 1 ? "1 row repeats" : "\(rows) rows repeat"
        let leads = ids == 1 ? "1 lead" : "\(ids) leads"
        return "data.id: \(repeats) the id of an earlier row in column \"\(column)\" (\(leads) on more than one row; "
            + "the first: \(locate(first.row)), the id of \(locate(first.earlier))); every row was counted as a lead of its own, "
            + "so a repeated lead weighs once per row in its groups' rates: keep one row per lead, "
            + "unless each row is meant to be a scoring event"
    }
}
