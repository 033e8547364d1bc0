import FairleadCore

/// The columns an audit needs, taken from the table of its one read (``AuditInput``) and
/// shaped for the metrics engine: scores and 0/1 predictions as Doubles (NaN when
/// missing), 0/1 labels a byte per row (``LabelColumn``), sensitive attributes as sorted levels and codes (binned ones in the
/// bins' order).
struct AuditData: Sendable {
    var rowCount: Int
    var columnsRead: [String]
    var scores: [Double]
    var labels: LabelColumn?
    var weights: [Double]?
    /// 0/1 prediction columns by name, for `prediction:` decisions.
    var predictions: [String: [Double]]
    var attributes: [SensitiveAttribute]
    /// The data file's record each row was read from, when rows without consent were left
    /// out (``Table/sourceRecords``): what places an error found in the metrics on its line.
    var sourceRecords: [Int]? = nil

    /// The columns the profile names for the metrics: score, label, weight, prediction
    /// columns and sensitive attributes (a one-hot attribute's indicator columns), each once.
    static func columnRequests(profile: AuditProfile) -> [ColumnRequest] {
        let spec = profile.data
        var requests = [ColumnRequest(spec.score, type: .numeric)]
        // A 0/1 label or prediction is read as one: true/false, or numbers equal to 1 or 0,
        // in any mix, in one pass (a database's stream cannot be read twice).
        if let label = spec.label { requests.append(ColumnRequest(label, type: spec.labelPositive == nil ? .boolean : nil)) }
        if let weight = spec.weight { requests.append(ColumnRequest(weight, type: .numeric)) }
        for column in predictionColumns(profile) {
            requests.append(ColumnRequest(column, type: .boolean))
        }
        for attribute in profile.sensitive {
            if let indicators = attribute.oneHot {
                // Each indicator as a 0/1 column is read, as a label is.
                requests += indicators.map { ColumnRequest($0.column, type: .boolean) }
            } else {
                requests.append(ColumnRequest(attribute.column, type: attribute.bins == nil ? .categorical : .numeric))
            }
        }
        var unique: [ColumnRequest] = []
        for request in requests where !unique.contains(where: { $0.name == request.name }) {
            unique.append(request)
        }
        return unique
    }

    /// The 0/1 prediction columns of `prediction:` decisions, each once.
    private static func predictionColumns(_ profile: AuditProfile) -> [String] {
        var columns: [String] = []
        for decision in profile.decisions {
            if case .predictionColumn(let column) = decision.kind, !columns.contains(column) {
                columns.append(column)
            }
        }
        return columns
    }
}

extension AuditData {
    /// The metrics' columns of a table read with (at least) ``columnRequests(profile:)``.
    /// A shard's rows (`shard`) may lack a value of `data.label.positive`.
    init(table: Table, profile: AuditProfile, path: String, shard: Bool = false) throws {
        let spec = profile.data
        let predictionColumns = Self.predictionColumns(profile)
        // As the file was read, and which of its records the rows are (rows without
        // consent left out): what locating a bad value's line needs.
        let source = RecordLocator(table, path: path, options: profile.csvOptions())
        func numeric(_ name: String) throws -> [Double] {
            guard let column = try table.requireColumn(named: name, wanted: .numeric).numeric else {
                throw FairleadError(.invalidData, "column \"\(name)\" must be numeric", at: SourceLocation(file: path, field: name))
            }
            return column.values
        }
        self.init(
            rowCount: table.rowCount,
            columnsRead: Self.columnRequests(profile: profile).map(\.name),
            scores: try numeric(spec.score),
            labels: try spec.label.map { label in
                let column = try table.requireColumn(named: label)
                guard let positive = spec.labelPositive else { return try Self.binaryLabels(column, source: source) }
                return try Self.positiveLabels(column, positive: positive, source: source, requireEach: !shard)
            },
            weights: try spec.weight.map(numeric),
            predictions: try Dictionary(uniqueKeysWithValues: predictionColumns.map {
                ($0, try Self.binary(table.requireColumn(named: $0), role: "prediction", source: source))
            }),
            attributes: try profile.sensitive.map { spec in
                if let indicators = spec.oneHot {
                    return try Self.oneHotAttribute(spec, indicators: indicators, table: table, source: source)
                }
                if let bins = spec.bins {
                    return bins.attribute(name: spec.column, values: try numeric(spec.column))
                }
                guard let column = try table.requireColumn(named: spec.column).categorical else {
                    throw FairleadError(.invalidData, "column \"\(spec.column)\" must be categorical", at: SourceLocation(file: path, field: spec.column))
                }
                return try Self.sortedAttribute(name: spec.column, column: column, source: source)
            })
        sourceRecords = table.sourceRecords
    }

