import FairleadCore

/// Lead ids as Fairlead prints and writes them, and the check that an id column names
/// each lead once.
///
/// With `privacy.pseudonymize_ids` every id a message quotes or a file holds is its keyed
/// pseudonym (``LeadPseudonymizer``); this is the one place that decides how an id is
/// shown, so a new message or output cannot quote a raw id by writing it out itself:
///
///     LeadIDs.shown("L0000042", pseudonymizer: nil)          // "L0000042"
///     LeadIDs.shown("L0000042", pseudonymizer: pseudonyms)   // 64 hex digits
enum LeadIDs {
    /// `id` as a message or an output shows it: its pseudonym under `pseudonymizer`, else
    /// the id as read.
    static func shown(_ id: String, pseudonymizer: LeadPseudonymizer?) -> String {
        pseudonymizer?.pseudonym(id) ?? id
    }

    /// `id` as an error message quotes it: its pseudonym under `pseudonymizer`, else the id
    /// clipped and escaped (``MessageQuote/clipped(_:limit:)``), so that an id of a
    /// megabyte, or holding control characters, does not come back whole.
    static func quoted(_ id: String, pseudonymizer: LeadPseudonymizer?) -> String {
        pseudonymizer?.pseudonym(id) ?? MessageQuote.clipped(id)
    }

    /// Refuses an id on two rows of `ids` (the column `column` of the data `source` read),
    /// or in two Unicode spellings (equal as Swift strings, so a lookup by one reaches
    /// both): the error is located at the second row's line and says `why` one lead per id
    /// matters. Ids are quoted by ``quoted(_:pseudonymizer:)``.
    static func requireDistinct(_ ids: CategoricalColumn, column: String, source: RecordLocator,
                                pseudonymizer: LeadPseudonymizer?, why: String) throws {
        func location(ofRow row: Int) -> SourceLocation {
            source.locate(row, column: column) ?? SourceLocation(file: source.path, field: column)
        }
        // A row's number among the data's records (rows without consent left out count).
        func number(_ row: Int) -> Int { source.record(row) + 1 }
        var firstRow = [Int](repeating: -1, count: ids.levels.count)
        for (row, code) in ids.codes.enumerated() where code >= 0 {
            if firstRow[Int(code)] >= 0 {
                let id = ids.levels[Int(code)]
                throw FairleadError(.invalidData,
                                    "the id '\(quoted(id, pseudonymizer: pseudonymizer))' is on two data rows (\(number(firstRow[Int(code)])) and \(number(row))); \(why)",
                                    at: location(ofRow: row))
            }
            firstRow[Int(code)] = row
        }
        let sorted = ids.levels.indices.sorted { ids.levels[$0] < ids.levels[$1] }
        for (a, b) in zip(sorted, sorted.dropFirst()) where MessageQuote.areTwoSpellings(ids.levels[a], ids.levels[b]) {
            func spelled(_ level: Int) -> String {
                pseudonymizer == nil ? MessageQuote.spelled(ids.levels[level]) : LeadIDs.shown(ids.levels[level], pseudonymizer: pseudonymizer)
            }
            throw FairleadError(.invalidData,
                                "the ids \"\(spelled(a))\" (data row \(number(firstRow[a]))) and \"\(spelled(b))\" (data row \(number(firstRow[b]))) are one text in two Unicode spellings; normalize the id column (NFC) first",
                                at: location(ofRow: max(firstRow[a], firstRow[b])))
        }
    }
}
