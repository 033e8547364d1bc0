import FairleadCore

extension AuditData {
    /// A one-hot attribute (``AuditProfile/SensitiveSpec/oneHot``) built from its indicator
    /// columns: a row's group is the one whose indicator is 1. A row whose indicators are
    /// all 0, or where one of them is missing, has no group (the attribute's `missing:`
    /// policy applies). Groups are levels in code-point order, as a categorical column's
    /// are, so that the audit of the indicators and of one column holding the groups give
    /// the same report.
    ///
    /// An indicator reads as a 0/1 column does (``binary(_:role:source:)``): 0/1,
    /// true/false, or a number equal to 1 or 0.
    ///
    /// - Throws: `FairleadError(.invalidData)` at the row's line and column (its row on a
    ///   database's rows) when two or more indicators are 1 on one row — the row belongs to
    ///   no one group, and counting it in one would move it silently — or when an indicator
    ///   holds another value.
    static func oneHotAttribute(_ spec: AuditProfile.SensitiveSpec, indicators: [AuditProfile.SensitiveSpec.OneHotIndicator],
                                table: Table, source: RecordLocator) throws -> SensitiveAttribute {
        let flags = try indicators.map { indicator -> [Double] in
            let column = try table.requireColumn(named: indicator.column, wanted: .boolean)
            let role = "the indicator of group \"\(MessageQuote.clipped(indicator.group))\" of sensitive attribute \(MessageQuote.clipped(spec.column))"
            let values = try binary(column, role: role, source: source)
            if let row = values.firstIndex(where: { !$0.isNaN && $0 != 0 && $0 != 1 }) {
                let place = source.place(row, column: indicator.column)
                throw FairleadError(.invalidData,
                                    "\(role) is \(AuditProfile.compactNumber(values[row])), expected 0/1 or true/false (or missing)",
                                    at: place.location, row: place.row)
            }
            return values
        }
        let rows = table.rowCount
        var groupOfRow = [Int32](repeating: -1, count: rows)
        var occurs = [Bool](repeating: false, count: indicators.count)
        for row in 0..<rows {
            var group = -1
            var missing = false
            for index in indicators.indices {
                let value = flags[index][row]
                if value.isNaN {
                    missing = true
                } else if value == 1 {
                    if group >= 0 { throw severalIndicatorsError(spec, indicators: indicators, flags: flags, row: row, source: source) }
                    group = index
                }
            }
            guard group >= 0, !missing else { continue }
            groupOfRow[row] = Int32(group)
            occurs[group] = true
        }
        // Only the groups with rows, as a column holds only the values it has.
        let present = indicators.indices.filter { occurs[$0] }.sorted { indicators[$0].group < indicators[$1].group }
        var code = [Int32](repeating: -1, count: indicators.count)
        for (position, index) in present.enumerated() { code[index] = Int32(position) }
        return SensitiveAttribute(name: spec.column, codes: groupOfRow.map { $0 < 0 ? -1 : code[Int($0)] },
                                  levels: present.map { indicators[$0].group })
    }

    /// The error for a row on which two or more of a one-hot attribute's indicators are 1,
    /// at the second one's line and column.
    private static func severalIndicatorsError(_ spec: AuditProfile.SensitiveSpec, indicators: [AuditProfile.SensitiveSpec.OneHotIndicator],
                                               flags: [[Double]], row: Int, source: RecordLocator) -> FairleadError {
        let set = indicators.indices.filter { flags[$0][row] == 1 }.map { indicators[$0].column }
        let named = set.count == 2 ? "\(set[0]) and \(set[1]) are both 1"
            : "\(set.dropLast().joined(separator: ", ")) and \(set[set.count - 1]) are all 1"
        let place = source.place(row, column: set[1])
        return FairleadError(.invalidData,
                             "\(named): a one-hot attribute takes one group per row (sensitive attribute \(MessageQuote.clipped(spec.column)))",
                             at: place.location, row: place.row)
    }
}