    /// A label column read as 0/1: true/false (or bare 0/1) values straight into codes, a
    /// byte per row; numbers through ``LabelColumn/init(_:)`` (the metrics engine rejects
    /// anything but 0 and 1, naming the row).
    static func binaryLabels(_ column: Column, source: RecordLocator) throws -> LabelColumn {
        if case .boolean(let booleans) = column.storage {
            return LabelColumn(codes: Self.codes(booleans) { $0 ? 1 : 0 })
        }
        return LabelColumn(try binary(column, role: "label", source: source))
    }

    /// Per row of a true/false column: `code(value)`, or the missing label's code.
    private static func codes(_ booleans: BooleanColumn, _ code: (Bool) -> UInt8) -> [UInt8] {
        let count = booleans.values.count
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            booleans.values.withUnsafeBufferPointer { values in
                booleans.isMissing.withUnsafeBufferPointer { isMissing in
                    for row in 0..<count {
                        buffer[row] = isMissing[row] ? LabelColumn.missingCode : code(values[row])
                    }
                }
            }
            initialized = count
        }
    }

    /// A 0/1 column: numbers (the metrics engine rejects anything but 0 and 1, naming
    /// the row), true/false, or text mixing the two; NaN where missing.
    static func binary(_ column: Column, role: String, source: RecordLocator) throws -> [Double] {
        switch column.storage {
        case .numeric(let numbers):
            return numbers.values
        case .boolean(let booleans):
            return booleans.values.indices.map { row in
                booleans.isMissing[row] ? .nan : (booleans.values[row] ? 1 : 0)
            }
        case .categorical(let categories):
            // Words beside numbers other than a bare 0/1 (`true` and `1.0`) make a text
            // column: each value is judged as a 0/1 column's is — true/false in any case, or
            // a number equal to 1 or 0 — as the pushdown query judges it row by row.
            let values: [Double?] = categories.levels.map { level in
                if let flag = CSVReader.boolean(level) { return flag ? 1 : 0 }
                guard let number = CSVReader.number(level), number == 0 || number == 1 else { return nil }
                return number == 1 ? 1 : 0
            }
            if let bad = values.firstIndex(where: { $0 == nil }) {
                let row = categories.codes.firstIndex(of: Int32(bad)) ?? 0
                // The physical line and field, when the file can be read again (not a database's rows).
                let place = source.place(row, column: column.name)
                throw FairleadError(.invalidData,
                                    "\(role) is \"\(MessageQuote.clipped(categories.levels[bad]))\", expected 0/1 or true/false (or missing)",
                                    at: place.location, row: place.row)
            }
            return categories.codes.map { $0 < 0 ? .nan : values[Int($0)]! }
        }
    }

    /// The label column read through `data.label.positive`: 1 where the value is one of
    /// `positive`, 0 for every other value, NaN where missing. Text values are compared
    /// as text (an NFD "wön" is the NFC one); a numeric column's by number
    /// (`positive: [1]`), a true/false or 0/1 column's as booleans.
    ///
    /// - Throws: `FairleadError(.invalidData)` when a positive value never occurs in the
    ///   column (a typo or the wrong column), naming the closest value and the values seen;
    ///   or when a value is a positive one in a spelling neither NFC nor NFD, which the
    ///   pushdown query's byte-wise `IN` could not match (`options` locate its line).
    static func positiveLabels(_ column: Column, positive: [String], source: RecordLocator, requireEach: Bool = true) throws -> LabelColumn {
        func absent(_ value: String, seen: [String]) -> FairleadError {
            let near = typoNames(of: value, in: seen, limit: 1)
            let shown = seen.prefix(12).map { "\"\($0)\"" }.joined(separator: ", ") + (seen.count > 12 ? ", …" : "")
            return FairleadError(.invalidData,
                                 "the label column has no value \"\(value)\" (listed in data.label.positive)"
                                 + (near.first.map { "; did you mean \"\($0)\"?" } ?? "")
                                 + "; its values: " + (seen.isEmpty ? "none (every value is missing)" : shown),
                                 at: SourceLocation(file: source.path, field: column.name))
        }
        switch column.storage {
        case .categorical(let categories):
            let wanted = Set(positive)
            for value in positive where requireEach && !categories.levels.contains(value) {
                throw absent(value, seen: categories.levels.sorted())
            }
            let levelIsPositive: [UInt8] = categories.levels.map { wanted.contains($0) ? 1 : 0 }
            // A spelling `==` matches but no byte-wise IN of the normalized spellings can: the
            // pushdown query (and any database) would count these rows as negatives.
            for (level, text) in categories.levels.enumerated() where levelIsPositive[level] == 1 {
                let value = positive.first { $0 == text } ?? text
                guard !MessageQuote.normalizedSpellings(value).contains(where: { $0.unicodeScalars.elementsEqual(text.unicodeScalars) }) else { continue }
                let row = categories.codes.firstIndex(of: Int32(level)) ?? 0
                let place = source.place(row, column: column.name)
                throw FairleadError(.invalidData,
                                    "the label \"\(MessageQuote.spelled(text))\" is \"\(MessageQuote.spelled(value))\" of data.label.positive in a Unicode spelling that is neither NFC nor NFD: "
                                    + "a database compares bytes, so a pushdown audit would count its rows as negatives; write the column in NFC",
                                    at: place.location, row: place.row)
            }
            // `Won` or `won ` beside `won`: a spelling of the positive outcome that would
            // read as 0, silently (every other value is a negative).
            let folded = Dictionary(positive.map { (MessageQuote.printedAlike($0).lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
            for (level, text) in categories.levels.enumerated() where levelIsPositive[level] == 0 {
                guard let value = folded[MessageQuote.printedAlike(text).lowercased()] else { continue }
                let row = categories.codes.firstIndex(of: Int32(level)) ?? 0
                let place = source.place(row, column: column.name)
                let rows = categories.codes.reduce(0) { $0 + ($1 == Int32(level) ? 1 : 0) }
                throw FairleadError(.invalidData,
                                    "the label \"\(MessageQuote.spelled(text))\" (\(rows) row\(rows == 1 ? "" : "s")) differs from \"\(MessageQuote.spelled(value))\" of data.label.positive only in letter case or blanks, "
                                    + "and would read as a negative outcome: list it in data.label.positive too if it is one, or clean the column",
                                    at: place.location, row: place.row)
            }
            return LabelColumn(codes: categories.codes.map { $0 < 0 ? LabelColumn.missingCode : levelIsPositive[Int($0)] })
        case .numeric(let numbers):
            let seen = Set(numbers.values.filter { !$0.isNaN })
            var wanted: Set<Double> = []
            for value in positive {
                guard let number = Double(value), seen.contains(number) || !requireEach else {
                    throw absent(value, seen: seen.sorted().map(AuditProfile.compactNumber))
                }
                wanted.insert(number)
            }
            return LabelColumn(codes: numbers.values.map { $0.isNaN ? LabelColumn.missingCode : (wanted.contains($0) ? 1 : 0) })
        case .boolean(let booleans):
            let seen = Set(booleans.values.indices.filter { !booleans.isMissing[$0] }.map { booleans.values[$0] })
            var wanted: Set<Bool> = []
            for value in positive {
                let flag: Bool? = ["1", "true"].contains(value.lowercased()) ? true
                    : ["0", "false"].contains(value.lowercased()) ? false : nil
                guard let flag, seen.contains(flag) || !requireEach else {
                    throw absent(value, seen: seen.sorted { !$0 && $1 }.map { $0 ? "1" : "0" })
                }
                wanted.insert(flag)
            }
            return LabelColumn(codes: Self.codes(booleans) { wanted.contains($0) ? 1 : 0 })
        }
    }

    /// Levels in code-point order (as pandas and Fairlearn list groups), so that the
    /// order of groups — and the choice among tied largest groups — does not depend on
    /// the order of rows.
    ///
    /// - Throws: `FairleadError(.invalidData)` when two levels are the same text in two
    ///   Unicode spellings (`café` with a precomposed é and with e and a combining accent):
    ///   they are different bytes, so a database's `GROUP BY` keeps them apart, but equal
    ///   as Swift `String`s, so the report's groups would merge them — one group's counts
    ///   would be lost under the other's name. The message names both and their lines.
    ///   Likewise when two levels differ only in the blanks around them (`white` and
    ///   `white `, ``MessageQuote/firstAlikeButForBlanks(_:)``): two groups that print alike.
    private static func sortedAttribute(name: String, column: CategoricalColumn, source: RecordLocator) throws -> SensitiveAttribute {
        let path = source.path
        let order = column.levels.indices.sorted { column.levels[$0] < column.levels[$1] }
        // A level (by its code) spelt out, with the line (or row) it is first on.
        func located(_ level: Int) -> String {
            let row = column.codes.firstIndex(of: Int32(level)) ?? 0
            let line = source.locate(row, column: name)?.line
            return "\"\(MessageQuote.spelled(column.levels[level]))\"" + (line.map { " (line \($0))" } ?? " (row \(source.record(row) + 1))")
        }
        // Canonically equivalent levels sort next to each other.
        for (earlier, later) in zip(order, order.dropFirst())
        where MessageQuote.areTwoSpellings(column.levels[earlier], column.levels[later]) {
            let spellings = [earlier, later].map(located)
            throw FairleadError(.invalidData,
                                "sensitive attribute \"\(MessageQuote.clipped(name))\" holds one text in two Unicode spellings, \(spellings[0]) and \(spellings[1]): they would be counted as one group here and as two in a database; normalize the column (NFC) first",
                                at: SourceLocation(file: path, field: name))
        }
        // Two levels that print alike (`white` and `white `) would be two groups read as one
        // listed twice, each with part of the rows.
        let sortedLevels = order.map { column.levels[$0] }
        if let blank = MessageQuote.firstBlankOnly(sortedLevels) {
            throw FairleadError(.invalidData,
                                "sensitive attribute \"\(MessageQuote.clipped(name))\" holds \(located(order[blank])), only blanks: a group every table would print without a name; make such values empty (missing) or name them",
                                at: SourceLocation(file: path, field: name))
        }
        if let (a, b) = MessageQuote.firstAlikeButForBlanks(sortedLevels) {
            let spellings = [order[a], order[b]].map(located)
            throw FairleadError(.invalidData,
                                "sensitive attribute \"\(MessageQuote.clipped(name))\" holds \(spellings[0]) and \(spellings[1]), which \(MessageQuote.blankDifference(sortedLevels[a], sortedLevels[b])): they would be two groups that print alike; trim the column's values and write their spaces as plain spaces first",
                                at: SourceLocation(file: path, field: name))
        }
        var newCode = [Int32](repeating: -1, count: column.levels.count)
        for (position, old) in order.enumerated() { newCode[old] = Int32(position) }
        let levels = sortedLevels
        guard levels.count <= Int(AttributeCodes.narrowMissing) else {
            return SensitiveAttribute(name: name, codes: column.codes.map { $0 < 0 ? -1 : newCode[Int($0)] }, levels: levels)
        }
        // A byte per row, written straight from the column's codes (no Int32 copy first).
        let byteOf = newCode.map { UInt8(truncatingIfNeeded: $0) }
        let count = column.codes.count
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            column.codes.withUnsafeBufferPointer { codes in
                byteOf.withUnsafeBufferPointer { byteOf in
                    for row in 0..<count {
                        let code = codes[row]
                        buffer[row] = code < 0 ? AttributeCodes.narrowMissing : byteOf[Int(code)]
                    }
                }
            }
            initialized = count
        }
        return SensitiveAttribute(name: name, codes: AttributeCodes(narrow: bytes), levels: levels)
    }
}
